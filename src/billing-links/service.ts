import { recordAudit } from '../audit/record.js';
import type { TokenUser, UserTokenVerifier } from '../auth/jwt.js';
import type { Db } from '../db/client.js';
import type { PublicOrigin } from '../http/public-origin.js';
import type { BillingLinkSecret } from './secret.js';
import { claimsBillingAudience, signBillingToken, verifyBillingToken } from './tokens.js';

export interface BillingLink {
  url: string;
  expires_at: string;
}

/**
 * Short-lived links to the billing page for the host app's users. The token rides in the URL's
 * fragment, which browsers never send to a server, so it stays out of access logs and Referer headers.
 */
export class BillingLinkService implements UserTokenVerifier {
  constructor(
    private readonly deps: {
      secret: BillingLinkSecret;
      publicOrigin: PublicOrigin;
      /** Where each link made is recorded (the audit trail), when given. */
      db?: Db;
      now?: () => Date;
    },
  ) {}

  async createLink(user: TokenUser, expiresInSeconds: number): Promise<BillingLink> {
    const now = this.deps.now?.() ?? new Date();
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + expiresInSeconds * 1000);
    const token = await signBillingToken(await this.deps.secret.key(), user, expiresAt);
    // A credential handed out for a user: who asked for it is worth keeping, the token is not.
    if (this.deps.db)
      await recordAudit(this.deps.db, {
        action: 'billing_link.create',
        objectType: 'user',
        objectId: user.userId,
        after: { expires_at: expiresAt },
      });
    return {
      url: `${this.deps.publicOrigin.billingPage}#token=${token}`,
      expires_at: expiresAt.toISOString(),
    };
  }

  async verify(token: string): Promise<TokenUser | null> {
    if (!claimsBillingAudience(token)) return null;
    return verifyBillingToken(await this.deps.secret.key(), token);
  }
}
