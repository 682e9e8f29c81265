/**
 * `/v1/billing/meters`: create, retrieve, update (`display_name` only: "Meters are immutable, with
 * the exception of the display name",
 * https://docs.stripe.com/billing/subscriptions/usage-based/recording-usage), list, deactivate and
 * reactivate (https://docs.stripe.com/api/billing/meter). An event name belongs to one active
 * meter at a time ("You can only use an event name with a single meter"), so a second active
 * meter for it is refused, at creation and at reactivation.
 */
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { listFields, type PaginationParams, paginate } from '../../core/list.js';
import { p } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import { activeMeterFor, metersOf } from './meter-store.js';

const NOUN = 'billing meter';

function assertEventNameFree(ctx: EmulatorContext, eventName: string, param?: string): void {
  const holder = activeMeterFor(ctx.store, eventName);
  if (holder) {
    throw invalidRequest(
      `An active meter (\`${holder.id}\`) already uses the event name \`${eventName}\`. Deactivate it or choose another event_name.`,
      { ...(param && { param }) },
    );
  }
}

export function installMeters(ctx: EmulatorContext): void {
  const meters = metersOf(ctx.store);

  ctx.route<Stripe.Billing.MeterCreateParams>({
    method: 'POST',
    path: '/v1/billing/meters',
    params: {
      default_aggregation: p.object(
        { formula: p.enum(['count', 'last', 'sum'], { required: true }) },
        { required: true },
      ),
      display_name: p.string({ required: true, maxLength: 250 }),
      event_name: p.string({ required: true, maxLength: 100 }),
      customer_mapping: p.object({
        event_payload_key: p.string({ required: true, maxLength: 100 }),
        type: p.enum(['by_id'], { required: true }),
      }),
      event_time_window: p.enum(['day', 'hour']),
      value_settings: p.object({ event_payload_key: p.string({ required: true, maxLength: 100 }) }),
    },
    handler: ({ params }) => {
      assertEventNameFree(ctx, params.event_name, 'event_name');
      const now = ctx.clock.now();
      const meter: Stripe.Billing.Meter = {
        id: newId('mtr'),
        object: 'billing.meter',
        created: now,
        customer_mapping: {
          event_payload_key: params.customer_mapping?.event_payload_key ?? 'stripe_customer_id',
          type: 'by_id',
        },
        default_aggregation: { formula: params.default_aggregation.formula },
        display_name: params.display_name,
        event_name: params.event_name,
        event_time_window: params.event_time_window ?? null,
        livemode: false,
        status: 'active',
        status_transitions: { deactivated_at: null },
        updated: now,
        value_settings: { event_payload_key: params.value_settings?.event_payload_key ?? 'value' },
      };
      meters.save(meter);
      ctx.events.emit('billing.meter.created', meter);
      return meter;
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/billing/meters/:id',
    handler: ({ pathParams }) => mustGet(meters, pathParams.id!, NOUN),
  });

  ctx.route<Stripe.Billing.MeterUpdateParams>({
    method: 'POST',
    path: '/v1/billing/meters/:id',
    params: { display_name: p.string({ maxLength: 250 }) },
    handler: ({ pathParams, params }) =>
      change(ctx, mustGet(meters, pathParams.id!, NOUN), 'billing.meter.updated', (meter) => {
        if (params.display_name !== undefined) meter.display_name = params.display_name;
      }),
  });

  ctx.route<Stripe.Billing.MeterListParams & PaginationParams>({
    method: 'GET',
    path: '/v1/billing/meters',
    params: listFields({ status: p.enum(['active', 'inactive']) }),
    handler: ({ params }) =>
      paginate(meters.newestFirst(), params, {
        url: '/v1/billing/meters',
        noun: NOUN,
        matches: (meter) => !params.status || meter.status === params.status,
      }),
  });

  ctx.route({
    method: 'POST',
    path: '/v1/billing/meters/:id/deactivate',
    handler: ({ pathParams }) => {
      const meter = mustGet(meters, pathParams.id!, NOUN);
      if (meter.status !== 'active') throw invalidRequest('This meter is already inactive.');
      return change(ctx, meter, 'billing.meter.deactivated', (m) => {
        m.status = 'inactive';
        m.status_transitions = { deactivated_at: ctx.clock.now() };
      });
    },
  });

  ctx.route({
    method: 'POST',
    path: '/v1/billing/meters/:id/reactivate',
    handler: ({ pathParams }) => {
      const meter = mustGet(meters, pathParams.id!, NOUN);
      if (meter.status === 'active') throw invalidRequest('This meter is already active.');
      assertEventNameFree(ctx, meter.event_name);
      return change(ctx, meter, 'billing.meter.reactivated', (m) => {
        m.status = 'active';
        m.status_transitions = { deactivated_at: null };
      });
    },
  });
}

/** Applies `edit`, stamps `updated` and announces the change (nothing is announced for no change). */
function change(
  ctx: EmulatorContext,
  meter: Stripe.Billing.Meter,
  type: 'billing.meter.updated' | 'billing.meter.deactivated' | 'billing.meter.reactivated',
  edit: (meter: Stripe.Billing.Meter) => void,
): Stripe.Billing.Meter {
  const before = structuredClone(meter);
  edit(meter);
  const previous = previousAttributes(before, meter);
  if (Object.keys(previous).length === 0) return meter;
  meter.updated = ctx.clock.now();
  metersOf(ctx.store).save(meter);
  ctx.events.emit(type, meter, { previousAttributes: previousAttributes(before, meter) });
  return meter;
}
