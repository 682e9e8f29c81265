/**
 * Body parameters that name another object (`customer`, `items[0][price]`, a refund's `charge`).
 * A declaration marks such a parameter with `p.ref(kind)`; before any handler runs, the pipeline
 * looks every named object up and answers Stripe's 400 `resource_missing` with the parameter's
 * path for one that does not exist. Only the object in the URL is a 404
 * (https://docs.stripe.com/api/errors, https://docs.stripe.com/error-codes/resource-missing).
 */
import type { Clock } from './clock.js';
import { referenceMissing } from './errors.js';
import type { ParamFields, ParamSpec } from './params.js';
import type { Store } from './store.js';

interface ReferenceKind {
  /** Stripe's word for the object in "No such <noun>: 'id'". */
  noun: string;
  exists: (id: string) => boolean;
}

/** Kinds whose records live in the store collection of the same name. */
const STORED_KINDS: Record<string, string> = {
  charge: 'charge',
  coupon: 'coupon',
  customer: 'customer',
  invoice: 'invoice',
  invoiceitem: 'invoiceitem',
  payment_intent: 'payment_intent',
  price: 'price',
  product: 'product',
  promotion_code: 'promotion code',
  setup_intent: 'setupintent',
  subscription: 'subscription',
  subscription_schedule: 'subscription_schedule',
  'billing_portal.configuration': 'billing_portal.configuration',
};

export class ReferenceRegistry {
  private readonly kinds = new Map<string, ReferenceKind>();

  constructor(store: Store, clock: Clock) {
    for (const [kind, noun] of Object.entries(STORED_KINDS)) {
      this.define(kind, noun, (id) => store.collection(kind).has(id));
    }
    this.define('test_helpers.test_clock', 'test_clock', (id) => clock.testClockNow(id) !== undefined);
  }

  /** A kind whose existence is not just "a record in its collection" (payment methods' test ids). */
  define(kind: string, noun: string, exists: (id: string) => boolean): void {
    this.kinds.set(kind, { noun, exists });
  }

  /** Throws Stripe's 400 for the first referenced object that does not exist, in declaration order. */
  check(fields: ParamFields, params: Record<string, unknown>): void {
    this.walkFields(fields, params, '');
  }

  private walkFields(fields: ParamFields, values: Record<string, unknown>, path: string): void {
    for (const [key, spec] of Object.entries(fields)) {
      const value = values[key];
      if (value !== undefined && value !== null) this.walk(spec, value, path ? `${path}[${key}]` : key);
    }
  }

  private walk(spec: ParamSpec, value: unknown, path: string): void {
    switch (spec.kind) {
      case 'string':
        if (spec.ref && typeof value === 'string') this.resolve(spec.ref, value, path);
        return;
      case 'object':
        if (typeof value === 'object' && value !== null)
          this.walkFields(spec.fields, value as Record<string, unknown>, path);
        return;
      case 'array':
        if (Array.isArray(value)) {
          for (const [i, item] of value.entries()) this.walk(spec.of, item, `${path}[${i}]`);
        }
        return;
      case 'oneOf':
        // A reference option is the one a string value took (the others are hashes or enums).
        for (const option of spec.options) {
          if (option.kind === 'string' && option.ref && typeof value === 'string') {
            this.resolve(option.ref, value, path);
            return;
          }
        }
        return;
      default:
        return;
    }
  }

  private resolve(kind: string, id: string, path: string): void {
    const known = this.kinds.get(kind);
    if (!known) throw new Error(`No reference kind '${kind}' is defined (parameter ${path})`);
    if (!known.exists(id)) throw referenceMissing(known.noun, id, path);
  }
}
