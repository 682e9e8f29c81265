/** `/v1/events`: list and retrieve, within Stripe's 30-day window. */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { resourceMissing } from '../core/errors.js';
import { inRange, listFields, type PaginationParams, paginate } from '../core/list.js';
import { p, type RangeFilter } from '../core/params.js';

interface EventListParams extends PaginationParams {
  created?: number | RangeFilter;
  delivery_success?: boolean;
  type?: string;
  types?: string[];
}

/** `type` accepts one `*` wildcard, as in `customer.subscription.*`. */
function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (type) => type === pattern;
  const [head, tail] = pattern.split('*', 2) as [string, string];
  return (type) => type.startsWith(head) && type.endsWith(tail) && type.length >= head.length + tail.length;
}

function install(ctx: EmulatorContext): void {
  const events = ctx.events;

  ctx.route({
    method: 'GET',
    path: '/v1/events/:id',
    handler: ({ pathParams }) => {
      const event = events.collection.get(pathParams.id!);
      if (!event || !events.isRetained(event)) throw resourceMissing('event', pathParams.id!);
      return event;
    },
  });

  ctx.route<EventListParams>({
    method: 'GET',
    path: '/v1/events',
    params: listFields({
      created: p.range(),
      delivery_success: p.boolean(),
      type: p.string(),
      types: p.array(p.string(), { maxItems: 20 }),
    }),
    handler: ({ params }) => {
      const typeOk = params.type ? typeMatcher(params.type) : () => true;
      const types = params.types ? new Set(params.types) : null;
      const matches = (event: Stripe.Event) =>
        events.isRetained(event) &&
        typeOk(event.type) &&
        (!types || types.has(event.type)) &&
        inRange(event.created, params.created) &&
        (params.delivery_success === undefined || (event.pending_webhooks === 0) === params.delivery_success);
      return paginate(events.collection.newestFirst(), params, { url: '/v1/events', noun: 'event', matches });
    },
  });
}

export const eventsModule: EmulatorModule = { name: 'events', install };
