// Run by `scripts/build-server.mjs` after it builds the server: makes the embedded database's
// template (see pglite-template.ts) when the one for this code is not there yet.
import { writeTemplate } from './pglite-template.js';

await writeTemplate();
