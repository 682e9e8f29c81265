import { readdirSync, readFileSync } from 'node:fs';
import { openApiTypes, type Schema, typeOf } from '../../../scripts/openapi-types.js';

/**
 * The SDK's generated types, file by file (relative to `packages/sdk/src/generated/`):
 * - `api.gen.ts`: every route of `openapi.json` as the `paths` interface openapi-fetch reads;
 * - `events.gen.ts`: the webhook events, from the document's `webhooks` section (built from the
 *   event catalogue);
 * - `error-codes.gen.ts`: every error code the server's code can answer with.
 */
export function sdkTypes(document: OpenApiDocument, serverSource: Map<string, string>): Map<string, string> {
  return new Map([
    ['api.gen.ts', apiModule(document)],
    ['events.gen.ts', eventsModule(document)],
    ['error-codes.gen.ts', errorCodesModule(serverSource)],
  ]);
}

type OpenApiDocument = Parameters<typeof openApiTypes>[0] & {
  webhooks?: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: Schema }> } } }>;
};

const HEADER = '// Generated from openapi.json by `npm run openapi`; do not edit by hand.';

/** The web's per-tag files joined into one module: the package ships one file of route types. */
function apiModule(document: OpenApiDocument): string {
  const files = openApiTypes(document);
  const order = [...files.keys()].filter((name) => name !== 'schema.gen.ts');
  const bodies = [...order, 'schema.gen.ts'].map((name) =>
    files
      .get(name)!
      .split('\n')
      .filter((line) => line !== HEADER && !line.startsWith('import '))
      .join('\n')
      .trim(),
  );
  return `${HEADER}\n\n${bodies.join('\n\n')}\n`;
}

function eventSchemas(document: OpenApiDocument): [string, Schema][] {
  return Object.entries(document.webhooks ?? {}).map(([type, item]) => {
    const schema = item.post?.requestBody?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`openapi.json: webhook ${type} has no JSON body schema`);
    return [type, schema];
  });
}

function eventsModule(document: OpenApiDocument): string {
  const entries = eventSchemas(document).map(
    ([type, schema]) => `  ${JSON.stringify(type)}: ${typeOf(schema, 1)};`,
  );
  return [
    HEADER,
    '',
    '/** Each webhook event Recur sends, by type: the signed body as parsed JSON. */',
    `export interface RecurEvents {\n${entries.join('\n')}\n}`,
    '',
  ].join('\n');
}

const ERROR_BASES = ['AppError'];

/**
 * The codes in the server's error constructions: `new XError('code'…)` or `new AppError(404,
 * 'code'…)` of every class that extends AppError, codes fixed in a subclass's `super(…)`, and the
 * framework errors the error handler names.
 */
export function errorCodes(serverSource: Map<string, string>): string[] {
  const sources = [...serverSource.values()].join('\n');
  const classes = new Set(ERROR_BASES);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [, name, base] of sources.matchAll(/class (\w+) extends (\w+)/g)) {
      if (classes.has(base!) && !classes.has(name!)) {
        classes.add(name!);
        grown = true;
      }
    }
  }
  const codes = new Set<string>();
  const construction = /new (\w+)\(\s*(?:\d{3},\s*)?'([a-z][a-z0-9_]*)'/g;
  for (const [, name, code] of sources.matchAll(construction)) if (classes.has(name!)) codes.add(code!);
  for (const [, code] of sources.matchAll(/super\(\s*\d{3},\s*'([a-z][a-z0-9_]*)'/g)) codes.add(code!);
  for (const [, code] of sources.matchAll(/body\(\s*request\.id,\s*'([a-z][a-z0-9_]*)'/g)) codes.add(code!);
  return [...codes].sort();
}

function errorCodesModule(serverSource: Map<string, string>): string {
  const codes = errorCodes(serverSource);
  return [
    HEADER,
    '',
    '/** Every `error.code` the server answers with. */',
    `export const SERVER_ERROR_CODES = [\n${codes.map((code) => `  '${code}',`).join('\n')}\n] as const;`,
    '',
  ].join('\n');
}

/** The server's TypeScript sources (tests left out), by path relative to the repository. */
export function readServerSource(root: URL): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(new URL(dir, root), { withFileTypes: true })) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory()) walk(`${path}/`);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        files.set(path, readFileSync(new URL(path, root), 'utf8'));
    }
  };
  walk('src/');
  return files;
}
