import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedOpenApi } from './support/openapi.js';

describe('openapi.json', () => {
  it('is the document the code generates (run `npm run openapi` after an API change)', async () => {
    const committed = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await generatedOpenApi());
  });
});
