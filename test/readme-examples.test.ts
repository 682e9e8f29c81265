import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCatalog } from '../src/demo/catalog.js';
import type { TestApp } from './support/app.js';
import { contractTestApp, PAYMENT_SECRET, subscriptionRowOf } from './support/billing-contract.js';
import { expectDocumented, type ReadmeExample, readmeExamples, runExample } from './support/readme.js';
import { settled } from './support/wait.js';

/**
 * The README's curl examples, run as written (its host swapped for the test server's, its
 * placeholders filled in) and their answers checked against the ones it prints: a README that
 * drifts from the API fails here.
 */
const harness = contractTestApp();
let t: TestApp;
let baseUrl: string;
beforeAll(() => {
  t = harness.t;
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

const examples = readmeExamples();
const CONTRACT = 'Subscriptions: the fixed contract and external payments';

/** Runs the examples in README order; each documented answer is the last curl's. */
async function runAll(list: ReadmeExample[]) {
  const values: Record<string, string> = {
    KEY: t.adminKey,
    RECUR_PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
  };
  const answers: unknown[] = [];
  for (const [n, example] of list.entries()) {
    const where = `README example ${n + 1} (${example.section})`;
    const answered = await runExample(example, baseUrl, values);
    for (const answer of answered) expect(answer, where).not.toHaveProperty('error');
    if (example.answer !== null) expectDocumented(answered.at(-1), example.answer, where);
    const last = answered.at(-1) as { subscription_id?: string };
    if (last.subscription_id?.startsWith('sub_ext_')) values.SUB = last.subscription_id;
    answers.push(...answered);
  }
  return { answers, values };
}

describe('the README’s examples', () => {
  it('are found: the quick start’s plan, three contract subscriptions and a signed payment, each with its answer', () => {
    expect(examples.filter((e) => e.section === 'Quick start')).toHaveLength(1);
    expect(examples.filter((e) => e.section === CONTRACT).map((e) => e.answer !== null)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('run as written on the README’s own plan, and a repeat of the contract example is refused', async () => {
    const { values } = await runAll(examples);
    await settled(t);
    const external = await subscriptionRowOf(t, values.SUB!);
    expect(external).toMatchObject({ provider: 'external', status: 'active' });

    const [again] = await runExample(examples.find((e) => e.section === CONTRACT)!, baseUrl, values);
    expect(again).toMatchObject({ error: { code: 'already_subscribed' } });
  });

  it('run as written on the demo’s catalog (Pro in USD and EUR)', async () => {
    await ensureCatalog(t.services.plans, 'readme-demo');
    const { values } = await runAll(examples.filter((e) => e.section === CONTRACT));
    await settled(t);
    expect(await subscriptionRowOf(t, values.SUB!)).toMatchObject({ provider: 'external', status: 'active' });
  });
});
