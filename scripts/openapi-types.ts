/**
 * Writes the web app's API types from `openapi.json`: a `paths` interface in the shape
 * `openapi-fetch` reads (parameters, request body and responses per method), so every call the
 * admin console and the billing page make is checked against the routes the server declares.
 *
 * The document is generated from the routes' zod schemas and uses a small part of JSON Schema
 * (no `$ref`), which this turns into TypeScript directly.
 */

export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
};

type Parameter = {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
};
type Operation = {
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
  summary?: string;
};
type Response = { description?: string; content?: Record<string, { schema?: Schema }> };
type Document = { paths: Record<string, Partial<Record<Method, Operation>>> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const pad = (depth: number) => '  '.repeat(depth);

function objectType(schema: Schema, depth: number): string {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(
    ([name, property]) =>
      `${pad(depth + 1)}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(property, depth + 1)};`,
  );
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object') {
    fields.push(`${pad(depth + 1)}[key: string]: ${typeOf(extra, depth + 1)};`);
  } else if (extra === undefined && !schema.properties) {
    fields.push(`${pad(depth + 1)}[key: string]: unknown;`);
  }
  return fields.length ? `{\n${fields.join('\n')}\n${pad(depth)}}` : 'Record<string, never>';
}

/** The TypeScript type of a JSON schema (also the SDK's webhook event types). */
export function typeOf(schema: Schema, depth: number): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((member) => typeOf(member, depth)).join(' | ');
  if (schema.allOf) return schema.allOf.map((member) => typeOf(member, depth)).join(' & ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (!types.length) return schema.properties ? objectType(schema, depth) : 'unknown';
  return types
    .map((type) => {
      switch (type) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array':
          return `(${schema.items ? typeOf(schema.items, depth) : 'unknown'})[]`;
        case 'object':
          return objectType(schema, depth);
        default:
          return 'unknown';
      }
    })
    .join(' | ');
}

function contentType(content: Record<string, { schema?: Schema }>, depth: number): string {
  const entries = Object.entries(content).map(
    ([mediaType, { schema }]) =>
      `${pad(depth + 1)}${key(mediaType)}: ${
        mediaType === 'application/json' && schema ? typeOf(schema, depth + 1) : 'string'
      };`,
  );
  return `{\n${entries.join('\n')}\n${pad(depth)}}`;
}

function parametersType(parameters: Parameter[], depth: number): string {
  const groups = (['query', 'header', 'path', 'cookie'] as const).map((place) => {
    const inPlace = parameters.filter((parameter) => parameter.in === place);
    if (!inPlace.length) return `${pad(depth + 1)}${place}?: never;`;
    const fields = inPlace.map(
      (parameter) =>
        `${pad(depth + 2)}${key(parameter.name)}${parameter.required ? '' : '?'}: ${typeOf(parameter.schema, depth + 2)};`,
    );
    const optional = place !== 'path' && inPlace.every((parameter) => !parameter.required);
    return `${pad(depth + 1)}${place}${optional ? '?' : ''}: {\n${fields.join('\n')}\n${pad(depth + 1)}};`;
  });
  return `{\n${groups.join('\n')}\n${pad(depth)}}`;
}

function operationType(operation: Operation, depth: number, named: NamedResponses): string {
  const lines = [`${pad(depth + 1)}parameters: ${parametersType(operation.parameters ?? [], depth + 1)};`];
  if (operation.requestBody) {
    const optional = operation.requestBody.required ? '' : '?';
    lines.push(
      `${pad(depth + 1)}requestBody${optional}: {\n${pad(depth + 2)}content: ${contentType(operation.requestBody.content, depth + 2)};\n${pad(depth + 1)}};`,
    );
  } else {
    lines.push(`${pad(depth + 1)}requestBody?: never;`);
  }
  const responses = Object.entries(operation.responses).map(([status, response]) => {
    // Status codes stay numeric keys: openapi-fetch picks the success body by matching `200 | 201 …`,
    // which a quoted "200" key does not match (every response would be typed `never`).
    const statusKey = /^\d{3}$/.test(status) ? status : key(status);
    return `${pad(depth + 2)}${statusKey}: ${named.reference(response) ?? responseType(response, depth + 2)};`;
  });
  lines.push(`${pad(depth + 1)}responses: {\n${responses.join('\n')}\n${pad(depth + 1)}};`);
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

function responseType(response: Response, depth: number): string {
  const content = response.content ? contentType(response.content, depth + 1) : 'never';
  return `{\n${pad(depth + 1)}headers: { [name: string]: unknown };\n${pad(depth + 1)}content: ${content};\n${pad(depth)}}`;
}

/**
 * Responses the routes name (`Error`, `Subscription`, …) are written once and referred to: the
 * error shape alone answers some 300 status codes. Two different shapes under one name get a
 * number (`Error2`).
 */
class NamedResponses {
  private readonly byShape = new Map<string, string>();
  private readonly types = new Map<string, string>();

  reference(response: Response): string | null {
    const name = response.description;
    if (!response.content || !name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) return null;
    const shape = JSON.stringify(response.content);
    let typeName = this.byShape.get(shape);
    if (!typeName) {
      typeName = name;
      for (let n = 2; this.types.has(typeName); n++) typeName = `${name}${n}`;
      this.byShape.set(shape, typeName);
      this.types.set(typeName, responseType(response, 1));
    }
    return `responses['${typeName}']`;
  }

  module(): string {
    const entries = [...this.types].map(([name, type]) => `${pad(1)}${name}: ${type};`);
    return `${HEADER}\n\n/** Responses that several routes share, by the name the API gives them. */\nexport interface responses {\n${entries.join('\n')}\n}\n`;
  }
}

const HEADER = '// Generated from openapi.json by `npm run openapi`; do not edit by hand.';

const slug = (tag: string) => tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const pascal = (tag: string) =>
  tag
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * The web's API types, file by file (paths relative to `web/src/api/`): the routes of each API tag
 * in `paths/<tag>.gen.ts`, the shared responses in `paths/responses.gen.ts`, and `schema.gen.ts`
 * joining every tag's routes into the one `paths` interface that openapi-fetch reads.
 */
export function openApiTypes(document: Document): Map<string, string> {
  const named = new NamedResponses();
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    const operations = METHODS.map((method) => [method, item[method]] as const);
    const tag = operations.find(([, operation]) => operation)?.[1]?.tags?.[0] ?? 'other';
    const methods = operations.map(([method, operation]) => {
      if (!operation) return `${pad(2)}${method}?: never;`;
      const summary = operation.summary
        ? `${pad(2)}/** ${operation.summary.replaceAll('*/', '* /')} */\n`
        : '';
      return `${summary}${pad(2)}${method}: ${operationType(operation, 2, named)};`;
    });
    byTag.set(tag, [
      ...(byTag.get(tag) ?? []),
      `${pad(1)}${key(path)}: {\n${methods.join('\n')}\n${pad(1)}};`,
    ]);
  }

  const files = new Map<string, string>();
  for (const [tag, paths] of byTag) {
    const uses = paths.some((text) => text.includes("responses['"));
    files.set(
      `paths/${slug(tag)}.gen.ts`,
      [
        HEADER,
        '',
        ...(uses ? ["import type { responses } from './responses.gen.js';", ''] : []),
        `/** Routes tagged "${tag}". */`,
        `export interface ${pascal(tag)}Paths {\n${paths.join('\n')}\n}`,
        '',
      ].join('\n'),
    );
  }
  files.set('paths/responses.gen.ts', named.module());
  const tags = [...byTag.keys()];
  files.set(
    'schema.gen.ts',
    [
      HEADER,
      '',
      ...tags.map((tag) => `import type { ${pascal(tag)}Paths } from './paths/${slug(tag)}.gen.js';`),
      '',
      '/** Every route of the API, in the shape openapi-fetch reads. */',
      `export interface paths\n  extends ${tags.map((tag) => `${pascal(tag)}Paths`).join(',\n    ')} {}`,
      '',
    ].join('\n'),
  );
  return files;
}
