/**
 * `POST /v1/billing/meter_events` and `GET /v1/billing/meters/:id/event_summaries`.
 *
 * Meter events (https://docs.stripe.com/api/billing/meter-event/create):
 * - `identifier` is optional (one is generated) and unique: Stripe "will enforce uniqueness within
 *   a rolling period of at least 24 hours", and the API refuses a repeat with a 400
 *   `invalid_request_error` "An event already exists with identifier …" (seen from live Stripe,
 *   https://github.com/langfuse/langfuse/pull/16292). The emulator keeps identifiers for good, so a
 *   repeat is refused whenever it comes; the first event alone is counted.
 * - `timestamp` defaults to now and "must be within the past 35 calendar days or up to 5 minutes
 *   in the future"; "now" is the customer's time (its test clock, if any).
 * - Everything else is validated asynchronously by Stripe: "Stripe processes meter events
 *   asynchronously" and reports an unknown event name, a missing or unknown customer, a missing or
 *   non-numeric value or an inactive meter later, as `v1.billing.meter.error_report_triggered` /
 *   `v1.billing.meter.no_meter_found` thin events
 *   (https://docs.stripe.com/billing/subscriptions/usage-based/recording-usage-api). So the API
 *   accepts such an event (200) and it counts for nothing; the emulator does not send thin events.
 *
 * Summaries (https://docs.stripe.com/api/billing/meter-event-summary/list): `start_time` and
 * `end_time` are required and minute-aligned; the range is [start, end). Without
 * `value_grouping_window` there is one summary for the whole range; with `hour` or `day` one per
 * UTC hour or day overlapping it (empty ones included, with 0), newest first like every Stripe list.
 */
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { invalidRequest } from '../../core/errors.js';
import { listFields, type PaginationParams, paginate } from '../../core/list.js';
import { p } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import { customersOf } from '../../resources/collections.js';
import { activeMeterFor, meterEventsOf, metersOf, meterUsage } from './meter-store.js';

const DAY = 86_400;
const MAX_AGE = 35 * DAY;
const MAX_AHEAD = 5 * 60;
const WINDOW_SECONDS = { hour: 3_600, day: DAY } as const;

type SummaryParams = Stripe.Billing.MeterListEventSummariesParams & PaginationParams;

export function installMeterEvents(ctx: EmulatorContext): void {
  const events = meterEventsOf(ctx.store);

  ctx.route<Stripe.Billing.MeterEventCreateParams>({
    method: 'POST',
    path: '/v1/billing/meter_events',
    params: {
      event_name: p.string({ required: true, maxLength: 100 }),
      payload: p.metadata({ required: true, emptyable: false }),
      identifier: p.string({ maxLength: 100 }),
      timestamp: p.timestamp(),
    },
    handler: ({ params }) => {
      const meter = activeMeterFor(ctx.store, params.event_name);
      const customerKey = meter?.customer_mapping.event_payload_key ?? 'stripe_customer_id';
      const customerId = params.payload[customerKey];
      const customer = customerId !== undefined && customersOf(ctx.store).has(customerId) ? customerId : null;
      const now = customer ? ctx.clock.nowForCustomer(customer) : ctx.clock.now();
      const timestamp = params.timestamp ?? now;
      if (timestamp < now - MAX_AGE || timestamp > now + MAX_AHEAD) {
        throw invalidRequest(
          'Timestamp must be within the past 35 calendar days and no more than 5 minutes in the future.',
          { param: 'timestamp' },
        );
      }
      const identifier = params.identifier ?? randomUUID();
      if (events.has(identifier)) {
        throw invalidRequest(`An event already exists with identifier ${identifier}.`, {
          param: 'identifier',
        });
      }
      const event: Stripe.Billing.MeterEvent = {
        object: 'billing.meter_event',
        created: now,
        event_name: params.event_name,
        identifier,
        livemode: false,
        payload: params.payload,
        timestamp,
      };
      const raw = meter ? params.payload[meter.value_settings.event_payload_key] : undefined;
      const number = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
      // A count meter counts events whatever their value; the others need a number.
      const value =
        meter?.default_aggregation.formula === 'count' ? 1 : Number.isFinite(number) ? number : null;
      const counted = meter && customer && value !== null;
      events.save({
        id: identifier,
        event,
        meter: counted ? meter.id : null,
        customer: counted ? customer : null,
        value: counted ? value : null,
        sequence: events.all().length + 1,
      });
      return event;
    },
  });
  ctx.route<SummaryParams>({
    method: 'GET',
    path: '/v1/billing/meters/:id/event_summaries',
    params: listFields({
      customer: p.ref('customer', { required: true }),
      start_time: p.timestamp({ required: true }),
      end_time: p.timestamp({ required: true }),
      value_grouping_window: p.enum(['day', 'hour']),
    }),
    handler: ({ pathParams, params }) => {
      const meter = mustGet(metersOf(ctx.store), pathParams.id!, 'billing meter');
      for (const param of ['start_time', 'end_time'] as const) {
        if (params[param] % 60 !== 0) {
          throw invalidRequest(`${param} must be aligned with minute boundaries.`, { param });
        }
      }
      if (params.end_time <= params.start_time) {
        throw invalidRequest('end_time must be after start_time.', { param: 'end_time' });
      }
      const windows = summaryWindows(params.start_time, params.end_time, params.value_grouping_window);
      const summaries = windows.map(
        ({ start, end }): Stripe.Billing.MeterEventSummary => ({
          id: summaryId(meter.id, params.customer, start, end),
          object: 'billing.meter_event_summary',
          aggregated_value: meterUsage(ctx.store, meter, params.customer, start, end),
          end_time: end,
          livemode: false,
          meter: meter.id,
          start_time: start,
        }),
      );
      return paginate(summaries.reverse(), params, {
        url: `/v1/billing/meters/${meter.id}/event_summaries`,
        noun: 'billing meter event summary',
      });
    },
  });
}

function summaryWindows(start: number, end: number, grouping: string | undefined) {
  const size = grouping === 'hour' || grouping === 'day' ? WINDOW_SECONDS[grouping] : null;
  if (!size) return [{ start, end }];
  const windows: Array<{ start: number; end: number }> = [];
  for (let from = Math.floor(start / size) * size; from < end; from += size) {
    windows.push({ start: Math.max(from, start), end: Math.min(from + size, end) });
  }
  return windows;
}

/** Stable ids, so a cursor names the same window on the next page. */
function summaryId(meter: string, customer: string, start: number, end: number): string {
  return `mtrusg_${Buffer.from(`${meter}:${customer}:${start}:${end}`).toString('base64url')}`;
}
