import type { SyncCounts } from './catalog.js';

const WIDTH = 24;
const PULSE = 4;

/**
 * A progress display for `recur sync`, one line per object type. Stripe lists carry no total, so
 * while a list is being paged the bar pulses once per page; where the total is known (payment
 * methods, listed per customer) it fills; a finished type shows a full bar and its final counts.
 * Off a terminal only each type's final line is written.
 */
export function progressLine(stream: NodeJS.WriteStream, objects: readonly string[] = []) {
  let last = '';
  let lastObject: string | null = null;
  let pulse = 0;
  const width = Math.max(0, ...objects.map((o) => o.length), 8);

  const bar = (fraction: number | null) => {
    if (fraction === null) {
      const at = pulse++ % (WIDTH - PULSE + 1);
      return `${'.'.repeat(at)}${'#'.repeat(PULSE)}${'.'.repeat(WIDTH - PULSE - at)}`;
    }
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
    return `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
  };

  const write = (text: string) => {
    if (stream.isTTY) stream.write(`\r\x1b[2K${text}`);
    last = text;
  };

  return {
    update(object: string, counts: SyncCounts, fraction: number | null = null) {
      if (lastObject !== null && lastObject !== object) stream.write(stream.isTTY ? '\n' : `${last}\n`);
      if (lastObject !== object) pulse = 0;
      lastObject = object;
      const step = objects.includes(object) ? `[${objects.indexOf(object) + 1}/${objects.length}] ` : '';
      write(
        `${step}${object.padEnd(width)} [${bar(fraction)}] ${counts.seen} seen, ${counts.created} new, ${counts.updated} updated, ${counts.skipped} unchanged`,
      );
    },
    done() {
      if (last) stream.write(stream.isTTY ? '\n' : `${last}\n`);
      last = '';
    },
  };
}
