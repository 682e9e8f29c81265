/**
 * Path routing for `/v1/...`: patterns such as `/v1/products/:id`. A pattern with more fixed
 * segments wins over one with placeholders, so `/v1/products/search` is never read as an id.
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface CompiledRoute<T> {
  segments: string[];
  staticWeight: number;
  value: T;
}

export interface RouteMatch<T> {
  value: T;
  pathParams: Record<string, string>;
}

export class Router<T> {
  private readonly routes = new Map<string, CompiledRoute<T>[]>();

  add(method: HttpMethod, pattern: string, value: T): void {
    const segments = pattern.split('/').filter(Boolean);
    // Earlier fixed segments weigh more: /v1/x/search beats /v1/x/:id, /v1/x/:id/y beats /v1/x/:id/:z.
    const staticWeight = segments.reduce((w, s, i) => (s.startsWith(':') ? w : w + 2 ** (16 - i)), 0);
    const list = this.routes.get(method) ?? [];
    if (list.some((r) => r.segments.join('/') === segments.join('/'))) {
      throw new Error(`Route ${method} ${pattern} is registered twice`);
    }
    list.push({ segments, staticWeight, value });
    list.sort((a, b) => b.staticWeight - a.staticWeight);
    this.routes.set(method, list);
  }

  /** Every registered value with its method and pattern, in registration order per method. */
  all(): Array<{ method: HttpMethod; pattern: string; value: T }> {
    return [...this.routes].flatMap(([method, list]) =>
      list.map((r) => ({
        method: method as HttpMethod,
        pattern: `/${r.segments.join('/')}`,
        value: r.value,
      })),
    );
  }

  match(method: string, path: string): RouteMatch<T> | null {
    const list = this.routes.get(method);
    if (!list) return null;
    const parts = path.split('/').filter(Boolean);
    for (const route of list) {
      if (route.segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < parts.length; i++) {
        const segment = route.segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith(':')) {
          try {
            pathParams[segment.slice(1)] = decodeURIComponent(part);
          } catch {
            pathParams[segment.slice(1)] = part;
          }
        } else if (segment !== part) {
          matched = false;
          break;
        }
      }
      if (matched) return { value: route.value, pathParams };
    }
    return null;
  }
}
