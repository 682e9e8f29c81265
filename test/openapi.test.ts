import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiTypes } from '../scripts/openapi-types.js';
import { generatedOpenApi } from './support/openapi.js';

const committed = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('openapi.json', () => {
  it('is the document the code generates (run `npm run openapi` after an API change)', async () => {
    expect(committed('../openapi.json')).toBe(await generatedOpenApi());
  });

  it('and the web app’s API types are generated from it (run `npm run openapi`)', () => {
    expect(committed('../web/src/api/schema.gen.ts')).toBe(
      openApiTypes(JSON.parse(committed('../openapi.json'))),
    );
  });
});
