import { defineConfig } from 'vitest/config';

// One PGlite instance costs 0.4–0.8 GB and seconds to open, so test files run in a few
// forked workers that each keep one instance (see test/support/db.ts), not one per test.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'emulator/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/faults/**', 'node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
