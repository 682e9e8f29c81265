import { defineConfig } from 'vitest/config';

// One PGlite instance costs 0.4–0.8 GB and seconds to open, so test files run in a few
// forked workers that each keep one instance (see test/support/db.ts), not one per test.
// The budgets are ceilings, not waits: with one core taken by another process, opening a file's
// app takes 25-50 s and its slowest tests 25 s, so the ceilings leave room for that.
export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'emulator/**/*.test.ts',
      'test/**/*.test.ts',
      'packages/*/test/**/*.test.{ts,tsx}',
    ],
    exclude: ['test/faults/**', '**/node_modules/**'],
    globalSetup: ['test/support/pglite-template.global.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
