/**
 * A local HTTP endpoint that records the webhooks it receives, and can be told to fail, so tests
 * can watch delivery, retries and ordering.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  body: string;
  signature: string;
  userAgent: string;
  eventId: string;
  type: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with for the next `count` deliveries (default: 200 for everything). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  let failureStatus = 500;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failures > 0) {
        failures--;
        res.writeHead(failureStatus).end();
        return;
      }
      const event = JSON.parse(body) as { id: string; type: string };
      received.push({
        body,
        signature: String(req.headers['stripe-signature']),
        userAgent: String(req.headers['user-agent']),
        eventId: event.id,
        type: event.type,
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    failNext(count, status = 500) {
      failures = count;
      failureStatus = status;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
