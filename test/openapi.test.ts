import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiTypes } from '../scripts/openapi-types.js';
import { generatedOpenApi } from './support/openapi.js';

const committed = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('openapi.json', () => {
  it('is the document the code generates (run `npm run openapi` after an API change)', async () => {
    expect(committed('../openapi.json')).toBe(await generatedOpenApi());
  });

  it('and the web app’s API types are generated from it (run `npm run openapi`)', () => {
    const types = openApiTypes(JSON.parse(committed('../openapi.json')));
    const onDisk = readdirSync(new URL('../web/src/api/paths/', import.meta.url)).map(
      (name) => `paths/${name}`,
    );
    expect(onDisk.sort()).toEqual([...types.keys()].filter((path) => path.startsWith('paths/')).sort());
    for (const [path, text] of types) expect(committed(`../web/src/api/${path}`), path).toBe(text);
  });
});
