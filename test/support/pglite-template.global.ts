import { writeTemplate } from '../../src/db/pglite-template.js';

/**
 * Vitest's global setup: the tests that start `recur serve` on embedded defaults each open a new
 * data folder, and with the template there (as after `npm start`) each copies it instead of running
 * PGlite's initdb and every migration, seconds of CPU apiece.
 */
export default async function setup(): Promise<void> {
  await writeTemplate();
}
