import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type Stripe from 'stripe';
import { z } from 'zod';
import { stripeIdempotencyKey } from './client.js';
import { callStripe } from './errors.js';
import { isResourceMissing } from './lists.js';

/**
 * Makes Stripe (in practice the built-in emulator) deliver every event to `url`, and returns the
 * signing secret. Stripe shows a secret only when an endpoint is created, so an endpoint left from
 * an earlier run at the same URL is replaced.
 */
export async function registerWebhookEndpoint(stripe: Stripe, url: string): Promise<string> {
  return (await replaceEndpoint(stripe, url)).secret;
}

async function replaceEndpoint(stripe: Stripe, url: string): Promise<{ id: string; secret: string }> {
  await removeWebhookEndpoint(stripe, url);
  const created = await callStripe(() =>
    stripe.webhookEndpoints.create(
      { url, enabled_events: ['*'], description: 'Recur (embedded)' },
      { idempotencyKey: stripeIdempotencyKey('webhook-endpoint', undefined, 'create') },
    ),
  );
  if (!created.secret) throw new Error('Stripe created a webhook endpoint without a secret');
  return { id: created.id, secret: created.secret };
}

/** Removes the endpoints at `url`: a process that listened only for a while leaves none behind. */
export async function removeWebhookEndpoint(stripe: Stripe, url: string): Promise<void> {
  const existing = await callStripe(() => stripe.webhookEndpoints.list({ limit: 100 }));
  for (const endpoint of existing.data.filter((e) => e.url === url)) {
    await callStripe(() => stripe.webhookEndpoints.del(endpoint.id));
  }
}

const keptEndpoint = z.object({ id: z.string().min(1), secret: z.string().min(1) });

/**
 * `recur serve`'s endpoint with the built-in emulator, kept from one start to the next as a merchant
 * keeps theirs: its id and signing secret live in `file` (owner only, beside the emulator's state,
 * which holds the same secret). The endpoint is reused, its URL updated when the port changed, so
 * the deliveries Stripe still owed it when the process stopped reach the next one. Made afresh
 * (replacing any other at `url`) when the file or the endpoint is gone. Answers the signing secret.
 */
export async function keptWebhookEndpoint(stripe: Stripe, url: string, file: string): Promise<string> {
  const kept = keptEndpoint.safeParse(await readJson(file));
  if (kept.success) {
    const endpoint = await callStripe(() => stripe.webhookEndpoints.retrieve(kept.data.id)).catch(
      (error: unknown) => {
        if (isResourceMissing(error)) return null;
        throw error;
      },
    );
    if (endpoint) {
      if (endpoint.url !== url) await callStripe(() => stripe.webhookEndpoints.update(endpoint.id, { url }));
      return kept.data.secret;
    }
  }
  const created = await replaceEndpoint(stripe, url);
  // Written whole or not at all, and readable by its owner only (it holds the signing secret).
  await rm(`${file}.tmp`, { force: true });
  await writeFile(`${file}.tmp`, JSON.stringify(created), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return created.secret;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}
