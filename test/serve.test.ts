import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecurProcess, startRecurServe } from './support/serve.js';

// `recur serve` exactly as the README starts it: embedded database, emulator and worker, and the
// built web apps (`npm test` builds them first).
let recur: RecurProcess;
beforeAll(async () => {
  recur = await startRecurServe();
}, 90_000);
afterAll(() => recur?.stop());

describe('recur serve on embedded defaults', () => {
  it('answers health, the API and both web apps', async () => {
    const health = await fetch(`${recur.url}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', stripe: { mode: 'test', emulated: true } });

    const plans = await fetch(`${recur.url}/api/plans`, {
      headers: { authorization: `Bearer ${recur.adminKey}` },
    });
    expect(plans.status).toBe(200);

    for (const app of ['admin', 'billing']) {
      const page = await fetch(`${recur.url}/${app}`);
      expect(page.status, recur.output()).toBe(200);
      const html = await page.text();
      const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html);
      expect(script, html).not.toBeNull();
      const asset = await fetch(`${recur.url}${script![1]}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
    }
  });
});
