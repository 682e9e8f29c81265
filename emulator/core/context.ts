/**
 * What a resource module sees. A module is `{ name, install(ctx) }`; in `install` it declares its
 * routes (with their parameters), its expandable fields, clock hooks and reset hooks, and keeps its
 * state in `ctx.store`. Handlers return the Stripe object (or throw a StripeApiError); the server
 * takes care of auth, faults, parameter checks, idempotency, `expand[]` and serialisation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import type { EventLog } from './events.js';
import type { ExpandRegistry } from './expand.js';
import type { Faults } from './faults.js';
import type { Logger } from './logger.js';
import type { ParamFields } from './params.js';
import type { ReferenceRegistry } from './references.js';
import type { HttpMethod } from './router.js';
import type { Store } from './store.js';

export interface ApiRequest<P = Record<string, unknown>> {
  method: HttpMethod;
  /** Path without the query string, e.g. `/v1/products/prod_123`. */
  path: string;
  /** Values of the `:placeholders` in the route pattern. */
  pathParams: Record<string, string>;
  /** Declared parameters, decoded and coerced; unset (`''`) emptyable ones are `null`. */
  params: P;
  requestId: string;
  idempotencyKey: string | null;
  /** The `Stripe-Version` the emulator answers in: the pinned one (any other is refused). */
  stripeVersion: string;
}

export interface RouteDefinition<P = Record<string, unknown>> {
  method: HttpMethod;
  path: string;
  /** Accepted parameters. `expand` is accepted everywhere and need not be declared. */
  params?: ParamFields;
  handler: (request: ApiRequest<P>) => unknown;
}

/** A non-API handler (hosted pages, redirects): no auth, no Stripe parameter rules. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface EmulatorContext {
  store: Store;
  clock: Clock;
  events: EventLog;
  expand: ExpandRegistry;
  /** Kinds of object a parameter declared with `p.ref(kind)` can name. */
  references: ReferenceRegistry;
  faults: Faults;
  logger: Logger;
  /** The emulator's base URL (`http://127.0.0.1:port`), known once it listens. */
  baseUrl(): string;
  route<P = Record<string, unknown>>(definition: RouteDefinition<P>): void;
  /** Serves every request whose path starts with `pathPrefix` (must not start with /v1/). */
  raw(pathPrefix: string, handler: RawHandler): void;
  onReset(hook: () => void): void;
  onClose(hook: () => void | Promise<void>): void;
}

export interface EmulatorModule {
  name: string;
  install(ctx: EmulatorContext): void;
}
