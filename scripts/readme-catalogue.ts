import { APP_EVENT_TYPES } from '../src/app-webhooks/catalog.js';
import { APP_EVENT_DOCS, exampleEvent } from '../src/app-webhooks/catalog-docs.js';

/**
 * The README's event catalogue, written from the catalogue's own words and examples by
 * `npm run openapi` between these markers; test/app-webhooks-endpoints-readme.test.ts fails when
 * the README holds anything else there.
 */
export const CATALOGUE_START =
  '<!-- event catalogue: written by `npm run openapi` from src/app-webhooks/catalog-docs.ts -->';
export const CATALOGUE_END = '<!-- end of the event catalogue -->';

const WIDTH = 100;

/** JSON with each object or array on one line when it fits, so the examples stay short to read. */
function compactJson(value: unknown, indent = '', lead = 0): string {
  const inline = JSON.stringify(value, null, 1)
    .replace(/\n\s*/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/ ([\]}])/g, '$1');
  if (value === null || typeof value !== 'object' || indent.length + lead + inline.length <= WIDTH)
    return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return `[\n${value.map((v) => inner + compactJson(v, inner)).join(',\n')}\n${indent}]`;
  const fields = Object.entries(value).map(
    ([key, v]) => `${inner}${JSON.stringify(key)}: ${compactJson(v, inner, key.length + 4)}`,
  );
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Subjects are shown with their id replaced by what it is (`subscription:<id>`). */
const subjectPattern = (subject: string) => `${subject.split(':')[0]}:<id>`;

export function catalogueMarkdown(): string {
  const rows = APP_EVENT_TYPES.map(
    (type) =>
      `| \`${type}\` | ${cell(APP_EVENT_DOCS[type].sent)} | \`${subjectPattern(APP_EVENT_DOCS[type].subject)}\` |`,
  );
  const examples = APP_EVENT_TYPES.map((type) =>
    [
      `<details><summary>Example: <code>${type}</code></summary>`,
      '',
      '```json',
      compactJson(exampleEvent(type)),
      '```',
      '',
      '</details>',
    ].join('\n'),
  );
  return [
    CATALOGUE_START,
    '',
    '| type | sent when | subject |',
    '|---|---|---|',
    ...rows,
    '',
    examples.join('\n\n'),
    '',
    CATALOGUE_END,
  ].join('\n');
}

/** The README with its catalogue block replaced by the current one. */
export function withCatalogue(readme: string): string {
  const start = readme.indexOf(CATALOGUE_START);
  const end = readme.indexOf(CATALOGUE_END);
  if (start < 0 || end < start) throw new Error('README.md has no event catalogue markers');
  return readme.slice(0, start) + catalogueMarkdown() + readme.slice(end + CATALOGUE_END.length);
}
