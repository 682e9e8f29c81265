// Preloaded into a Recur process by the benchmarks (`node --import`): counts the statements it sends
// to PostgreSQL, one per call of node-postgres's `Client#query` (the pool's queries, Drizzle's and
// the prepared hot-path statements all end there, as do BEGIN and COMMIT), and writes the count so
// far to file descriptor 3 at each SIGUSR2. Counting in the process adds an increment per statement;
// a proxy on the wire would add a hop to every round trip, and the worker is bound by round trips.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// Resolved as the bundle resolves it, so this is the very module (and prototype) it loads.
const pg = createRequire(pathToFileURL(`${process.cwd()}/`).href)('pg');
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};
process.on('SIGUSR2', () => writeSync(3, `${statements}\n`));
