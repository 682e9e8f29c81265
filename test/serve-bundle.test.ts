import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/services.js';
import { type RecurProcess, startRecurServe } from './support/serve.js';

// What `npm start` runs: the server bundled into dist/server by `npm run build:server`. Every module
// in it finds its files (package.json, the migrations, the web build) where its source would.
let recur: RecurProcess;
beforeAll(async () => {
  const build = spawnSync(process.execPath, ['scripts/build-server.mjs'], {
    cwd: fileURLToPath(new URL('../', import.meta.url)),
    encoding: 'utf8',
  });
  expect(build.status, build.stderr).toBe(0);
  recur = await startRecurServe({}, { fromBundle: true });
}, 180_000);
afterAll(() => recur?.stop());

describe('recur serve from the bundle', () => {
  it('migrates the embedded database, and answers readiness, the API and the admin app', async () => {
    const health = await fetch(`${recur.url}/health`);
    expect(await health.json()).toMatchObject({ version: VERSION, stripe: { emulated: true } });
    expect((await fetch(`${recur.url}/health/ready`)).status).toBe(200);

    const plans = await fetch(`${recur.url}/api/plans`, {
      headers: { authorization: `Bearer ${recur.adminKey}` },
    });
    expect(plans.status, recur.output()).toBe(200);

    const admin = await fetch(`${recur.url}/admin`);
    expect(admin.status, recur.output()).toBe(200);
    expect(await admin.text()).toContain('<script type="module"');
  });
});
