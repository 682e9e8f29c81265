import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StripeMode } from '../config.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const checkResult = z.object({
  name: z.string(),
  ok: z.boolean(),
  latency_ms: z.number(),
  error: z.string().optional(),
});

const CHECK_TIMEOUT_MS = 3000;

async function run(check: ReadinessCheck): Promise<z.infer<typeof checkResult>> {
  const started = performance.now();
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
    ]);
    return { name: check.name, ok: true, latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      latency_ms: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export function healthRoutes(deps: {
  checks: ReadinessCheck[];
  stripe: { mode: StripeMode; emulated: boolean };
  version: string;
  metricsText: () => Promise<string>;
  metricsContentType: string;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          summary: 'Service summary: version and Stripe mode',
          response: {
            200: z.object({
              status: z.literal('ok'),
              version: z.string(),
              stripe: z.object({ mode: z.enum(['test', 'live']), emulated: z.boolean() }),
            }),
          },
        },
      },
      async () => ({ status: 'ok' as const, version: deps.version, stripe: deps.stripe }),
    );

    app.get(
      '/health/live',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          summary: 'Liveness: the process answers',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          summary: 'Readiness: database, queue, cache and Stripe answer',
          response: {
            200: z.object({ status: z.literal('ready'), checks: z.array(checkResult) }),
            503: z.object({ status: z.literal('unavailable'), checks: z.array(checkResult) }),
          },
        },
      },
      async (_request, reply) => {
        const checks = await Promise.all(deps.checks.map(run));
        return checks.every((c) => c.ok)
          ? { status: 'ready' as const, checks }
          : reply.status(503).send({ status: 'unavailable' as const, checks });
      },
    );

    app.get(
      '/metrics',
      {
        config: { access: ['admin', 'service'] },
        schema: { tags: ['health'], summary: 'Prometheus metrics' },
      },
      async (_request, reply) => reply.type(deps.metricsContentType).send(await deps.metricsText()),
    );
  };
}
