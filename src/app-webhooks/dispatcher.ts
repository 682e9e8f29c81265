import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { PiiCipher } from '../shared/crypto.js';
import { type ClaimedDelivery, deliveryRepository as repo } from './delivery-repository.js';
import type { AppWebhookMetrics, DeliveryOutcome } from './metrics.js';
import { signedHeaders, signingSecrets } from './signing.js';
import { checkTarget, type TargetOptions } from './target-guard.js';
import { type PostOutcome, postWebhook } from './webhook-post.js';

export interface AppWebhookDispatcherOptions extends TargetOptions {
  timeoutMs: number;
  /** How long claimed deliveries are left alone by other dispatchers; above `timeoutMs`. */
  leaseMs: number;
  /** Pause between looks when the last one found nothing to send. */
  pollIntervalMs: number;
  /** Deliveries in flight at once, all endpoints together… */
  concurrency: number;
  /** …and per endpoint, so a slow endpoint holds a few slots, never all of them. */
  endpointConcurrency: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The wait after the 1st, 2nd … failed attempt; the last repeats. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR];
/** Up to this share is added to each wait, so retries of many deliveries spread out. */
export const RETRY_JITTER = 0.1;
/**
 * A delivery that still fails this long after its first attempt is given up. Measured between
 * attempts, both stamped by the dispatchers' clocks, never against the database's.
 */
export const GIVE_UP_AFTER_MS = 3 * DAY;
/** An endpoint that has failed every attempt for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * DAY;

export function retryDelayMs(failedAttempts: number): number {
  const base = RETRY_DELAYS_MS[Math.min(failedAttempts, RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (1 + Math.random() * RETRY_JITTER));
}

/**
 * Delivers the host app's webhooks: claims due deliveries (several dispatchers share the table),
 * signs and posts each to the address its target check vetted, and records every attempt. Each
 * delivery runs on its own, within a per-endpoint and a global cap, so an endpoint that hangs until
 * the timeout only ever delays its own deliveries.
 */
export class AppWebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyByEndpoint = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private passAgain = false;
  private running = false;

  constructor(
    private readonly deps: {
      db: Db;
      cipher: PiiCipher;
      metrics: AppWebhookMetrics;
      logger: Logger;
    },
    private readonly options: AppWebhookDispatcherOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Stops claiming, and waits for the deliveries in flight to be sent and recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
    await Promise.all(this.inFlight);
  }

  /** One claim of what is due now, waiting until every delivery it took is recorded; how many. */
  async dispatchDue(): Promise<number> {
    const started = await this.claimAndSend();
    await Promise.all(started);
    return started.length;
  }

  /** Runs a pass now, or right after the one running: called at start and whenever a slot frees. */
  private wake(): void {
    if (!this.running) return;
    if (this.pass) {
      this.passAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pass = this.claimAndSend()
      .then((started) => started.length)
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'app webhook claim failed');
        return 0;
      })
      .then((claimed) => {
        this.pass = null;
        // Something claimed may mean more is due; nothing claimed means wait, unless a slot freed meanwhile.
        const again = this.passAgain || claimed > 0;
        this.passAgain = false;
        if (!this.running) return;
        if (again) setImmediate(() => this.wake());
        else {
          this.timer = setTimeout(() => this.wake(), this.options.pollIntervalMs);
          this.timer.unref();
        }
      });
  }

  private async claimAndSend(): Promise<Promise<void>[]> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    const now = new Date();
    const claimed = await repo.claimDue(this.deps.db, {
      now,
      leaseUntil: new Date(now.getTime() + this.options.leaseMs),
      limit: free,
      perEndpoint: this.options.endpointConcurrency,
      busy: Object.fromEntries(this.busyByEndpoint),
    });
    return claimed.map((delivery) => this.launch(delivery));
  }

  private launch(delivery: ClaimedDelivery): Promise<void> {
    const { endpointId } = delivery;
    this.busyByEndpoint.set(endpointId, (this.busyByEndpoint.get(endpointId) ?? 0) + 1);
    const task = this.deliver(delivery)
      .catch((error: unknown) =>
        // Not recorded: the lease runs out and the delivery is tried again, as after a crash.
        this.deps.logger.error(
          { err: error, deliveryId: delivery.id },
          'app webhook delivery could not be recorded; retried after its lease',
        ),
      )
      .finally(() => {
        const left = (this.busyByEndpoint.get(endpointId) ?? 1) - 1;
        if (left > 0) this.busyByEndpoint.set(endpointId, left);
        else this.busyByEndpoint.delete(endpointId);
        this.inFlight.delete(task);
        this.wake();
      });
    this.inFlight.add(task);
    return task;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const attemptedAt = new Date();
    const outcome = await this.post(delivery, attemptedAt);
    const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const now = new Date();
    const failedAttempts = delivery.attempts + 1;
    const firstAttempt = delivery.firstAttemptedAt ?? attemptedAt;
    const giveUp = !succeeded && now.getTime() - firstAttempt.getTime() >= GIVE_UP_AFTER_MS;
    const retryAt = succeeded || giveUp ? null : new Date(now.getTime() + retryDelayMs(failedAttempts));
    const { disabledEndpoint } = await repo.recordAttempt(this.deps.db, {
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attemptedAt,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode,
      responseBody: outcome.responseBody,
      error: outcome.error,
      succeeded,
      retryAt,
      disableIfFailingSince: new Date(now.getTime() - DISABLE_AFTER_MS),
    });
    const result: DeliveryOutcome = succeeded ? 'succeeded' : giveUp ? 'failed' : 'retrying';
    const { metrics, logger } = this.deps;
    metrics.deliveries.inc({ outcome: result });
    metrics.attemptDuration.observe({ succeeded: String(succeeded) }, outcome.durationMs / 1000);
    if (!succeeded)
      logger.warn(
        {
          deliveryId: delivery.id,
          messageId: delivery.messageId,
          endpointId: delivery.endpointId,
          attempt: failedAttempts,
          statusCode: outcome.statusCode,
          error: outcome.error,
          retryAt,
        },
        giveUp ? 'app webhook delivery given up' : 'app webhook delivery failed; will retry',
      );
    if (disabledEndpoint) this.endpointDisabled(delivery);
  }

  /** Signs and posts, or says why the target was refused (checked again: DNS may have changed). */
  private async post(delivery: ClaimedDelivery, attemptedAt: Date): Promise<PostOutcome> {
    const { allowPrivate, requireHttps, timeoutMs } = this.options;
    const target = await checkTarget(delivery.url, { allowPrivate, requireHttps });
    if (!target.ok)
      return {
        statusCode: null,
        responseBody: null,
        error: `target refused: the URL ${target.reason}`,
        durationMs: Date.now() - attemptedAt.getTime(),
      };
    const sentAt = new Date();
    const secrets = signingSecrets(delivery, this.deps.cipher, sentAt);
    return postWebhook({
      url: target.url,
      addresses: target.addresses,
      headers: signedHeaders(secrets, delivery.messageId, sentAt, delivery.body),
      body: delivery.body,
      timeoutMs,
    });
  }

  /** Logged and counted here; the alert rule `app_webhook_failing` tells the admins (src/alerts). */
  private endpointDisabled(delivery: ClaimedDelivery): void {
    const host = new URL(delivery.url).host;
    this.deps.metrics.endpointsDisabled.inc();
    this.deps.logger.error(
      { endpointId: delivery.endpointId, host, reason: 'failing' },
      'app webhook endpoint disabled: every delivery failed for five days',
    );
  }
}
