import { defineConfig } from 'vitest/config';

// Fault tests push thousands of events through a worker they kill again and again: they run
// alone, after the main suite, so that neither slows the other.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
