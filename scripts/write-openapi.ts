import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generatedOpenApi } from '../test/support/openapi.js';
import { openApiTypes } from './openapi-types.js';
import { withCatalogue } from './readme-catalogue.js';

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

// The README's event catalogue comes from the same source as the document's `webhooks` section.
const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withCatalogue(readFileSync(readme, 'utf8')));
process.stdout.write(
  `openapi.json, the web's API types (${types.size} files in web/src/api) and the README's event catalogue written\n`,
);
