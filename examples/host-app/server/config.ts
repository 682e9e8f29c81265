import { randomBytes } from 'node:crypto';

/** The example app's settings, all from the environment (see README.md beside this folder). */
export interface ExampleConfig {
  port: number;
  host: string;
  /** Where Recur answers, e.g. http://127.0.0.1:3000 */
  recurUrl: string;
  /** A Recur service key (`rk_…`): the app's backend acts for its users with it. */
  recurApiKey: string;
  /** The signing secret (`whsec_…`) Recur showed when the webhook endpoint was created. */
  recurWebhookSecret: string;
  /** How long a user's entitlements are trusted without a webhook (the cache's safety net). */
  entitlementTtlSeconds: number;
  /** Signs the sign-up cookie; a fresh one each start signs everyone out, which suits an example. */
  sessionSecret: string;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required (see examples/host-app/README.md)`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const port = Number(env.PORT ?? 4000);
  const ttl = Number(env.ENTITLEMENT_TTL_SECONDS ?? 300);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('PORT must be a port number');
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error('ENTITLEMENT_TTL_SECONDS must be a positive number');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    recurUrl: (env.RECUR_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    recurApiKey: required(env, 'RECUR_API_KEY'),
    recurWebhookSecret: required(env, 'RECUR_WEBHOOK_SECRET'),
    entitlementTtlSeconds: ttl,
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
  };
}
