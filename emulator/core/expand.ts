/**
 * `expand[]`: replaces id-valued fields with the objects they name, along dotted paths that may run
 * through lists (`data.default_price`), nested hashes (`invoice_settings.default_payment_method`)
 * and other expanded objects (`items.data.price.product`).
 *
 * Modules declare what can be expanded, per object type and field path within that object:
 *   expand.reference('price', 'product', 'product')            id → record of the `product` collection
 *   expand.define('price', 'tiers', (_value, price) => …)      computed "includable" field
 * Anything not declared is refused with Stripe's "This property cannot be expanded" error.
 */
import { invalidRequest } from './errors.js';
import type { Store } from './store.js';

type Holder = Record<string, unknown>;
/** Returns the expanded value for `value` (an id, or undefined for includable fields); undefined leaves it as is. */
export type ExpandResolver = (value: unknown, parent: Holder) => unknown;

const MAX_DEPTH = 4;
/** Containers whose `data` array is walked through rather than expanded. */
const CONTAINERS = new Set(['list', 'search_result']);

interface Scope {
  type: string;
  prefix: string;
}

function isObject(value: unknown): value is Holder {
  return typeof value === 'object' && value !== null;
}

function notExpandable(path: string, root: unknown): Error {
  const isContainer = isObject(root) && CONTAINERS.has(String(root.object));
  const hint =
    isContainer && !path.startsWith('data.') ? ` You may want to try expanding 'data.${path}' instead.` : '';
  return invalidRequest(`This property cannot be expanded (${path}).${hint}`);
}

export class ExpandRegistry {
  private readonly resolvers = new Map<string, ExpandResolver>();

  constructor(private readonly store: Store) {
    this.define('search_result', 'total_count', (value) => value);
  }

  define(objectType: string, fieldPath: string, resolve: ExpandResolver): void {
    this.resolvers.set(`${objectType}:${fieldPath}`, resolve);
  }

  /** `fieldPath` of `objectType` holds the id of a record in `collection`. */
  reference(objectType: string, fieldPath: string, collection: string): void {
    this.define(objectType, fieldPath, (value) =>
      typeof value === 'string' ? this.store.collection(collection).get(value) : undefined,
    );
  }

  /**
   * Fields naming objects the emulator does not model (applications, transfers, reviews, sources,
   * mandates…): always null here, and expanding a null field answers null, as Stripe does.
   */
  alwaysNull(objectType: string, fieldPaths: readonly string[]): void {
    for (const fieldPath of fieldPaths) this.define(objectType, fieldPath, () => undefined);
  }

  private hasUnder(objectType: string, fieldPath: string): boolean {
    const prefix = `${objectType}:${fieldPath}.`;
    for (const key of this.resolvers.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  isExpandable(objectType: string, fieldPath: string): boolean {
    return this.resolvers.has(`${objectType}:${fieldPath}`);
  }

  /** A copy of `result` with every path expanded; `result` itself is left untouched. */
  apply<T>(result: T, paths: readonly string[]): T {
    if (paths.length === 0 || !isObject(result)) return result;
    const copy = structuredClone(result) as T & Holder;
    for (const path of paths) {
      const segments = path.split('.');
      if (segments.length > MAX_DEPTH)
        throw invalidRequest('You cannot expand more than 4 levels of a property.');
      this.walk(copy, segments, 0, this.scopeOf(copy, { type: '', prefix: '' }, ''), path, copy);
    }
    return copy;
  }

  private scopeOf(value: Holder, parent: Scope, fieldKey: string): Scope {
    if (typeof value.object === 'string') return { type: value.object, prefix: '' };
    return { type: parent.type, prefix: fieldKey };
  }

  private walk(holder: Holder, segments: string[], index: number, scope: Scope, path: string, root: unknown) {
    const segment = segments[index]!;
    const fieldKey = scope.prefix ? `${scope.prefix}.${segment}` : segment;
    const resolver = this.resolvers.get(`${scope.type}:${fieldKey}`);
    const last = index === segments.length - 1;
    const traversable = CONTAINERS.has(scope.type) && segment === 'data' && !last;
    // A null hash on the way (`transfer_data` of `transfer_data.destination`) has nothing to expand.
    if (!resolver && !last && holder[segment] === null && this.hasUnder(scope.type, fieldKey)) return;
    if (!resolver && (last || (!traversable && !isObject(holder[segment])))) throw notExpandable(path, root);

    if (resolver) {
      const resolveOne = (value: unknown) => {
        if (value === null || isObject(value)) return value;
        const resolved = resolver(value, holder);
        return resolved === undefined ? value : structuredClone(resolved);
      };
      const current = holder[segment];
      const next = Array.isArray(current) ? current.map(resolveOne) : resolveOne(current);
      if (next !== undefined) holder[segment] = next;
    }
    if (last) return;

    const value = holder[segment];
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (isObject(child)) {
        this.walk(child, segments, index + 1, this.scopeOf(child, scope, fieldKey), path, root);
      }
    }
  }
}
