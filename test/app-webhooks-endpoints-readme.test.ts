import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_END, CATALOGUE_START, catalogueMarkdown } from '../scripts/readme-catalogue.js';
import {
  DISABLE_AFTER_MS,
  GIVE_UP_AFTER_MS,
  RETRY_DELAYS_MS,
  RETRY_JITTER,
} from '../src/app-webhooks/dispatcher.js';
import { toEndpointView } from '../src/app-webhooks/routes.js';

/** The README's "Webhooks to your app" section says what the code does. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(
  readme.indexOf('## Webhooks to your app'),
  readme.indexOf('## Sync from Stripe'),
);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const duration = (ms: number) =>
  ms < 60_000 ? `${ms / 1000} s` : ms < HOUR ? `${ms / 60_000} min` : `${ms / HOUR} h`;

describe('the README on webhooks to your app', () => {
  it('holds the event catalogue as written from the catalogue (run `npm run openapi`)', () => {
    const block = readme.slice(
      readme.indexOf(CATALOGUE_START),
      readme.indexOf(CATALOGUE_END) + CATALOGUE_END.length,
    );
    expect(block).toBe(catalogueMarkdown());
    expect(section).toContain(CATALOGUE_START);
  });

  it('gives the dispatcher’s retry schedule, give-up and disabling times', () => {
    const waits = RETRY_DELAYS_MS.map(duration);
    const schedule = `${waits.slice(0, -1).join(', ')}, then every ${waits.at(-1)}`;
    expect(section.replace(/\s+/g, ' ')).toContain(`retried after ${schedule}`);
    expect(section).toContain(`up to ${RETRY_JITTER * 100} % longer`);
    expect(GIVE_UP_AFTER_MS).toBe(3 * DAY);
    expect(section.replace(/\s+/g, ' ')).toContain('until three days after the first attempt');
    expect(DISABLE_AFTER_MS).toBe(5 * DAY);
    expect(section).toContain('failed for five days is disabled');
  });

  it('shows the fields a created endpoint is answered with', () => {
    const documented = section.match(/```json\n(\{ "endpoint"[\s\S]*?)```/)?.[1];
    const answer = JSON.parse(documented!);
    const at = new Date('2026-12-01T10:00:00Z');
    const view = toEndpointView({
      id: 'we_1',
      url: 'http://127.0.0.1:4000/webhooks/recur',
      description: '',
      eventTypes: ['entitlements.updated', 'invoice.payment_failed'],
      enabled: true,
      secretEncrypted: 'sealed',
      previousSecretEncrypted: null,
      previousSecretExpiresAt: null,
      disabledReason: null,
      failingSince: null,
      createdAt: at,
      updatedAt: at,
    });
    expect(Object.keys(answer).sort()).toEqual(['endpoint', 'secret']);
    expect(answer.endpoint).toEqual({ ...view, id: 'we_…' });
    expect(answer.secret).toBe('whsec_…');
  });
});
