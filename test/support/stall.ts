export interface Stall {
  /** Status of the request under test. */
  status: number;
  /** The slowest `/health/live` answer while it ran and just after. */
  maxMs: number;
  /** Every `/health/live` answer time, in order. */
  samples: number[];
  probes: number;
}

/**
 * Runs `request` while asking `/health/live` one call after another, and goes on until three
 * probes sent after the request's answer have come back: work the server does after answering
 * (such as logging it) is measured too. A probe that waits behind a blocked event loop shows it.
 */
export async function stallBeside(base: string, request: () => Promise<Response>): Promise<Stall> {
  const samples: number[] = [];
  let answered = false;
  let afterAnswer = 0;
  const probing = (async () => {
    while (!answered || afterAnswer < 3) {
      const sentAfterAnswer = answered;
      const started = performance.now();
      const res = await fetch(`${base}/health/live`);
      await res.arrayBuffer();
      samples.push(performance.now() - started);
      if (sentAfterAnswer) afterAnswer++;
    }
  })();
  const res = await request();
  await res.arrayBuffer();
  answered = true;
  await probing;
  return { status: res.status, maxMs: Math.max(...samples), samples, probes: samples.length };
}
