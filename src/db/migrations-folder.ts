import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SQL migrations, run in order by drizzle's migrator on PostgreSQL and on PGlite alike. */
export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
