import { recordAudit } from '../audit/record.js';
import type { TokenUser, UserTokenVerifier } from '../auth/jwt.js';
import type { Db } from '../db/client.js';
import type { PublicOrigin } from '../http/public-origin.js';
import { assertBillingAccess, userPrincipal } from '../organizations/payer.js';
import type { PiiCipher } from '../shared/crypto.js';
import { BillingLinkSecret } from './secret.js';
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

  /**
   * With `organizationId`, the page opens in that organisation's context (`?org=`): the user must be
   * its owner or billing admin (403 for a plain member, 404 for anyone else), as every billing
   * request the page then makes checks again.
   */
  async createLink(user: TokenUser, expiresInSeconds: number, organizationId?: string): Promise<BillingLink> {
    if (organizationId !== undefined) {
      if (!this.deps.db) throw new Error('a billing link for an organisation needs the database');
      await assertBillingAccess(this.deps.db, userPrincipal(user.userId), organizationId);
    }
    const now = this.deps.now?.() ?? new Date();
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + expiresInSeconds * 1000);
    const token = await signBillingToken(await this.deps.secret.key(), user, expiresAt);
    // A credential handed out for a user: who asked for it is worth keeping, the token is not.
    if (this.deps.db)
      await recordAudit(this.deps.db, {
        action: 'billing_link.create',
        objectType: 'user',
        objectId: user.userId,
        after: { expires_at: expiresAt, organization_id: organizationId ?? null },
      });
    const context = organizationId === undefined ? '' : `?org=${encodeURIComponent(organizationId)}`;
    return {
      url: `${this.deps.publicOrigin.billingPage}${context}#token=${token}`,
      expires_at: expiresAt.toISOString(),
    };
  }

  async verify(token: string): Promise<TokenUser | null> {
    if (!claimsBillingAudience(token)) return null;
    return verifyBillingToken(await this.deps.secret.key(), token);
  }
}

/**
 * The app's billing links: signed with the configured secret, or else the one kept in the settings,
 * and each recorded in the audit trail.
 */
export function openBillingLinks(
  db: Db,
  cipher: PiiCipher,
  configured: string | undefined,
  publicOrigin: PublicOrigin,
): BillingLinkService {
  return new BillingLinkService({
    secret: new BillingLinkSecret({ db, cipher, configured }),
    publicOrigin,
    db,
  });
}
