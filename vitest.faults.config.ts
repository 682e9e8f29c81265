import { defineConfig } from 'vitest/config';

// Fault tests restart shared servers (RabbitMQ), so they run alone, after the main suite.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
