import { readFileSync, writeFileSync } from 'node:fs';
import { readServerSource, sdkTypes } from './sdk-types.js';

const root = new URL('../../../', import.meta.url);
const document = JSON.parse(readFileSync(new URL('openapi.json', root), 'utf8'));
const files = sdkTypes(document, readServerSource(root));
for (const [name, text] of files) writeFileSync(new URL(`../src/generated/${name}`, import.meta.url), text);
process.stdout.write(`the SDK's types (${files.size} files in packages/sdk/src/generated) written\n`);
