/**
 * `npm run bench`: every benchmark in turn, each in a process of its own. Figures only; nothing
 * here passes or fails. Needs PostgreSQL (BENCH_DATABASE_URL, default the local `test` database).
 * `npm run bench -- usage webhooks`: only the benchmarks whose file name contains one of the words.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches: Array<[string, string[]]> = [
  ['embedded-start.ts', []],
  ['embedded-webhooks.ts', []],
  ['emulator.ts', ['--seconds', '4']],
  ['webhooks.ts', []],
  ['app-webhooks.ts', []],
  ['app-webhooks-e2e.ts', []],
  ['stall.ts', []],
  ['backfill.ts', []],
  ['entitlements.ts', []],
  ['reports.ts', []],
  ['sdk-check.ts', []],
  ['audit-append.ts', []],
  ['meter-reporting.ts', []],
  ['usage.ts', []],
];

const only = process.argv.slice(2);
const chosen = benches.filter(([file]) => !only.length || only.some((word) => file.includes(word)));
if (!chosen.length) {
  process.stderr.write(`no benchmark matches ${only.join(', ')}\n`);
  process.exit(2);
}

for (const [file, args] of chosen) {
  process.stdout.write(`\n== ${file}\n`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.stdout.write(`(${file} exited with ${result.status})\n`);
}
