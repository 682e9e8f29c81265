import type { CatalogObject, SyncCounts } from './catalog.js';

const WIDTH = 24;

/**
 * A one-line progress display for `recur sync`. Stripe lists have no total count, so the bar runs
 * over each page of 100 and the counts say how far the sync has come.
 */
export function progressLine(stream: NodeJS.WriteStream) {
  let last = '';
  let lastObject: CatalogObject | null = null;
  const write = (text: string) => {
    if (stream.isTTY) stream.write(`\r\x1b[2K${text}`);
    last = text;
  };
  return {
    update(object: CatalogObject, counts: SyncCounts) {
      if (lastObject && lastObject !== object && !stream.isTTY) stream.write(`${last}\n`);
      if (lastObject && lastObject !== object && stream.isTTY) stream.write('\n');
      lastObject = object;
      const filled = Math.round(((counts.seen % 100) / 100) * WIDTH) || (counts.seen ? WIDTH : 0);
      write(
        `${object.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${counts.seen} seen, ${counts.created} new, ${counts.updated} updated, ${counts.skipped} unchanged`,
      );
    },
    done() {
      if (last) stream.write(stream.isTTY ? '\n' : `${last}\n`);
    },
  };
}
