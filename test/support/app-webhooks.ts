import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { bearer, type TestApp } from './app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** An admin call to the app, answering status and parsed body. */
export async function adminCall(
  t: TestApp,
  method: Method,
  url: string,
  payload?: unknown,
  credential: string | null = t.adminKey,
) {
  const res = await t.app.inject({
    method,
    url,
    headers: credential ? bearer(credential) : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() };
}

/** Creates an endpoint through the API; answers its id and its secret. */
export async function createEndpoint(
  t: TestApp,
  body: Record<string, unknown> = {},
): Promise<{ id: string; secret: string }> {
  const res = await adminCall(t, 'POST', '/api/admin/webhook-endpoints', {
    url: 'http://127.0.0.1:9/hooks',
    ...body,
  });
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.endpoint.id, secret: res.body.secret };
}

export interface StoredEndpoint {
  url: string;
  description: string;
  event_types: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: Date | null;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
}

export async function storedEndpoints(t: TestApp): Promise<Array<StoredEndpoint & { id: string }>> {
  return queryRows(t.database.db, sql`select * from app_webhook_endpoints order by id`);
}

export interface StoredDelivery {
  id: string;
  message_id: string;
  endpoint_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  created_at: Date;
}

export async function storedDeliveries(t: TestApp): Promise<StoredDelivery[]> {
  return queryRows(t.database.db, sql`select * from app_webhook_deliveries order by created_at, id`);
}
