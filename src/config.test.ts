import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.stripe).toMatchObject({
      emulated: true,
      mode: 'test',
      syncIntervalSeconds: 21600,
      syncMaxRetries: 3,
      syncRetryDelaySeconds: 300,
      webhookRateLimitPerMinute: 30_000,
      webhookRefusedRateLimitPerMinute: 20,
      cacheTtlSeconds: 3600,
      autoSyncEnabled: true,
    });
    expect(config.events.workerConcurrency).toBe(64);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@localhost:5432/recur',
      RECUR_ENCRYPTION_KEY: 'a'.repeat(64),
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_URL: 'amqp://guest:guest@127.0.0.1:5672',
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_one,whsec_two',
      STRIPE_SYNC_INTERVAL: '60',
      STRIPE_SYNC_MAX_RETRIES: '5',
      STRIPE_SYNC_RETRY_DELAY: '10',
      STRIPE_WEBHOOK_RATE_LIMIT: '30',
      STRIPE_CACHE_TTL: '0',
      STRIPE_AUTO_SYNC_ENABLED: 'false',
      RECUR_ADMIN_API_KEY: 'rk_abcdefghijklmnop1234',
    });
    expect(config.port).toBe(8080);
    expect(config.stripe).toMatchObject({
      emulated: false,
      webhookSecrets: ['whsec_one', 'whsec_two'],
      syncIntervalSeconds: 60,
      syncMaxRetries: 5,
      syncRetryDelaySeconds: 10,
      webhookRateLimitPerMinute: 30,
      cacheTtlSeconds: 0,
      autoSyncEnabled: false,
    });
    expect(config.encryptionKeys.map((k) => k.length)).toEqual([32]);
  });

  it.each([
    ['STRIPE_SYNC_INTERVAL', 'soon'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/recur'],
    ['STRIPE_SECRET_KEY', 'pk_test_123'],
    ['STRIPE_AUTO_SYNC_ENABLED', 'maybe'],
    ['RECUR_ENCRYPTION_KEY', 'short'],
    ['QUEUE_URL', 'kafka://x'],
    ['RECUR_PUBLIC_URL', 'https://billing.example.com/some/path'],
    ['RECUR_PUBLIC_URL', 'ftp://billing.example.com'],
    ['RECUR_BILLING_LINK_SECRET', 'too-short'],
  ])('refuses a bad %s with one line naming it', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x', [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('requires an encryption key with PostgreSQL, and accepts several during a rotation', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/recur' })).toThrow(
      /RECUR_ENCRYPTION_KEY is required/,
    );
    const config = loadConfig({
      RECUR_ENCRYPTION_KEY: `${'a'.repeat(64)},${Buffer.alloc(32, 7).toString('base64')}`,
    });
    expect(config.encryptionKeys).toHaveLength(2);
  });

  it('reads the Stripe mode from the key prefix', () => {
    expect(loadConfig({ STRIPE_SECRET_KEY: 'rk_test_1' }).stripe.mode).toBe('test');
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }).stripe.mode).toBe(
      'live',
    );
    expect(loadConfig({ STRIPE_SECRET_KEY: 'rk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }).stripe.mode).toBe(
      'live',
    );
  });

  it('refuses a live key with a test webhook secret, and the reverse', () => {
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_test_1' }),
    ).toThrow(/STRIPE_WEBHOOK_SECRET is a test-mode secret but STRIPE_SECRET_KEY is a live-mode key/);
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_live_1' }),
    ).toThrow(/live-mode secret but STRIPE_SECRET_KEY is a test-mode key/);
  });

  it('refuses a live key without a webhook secret, and a secret without a key', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_live_1' })).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_1' })).toThrow(/without STRIPE_SECRET_KEY/);
  });

  it('reads the billing page’s public address and link secret, both optional', () => {
    expect(loadConfig({}).billing).toMatchObject({ publicUrl: undefined, linkSecret: undefined });
    const config = loadConfig({
      RECUR_PUBLIC_URL: 'https://billing.example.com/',
      RECUR_BILLING_LINK_SECRET: 's'.repeat(32),
    });
    expect(config.billing).toMatchObject({
      publicUrl: 'https://billing.example.com',
      linkSecret: 's'.repeat(32),
    });
  });

  it('allows private webhook targets with the embedded database only, requires https with a live key', () => {
    expect(loadConfig({}).appWebhooks).toMatchObject({
      allowPrivate: true,
      requireHttps: false,
      timeoutMs: 15_000,
    });
    const postgres = { DATABASE_URL: 'postgres://u@localhost/recur', RECUR_ENCRYPTION_KEY: 'a'.repeat(64) };
    expect(loadConfig(postgres).appWebhooks.allowPrivate).toBe(false);
    expect(loadConfig({ ...postgres, RECUR_WEBHOOKS_ALLOW_PRIVATE: 'true' }).appWebhooks.allowPrivate).toBe(
      true,
    );
    expect(loadConfig({ RECUR_WEBHOOKS_ALLOW_PRIVATE: 'false' }).appWebhooks.allowPrivate).toBe(false);
    const live = loadConfig({ STRIPE_SECRET_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' });
    expect(live.appWebhooks.requireHttps).toBe(true);
    expect(loadConfig({ RECUR_WEBHOOKS_TIMEOUT_SECONDS: '5' }).appWebhooks.timeoutMs).toBe(5000);
    expect(() => loadConfig({ RECUR_WEBHOOKS_TIMEOUT_SECONDS: '0' })).toThrow(
      /RECUR_WEBHOOKS_TIMEOUT_SECONDS/,
    );
  });
});
