import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { generatedOpenApi } from '../test/support/openapi.js';
import { openApiTypes } from './openapi-types.js';

const document = await generatedOpenApi();
writeFileSync(new URL('../openapi.json', import.meta.url), document);

const api = new URL('../web/src/api/', import.meta.url);
const types = openApiTypes(JSON.parse(document));
// A tag the API no longer has leaves no file behind.
mkdirSync(new URL('paths/', api), { recursive: true });
for (const name of readdirSync(new URL('paths/', api))) {
  if (!types.has(`paths/${name}`)) rmSync(new URL(`paths/${name}`, api));
}
for (const [path, text] of types) writeFileSync(new URL(path, api), text);
process.stdout.write(`openapi.json and the web's API types (${types.size} files in web/src/api) written\n`);
