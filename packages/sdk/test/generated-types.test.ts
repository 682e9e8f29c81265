import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes, readServerSource, sdkTypes } from '../scripts/sdk-types.js';

const root = new URL('../../../', import.meta.url);
const read = (path: URL) => readFileSync(path, 'utf8');

describe("the SDK's generated types", () => {
  it('are those openapi.json and the server give today (run `npm run openapi`)', () => {
    const document = JSON.parse(read(new URL('openapi.json', root)));
    for (const [name, text] of sdkTypes(document, readServerSource(root)))
      expect(read(new URL(`../src/generated/${name}`, import.meta.url)), name).toBe(text);
  });

  it('find the error codes however the server constructs them', () => {
    const source = new Map([
      [
        'a.ts',
        [
          'class AppError extends Error {}',
          'class GoneError extends AppError { constructor() { super(410, "x"); } }',
          "class OddError extends GoneError { constructor() { super(410, 'odd_one'); } }",
          "throw new AppError(404, 'plan_not_found', 'gone');",
          "throw new OddError(\n  'spread_over_lines',\n);",
          "throw new TypeError('not_an_api_error');",
        ].join('\n'),
      ],
    ]);
    expect(errorCodes(source)).toEqual(['odd_one', 'plan_not_found', 'spread_over_lines']);
  });
});
