import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { announce } from '../../src/app-webhooks/outbox.js';
import { type Db, queryRows } from '../../src/db/client.js';
import type { PiiCipher } from '../../src/shared/crypto.js';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers one request: a status and body, or not at all until released. */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Requests left unanswered so far ('hang'). */
  hanging(): number;
  /** Answers every hanging request with `status`. */
  release(status?: number): void;
  close(): Promise<void>;
}

/** A host app's webhook endpoint on a loopback port, keeping every request it gets. */
export async function startReceiver(
  answer: (request: ReceivedWebhook, index: number) => Answer = () => ({ status: 204 }),
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const reply = answer(request, received.length - 1);
      if (reply === 'hang') {
        held.push(res);
        return;
      }
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = (status = 200) => {
    for (const res of held.splice(0)) res.writeHead(status).end();
  };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    hanging: () => held.length,
    release,
    async close() {
      release(503);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 random bytes. */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Verifies a received delivery with the `standardwebhooks` package; throws when it does not verify. */
export function verifyWith(secret: string, request: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

let endpoints = 0;

/** An endpoint row as the endpoints API stores it (secret sealed with the services' cipher). */
export async function addEndpoint(
  db: Db,
  cipher: PiiCipher,
  options: { url: string; secret: string; previous?: { secret: string; expiresAt: Date }; enabled?: boolean },
): Promise<string> {
  const id = `we_test${++endpoints}`;
  await db.execute(sql`insert into app_webhook_endpoints
      (id, url, enabled, secret_encrypted, previous_secret_encrypted, previous_secret_expires_at)
    values (${id}, ${options.url}, ${options.enabled ?? true}, ${cipher.encrypt(options.secret)},
      ${options.previous ? cipher.encrypt(options.previous.secret) : null}, ${options.previous?.expiresAt ?? null})`);
  return id;
}

let messages = 0;

/** Announces a `customer.updated` message to every enabled endpoint; its id. */
export async function announceChange(db: Db, userId = 'u1'): Promise<string> {
  const id = await announce(db, {
    type: 'customer.updated',
    subject: `user:${userId}`,
    dedupeKey: `test:${++messages}:${randomBytes(4).toString('hex')}`,
    at: new Date(),
    data: {
      user_id: userId,
      organization_id: null,
      customer: { id: 'cus_1', deleted: false, default_payment_method_id: null },
    },
  });
  if (!id) throw new Error('no endpoint wanted the message');
  return id;
}

export interface DeliveryState {
  id: string;
  endpoint_id: string;
  message_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
}

/** A timestamp as either driver answers a raw query (a Date, or PostgreSQL's text). */
const toDate = (value: Date | string) => new Date(value);

export async function deliveries(db: Db): Promise<DeliveryState[]> {
  const rows = await queryRows<DeliveryState>(
    db,
    sql`select id, endpoint_id, message_id, status, attempts, next_attempt_at, delivered_at
        from app_webhook_deliveries order by created_at, id`,
  );
  return rows.map((r) => ({
    ...r,
    next_attempt_at: toDate(r.next_attempt_at),
    delivered_at: r.delivered_at && toDate(r.delivered_at),
  }));
}

export interface AttemptState {
  delivery_id: string;
  status_code: number | null;
  response_body: string | null;
  error: string | null;
  succeeded: boolean;
  duration_ms: number;
  attempted_at: Date;
}

export async function attempts(db: Db): Promise<AttemptState[]> {
  const rows = await queryRows<AttemptState>(
    db,
    sql`select delivery_id, status_code, response_body, error, succeeded, duration_ms, attempted_at
        from app_webhook_attempts order by id`,
  );
  return rows.map((r) => ({ ...r, attempted_at: toDate(r.attempted_at) }));
}
