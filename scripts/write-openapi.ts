import { writeFileSync } from 'node:fs';
import { generatedOpenApi } from '../test/support/openapi.js';
import { openApiTypes } from './openapi-types.js';

const document = await generatedOpenApi();
writeFileSync(new URL('../openapi.json', import.meta.url), document);
writeFileSync(new URL('../web/src/api/schema.gen.ts', import.meta.url), openApiTypes(JSON.parse(document)));
process.stdout.write('openapi.json and web/src/api/schema.gen.ts written\n');
