/**
 * `/_emulator/*`: switches for tests and operators, outside Stripe's API (no auth, no faults).
 *   GET  /_emulator/health          liveness and counts
 *   POST /_emulator/reset           forget everything
 *   GET  /_emulator/faults          current fault settings
 *   POST /_emulator/faults          JSON: any FaultSettings fields to change
 *   POST /_emulator/clock           JSON: { "now": unix seconds | null } fixes or frees emulator time
 *   POST /_emulator/webhooks/idle   answers once no webhook delivery is pending or in flight
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import type { Faults, FaultUpdate } from './faults.js';

export interface ControlDeps {
  faults: Faults;
  clock: Clock;
  reset(): Promise<void>;
  webhooksIdle(): Promise<void>;
  counts(): Record<string, number>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('Expected a JSON object');
  return value as Record<string, unknown>;
}

export async function handleControlRequest(
  deps: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_emulator/health':
        return send(res, 200, { status: 'ok', now: deps.clock.now(), objects: deps.counts() });
      case 'POST /_emulator/reset':
        await deps.reset();
        return send(res, 200, { reset: true });
      case 'GET /_emulator/faults':
        return send(res, 200, deps.faults.get());
      case 'POST /_emulator/faults':
        return send(res, 200, deps.faults.set((await readJson(req)) as FaultUpdate));
      case 'POST /_emulator/clock': {
        const { now } = await readJson(req);
        if (now !== null && !Number.isSafeInteger(now))
          throw new TypeError('now must be unix seconds or null');
        deps.clock.set(now as number | null);
        return send(res, 200, { now: deps.clock.now() });
      }
      case 'POST /_emulator/webhooks/idle':
        await deps.webhooksIdle();
        return send(res, 200, { idle: true });
      default:
        return send(res, 404, { error: { message: `No emulator control route ${route}` } });
    }
  } catch (error) {
    send(res, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
  }
}
