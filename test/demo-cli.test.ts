// `recur demo` then `recur serve` on the same data, as the README tells a newcomer: the demo's
// invoices download as PDFs through Recur, and the sync check finds the mirror equal to Stripe.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecur, serveRecur } from './support/cli.js';
import { freePort } from './support/serve.js';

let dataDir: string;
let env: Record<string, string>;
const adminKey = `rk_${randomBytes(16).toString('hex')}`;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'recur-demo-'));
  env = {
    RECUR_DATA_DIR: dataDir,
    RECUR_EMULATOR_PORT: String(await freePort()),
    RECUR_ADMIN_API_KEY: adminKey,
  };
  const demo = await runRecur(['demo', '--customers', '10', '--months', '3'], env);
  expect(demo.code, `${demo.stdout}\n${demo.stderr}`).toBe(0);
}, 600_000);
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('a demo history served afterwards', () => {
  it('downloads a demo invoice as a PDF through Recur, and the sync check agrees with Stripe', async () => {
    const recur = await serveRecur(env);
    try {
      const list = await fetch(`${recur.url}/api/invoices?limit=20`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(list.status).toBe(200);
      const { data } = (await list.json()) as { data: Array<{ id: string; pdf_url: string | null }> };
      const invoice = data.find((i) => i.pdf_url !== null);
      expect(invoice, JSON.stringify(data)).toBeDefined();

      const pdf = await fetch(`${recur.url}${invoice!.pdf_url}`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(pdf.status, bytes.toString()).toBe(200);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await recur.stop();
    }

    const check = await runRecur(['sync', '--check'], env);
    expect(check.stdout).toContain('The mirror equals Stripe.');
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
  }, 300_000);
});
