import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { customers, meterReports, usageCounters, usageMeters } from '../src/db/schema/index.js';
import type { MeterEventSpec } from '../src/stripe/index.js';
import { backoffMs, MeterReporter, reportTimestamp } from '../src/usage/meter-reporter.js';
import { meterReportsRepository } from '../src/usage/meter-reports-repository.js';
import { openTestDatabase, truncateAll } from './support/db.js';

const DAY = 86_400_000;
const now = new Date('2026-12-06T12:00:00Z');
const periodStart = new Date(now.getTime() - 20 * DAY);
const periodEnd = new Date(now.getTime() + 10 * DAY);

/** Stripe's meter as far as the reporter can tell: one event per identifier, summed per customer. */
class FakeMeter {
  events = new Map<string, MeterEventSpec>();
  requests = 0;
  failNext = 0;
  async sendEvent(event: MeterEventSpec) {
    this.requests++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('Stripe is unavailable');
    }
    // Stripe refuses a repeated identifier and keeps the first event.
    if (this.events.has(event.identifier)) return 'duplicate' as const;
    this.events.set(event.identifier, event);
    return 'sent' as const;
  }
  sum(customerId: string): number {
    return [...this.events.values()]
      .filter((e) => e.customerId === customerId)
      .reduce((s, e) => s + e.value, 0);
  }
}

let database: Database;
let meter: FakeMeter;
let reporter: MeterReporter;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await truncateAll(database);
  meter = new FakeMeter();
  reporter = new MeterReporter(
    { db: database.db, sender: meter, logger: pino({ level: 'silent' }) },
    { everyMs: 60_000 },
  );
  await database.db
    .insert(usageMeters)
    .values({ feature: 'api_calls', stripeMeterId: 'mtr_1', eventName: 'recur_api_calls' });
});

async function customer(id: string, payer: { userId?: string; organizationId?: string }) {
  await database.db.insert(customers).values({
    id,
    externalId: payer.userId ?? null,
    organizationId: payer.organizationId ?? null,
    createdAt: now,
    stripeEventAt: now,
  });
}

async function counter(
  payerId: string,
  values: {
    used: number;
    limitFloor: number;
    creditsDrawn?: number;
    feature?: string;
    kind?: 'user' | 'organization';
  },
  period = { start: periodStart, end: periodEnd },
) {
  await database.db
    .insert(usageCounters)
    .values({
      payerKind: values.kind ?? 'user',
      payerId,
      feature: values.feature ?? 'api_calls',
      periodStart: period.start,
      periodEnd: period.end,
      used: values.used,
      limitFloor: values.limitFloor,
      creditsDrawn: values.creditsDrawn ?? 0,
    })
    .onConflictDoUpdate({
      target: [
        usageCounters.payerKind,
        usageCounters.payerId,
        usageCounters.feature,
        usageCounters.periodStart,
      ],
      set: { used: values.used },
    });
}

const overageReported = async (payerId: string) =>
  (await database.db.select().from(usageCounters).where(eq(usageCounters.payerId, payerId)))[0]!
    .overageReported;

describe('meter reporter', () => {
  it('reports the overage beyond the limit once, as one event per payer and feature per run', async () => {
    await customer('cus_ada', { userId: 'ada' });
    await customer('cus_team', { organizationId: 'org_team' });
    await counter('ada', { used: 1500, limitFloor: 1000 });
    await counter('org_team', { used: 40, limitFloor: 100, kind: 'organization' });

    expect(await reporter.runNow(now)).toEqual({ collected: 1, sent: 1, failed: 0 });
    expect(meter.sum('cus_ada')).toBe(500);
    expect(await overageReported('ada')).toBe(500);
    const [event] = [...meter.events.values()];
    expect(event).toMatchObject({
      eventName: 'recur_api_calls',
      customerId: 'cus_ada',
      value: 500,
      timestamp: now,
    });

    // Nothing new: nothing recorded, nothing sent.
    expect(await reporter.runNow(now)).toEqual({ collected: 0, sent: 0, failed: 0 });
    // 100 more calls (however many events made them): one more report of 100.
    await counter('ada', { used: 1600, limitFloor: 1000 });
    await counter('org_team', { used: 130, limitFloor: 100, kind: 'organization' });
    expect(await reporter.runNow(now)).toEqual({ collected: 2, sent: 2, failed: 0 });
    expect(meter.sum('cus_ada')).toBe(600);
    expect(meter.sum('cus_team')).toBe(30);
    expect(meter.requests).toBe(3);
  });

  it('joins the runs renewals ask for until one starts, and runs again for an ask made after it started', async () => {
    await customer('cus_ada', { userId: 'ada' });
    await counter('ada', { used: 1500, limitFloor: 1000 });
    // Stripe answers the first event only when the test says so: that run stays in flight.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const send = meter.sendEvent.bind(meter);
    meter.sendEvent = async (event) => {
      if (meter.requests === 0) await answered;
      return send(event);
    };
    const inFlight = reporter.runNow();
    await expect.poll(() => overageReported('ada')).toBe(500);

    // A batch of renewals while it runs: five asks, one run after it.
    await counter('ada', { used: 1700, limitFloor: 1000 });
    const asks = Array.from({ length: 5 }, () => reporter.requestRun());
    expect(new Set(asks).size).toBe(1);
    answer();
    expect(await inFlight).toMatchObject({ collected: 1, sent: 1 });
    expect(await asks[0]).toEqual({ collected: 1, sent: 1, failed: 0 });
    expect(meter.sum('cus_ada')).toBe(700);

    // Once that run has started, a new ask is a run of its own.
    const later = reporter.requestRun();
    expect(later).not.toBe(asks[0]);
    expect(await later).toEqual({ collected: 0, sent: 0, failed: 0 });
    // With no run in flight, the asks of the next moment join one run too.
    await counter('ada', { used: 1750, limitFloor: 1000 });
    const [first, second] = [reporter.requestRun(), reporter.requestRun()];
    expect(second).toBe(first);
    expect(await first).toEqual({ collected: 1, sent: 1, failed: 0 });
    await counter('ada', { used: 1760, limitFloor: 1000 });
    expect(await reporter.requestRun()).toEqual({ collected: 1, sent: 1, failed: 0 });
    expect(meter.sum('cus_ada')).toBe(760);
  });

  it('stops only once the runs renewals asked for have ended', async () => {
    await customer('cus_ada', { userId: 'ada' });
    await counter('ada', { used: 1500, limitFloor: 1000 });
    const asked = reporter.requestRun();
    await reporter.stop();
    // Nothing is left to write a row after the stop (a shutdown, or the next test's tables).
    expect(meter.sum('cus_ada')).toBe(500);
    expect(await overageReported('ada')).toBe(500);
    expect(await asked).toEqual({ collected: 1, sent: 1, failed: 0 });
  });

  it('leaves out units paid from credits, features without a meter, and payers without a customer', async () => {
    await customer('cus_ada', { userId: 'ada' });
    await counter('ada', { used: 1500, limitFloor: 1000, creditsDrawn: 450 });
    await counter('ada', { used: 900, limitFloor: 10, feature: 'exports' });
    await counter('nobody', { used: 900, limitFloor: 10 });
    expect(await reporter.runNow(now)).toEqual({ collected: 1, sent: 1, failed: 0 });
    expect(meter.sum('cus_ada')).toBe(50);
  });

  it('dates each event inside its counter period', async () => {
    expect(reportTimestamp({ periodStart, periodEnd }, now)).toEqual(now);
    const ended = new Date(now.getTime() - DAY);
    expect(reportTimestamp({ periodStart, periodEnd: ended }, now)).toEqual(new Date(ended.getTime() - 1000));
    const future = new Date(now.getTime() + DAY);
    expect(reportTimestamp({ periodStart: future, periodEnd: null }, now)).toEqual(future);

    await customer('cus_ada', { userId: 'ada' });
    await counter(
      'ada',
      { used: 1200, limitFloor: 1000 },
      { start: new Date(ended.getTime() - 30 * DAY), end: ended },
    );
    await reporter.runNow(now);
    const [event] = [...meter.events.values()];
    expect(event!.timestamp.getTime()).toBeLessThan(ended.getTime());
    expect(event!.timestamp.getTime()).toBeGreaterThanOrEqual(ended.getTime() - 30 * DAY);
  });

  it('sends a report again after a crash between the send and its mark, and Stripe counts it once', async () => {
    await customer('cus_ada', { userId: 'ada' });
    await counter('ada', { used: 1500, limitFloor: 1000 });
    expect(await reporter.collect(now)).toBe(1);
    // The crash: the rows leased and sent, the process gone before marking them sent.
    const leased = await database.db.transaction((tx) => meterReportsRepository.lease(tx, now, 120_000, 10));
    expect(leased).toHaveLength(1);
    for (const row of leased) {
      await meter.sendEvent({
        eventName: row.eventName,
        identifier: row.id,
        customerId: row.stripeCustomerId,
        value: row.value,
        timestamp: row.occurredAt,
      });
    }
    // While the lease holds, nobody sends it; once it ends, the next run sends it again.
    expect(await reporter.send(new Date(now.getTime() + 60_000))).toEqual({ sent: 0, failed: 0 });
    expect(await reporter.runNow(new Date(now.getTime() + 121_000))).toEqual({
      collected: 0,
      sent: 1,
      failed: 0,
    });
    expect(meter.requests).toBe(2);
    expect(meter.sum('cus_ada')).toBe(500);
    const rows = await database.db.select().from(meterReports);
    expect(rows.map((r) => [r.status, r.value])).toEqual([['sent', 500]]);
    expect(await overageReported('ada')).toBe(500);
  });

  it('retries a failed send with backoff', async () => {
    await customer('cus_ada', { userId: 'ada' });
    await counter('ada', { used: 1010, limitFloor: 1000 });
    meter.failNext = 1;
    expect(await reporter.runNow(now)).toEqual({ collected: 1, sent: 0, failed: 1 });
    const [row] = await database.db.select().from(meterReports);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Stripe is unavailable' });
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + backoffMs(1) - 5_000);
    // Not due yet; due after the backoff.
    expect(await reporter.send(new Date())).toEqual({ sent: 0, failed: 0 });
    expect(await reporter.send(new Date(Date.now() + backoffMs(1) + 1000))).toEqual({ sent: 1, failed: 0 });
    expect(meter.sum('cus_ada')).toBe(10);
    expect(backoffMs(3)).toBe(4 * backoffMs(1));
    expect(backoffMs(40)).toBe(3_600_000);
  });
});
