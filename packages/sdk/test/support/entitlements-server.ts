import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Benefits = Record<string, boolean | number | string>;

/**
 * Recur's entitlements route, played by a local server: it answers each user's current benefits
 * and the sequence of the last message about the user (read when the request arrives, as Recur
 * reads it before the set), counts the reads, can be down (503), and can hold an answer until released.
 */
export async function entitlementsServer() {
  const benefits = new Map<string, Benefits>();
  const sequences = new Map<string, number>();
  const state = { reads: 0, down: false, hold: null as Promise<void> | null, arrived: () => {} };
  const server = createServer(async (request, response) => {
    const match = /^\/api\/users\/([^/]+)\/entitlements$/.exec(request.url ?? '');
    if (!match) return response.writeHead(404).end();
    state.reads++;
    const asOf = new Date().toISOString();
    const sequence = sequences.get(decodeURIComponent(match[1]!)) ?? 0;
    state.arrived();
    if (state.hold) await state.hold;
    if (state.down)
      return response
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'internal_error', message: 'down', request_id: 'r' } }));
    const userId = decodeURIComponent(match[1]!);
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        user_id: userId,
        benefits: benefits.get(userId) ?? {},
        subscriptions: [],
        as_of: asOf,
        sequence,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    benefits,
    sequences,
    state,
    /** Holds every answer until `release()`; `arrived` settles when a read has come in. */
    holdAnswers() {
      let release!: () => void;
      state.hold = new Promise((resolve) => {
        release = resolve;
      });
      const arrived = new Promise<void>((resolve) => {
        state.arrived = resolve;
      });
      return {
        arrived,
        release: () => {
          state.hold = null;
          release();
        },
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
