import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';

type Observer = { observe(seconds: number): void };

export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  // One labelled series per route, method and status, looked up once: hashing the label set on
  // every request showed in the webhook route's profile.
  const series = new Map<string, Observer>();
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL, so ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let observer = series.get(key);
    if (!observer) {
      observer = metrics.httpDuration.labels({
        method: request.method,
        route,
        status_code: String(reply.statusCode),
      });
      series.set(key, observer);
    }
    observer.observe(reply.elapsedTime / 1000);
    done();
  });
}
