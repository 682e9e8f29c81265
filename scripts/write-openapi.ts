import { writeFileSync } from 'node:fs';
import { generatedOpenApi } from '../test/support/openapi.js';

writeFileSync(new URL('../openapi.json', import.meta.url), await generatedOpenApi());
process.stdout.write('openapi.json written\n');
