import type { EventQueue } from '../../src/queue/port.js';

/**
 * A queue that hands every id to the worker as soon as the test delivers it, so ids delivered
 * together make full batches.
 */
export class HandOverQueue implements EventQueue {
  readonly kind = 'database' as const;
  handle: ((id: string) => Promise<void>) | null = null;
  async publish(): Promise<void> {}
  async consume(handle: (id: string) => Promise<void>) {
    this.handle = handle;
    return { stop: async () => {} };
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
