import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

/** The value types and checks of config.ts's settings. */

export type StripeMode = 'test' | 'live';

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const seconds = z.coerce.number({ message: 'expected a number of seconds' }).int().positive();

export const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

export function isOrigin(value: string): boolean {
  try {
    const parsed = new URL(value);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      parsed.origin === value.replace(/\/$/, '')
    );
  } catch {
    return false;
  }
}

/**
 * The proxies in front, whose X-Forwarded-For entries are believed: a number of hops or their
 * addresses/CIDRs. Never `true`: the leftmost entry is whatever the client wrote.
 */
export const trustProxySetting = z.string().transform((v, ctx) => {
  if (['false', 'no', '0'].includes(v)) return false as const;
  if (v === 'true' || v === 'yes') {
    ctx.addIssue({
      code: 'custom',
      message:
        'is true, which would believe any X-Forwarded-For a client writes; give the number of proxies in front (e.g. 1) or their addresses',
    });
    return z.NEVER;
  }
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const list = v.split(',').map((a) => a.trim());
  if (list.every((a) => isIP(a.split('/')[0]!) !== 0 && /^[^/]+(\/\d{1,3})?$/.test(a))) return list;
  ctx.addIssue({
    code: 'custom',
    message: 'expected a number of proxies or comma-separated addresses/CIDRs',
  });
  return z.NEVER;
});

/**
 * `recur:` and a short hash of what identifies the deployment's data: the PostgreSQL server and
 * database (not the user or password, which may differ between instances or rotate), or the embedded
 * data folder's absolute path.
 */
export function deploymentNamespace(databaseUrl: string | undefined, dataDir: string): string {
  let identity: string;
  if (databaseUrl) {
    const parsed = new URL(databaseUrl);
    identity = `postgres://${parsed.hostname}:${parsed.port || '5432'}/${decodeURIComponent(parsed.pathname.slice(1))}`;
  } else {
    identity = `pglite:${resolve(dataDir)}`;
  }
  return `recur:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}

export function stripeModeOfKey(key: string): StripeMode {
  return /^(sk|rk)_live_/.test(key) ? 'live' : 'test';
}

/** Secrets made by Stripe for live endpoints carry no mode marker; only an explicit one counts. */
export function webhookSecretMode(secrets: string): StripeMode | null {
  const modes = new Set(
    secrets
      .split(',')
      .flatMap((s) => (s.startsWith('whsec_test_') ? ['test'] : s.startsWith('whsec_live_') ? ['live'] : [])),
  );
  if (modes.size !== 1) return null;
  return [...modes][0] as StripeMode;
}

export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  const b = Buffer.from(value, 'base64');
  return b.length === 32 ? b : null;
}
