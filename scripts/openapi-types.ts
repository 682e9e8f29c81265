/**
 * Writes the web app's API types from `openapi.json`: a `paths` interface in the shape
 * `openapi-fetch` reads (parameters, request body and responses per method), so every call the
 * admin console and the billing page make is checked against the routes the server declares.
 *
 * The document is generated from the routes' zod schemas and uses a small part of JSON Schema
 * (no `$ref`), which this turns into TypeScript directly.
 */

type Schema = {
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
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  summary?: string;
};
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

function typeOf(schema: Schema, depth: number): string {
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

function operationType(operation: Operation, depth: number): string {
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
    const content = response.content ? contentType(response.content, depth + 3) : 'never';
    // Numeric keys: openapi-fetch finds the success body under 200, not under the string "200".
    const code = /^\d{3}$/.test(status) ? status : key(status);
    return `${pad(depth + 2)}${code}: {\n${pad(depth + 3)}headers: { [name: string]: unknown };\n${pad(depth + 3)}content: ${content};\n${pad(depth + 2)}};`;
  });
  lines.push(`${pad(depth + 1)}responses: {\n${responses.join('\n')}\n${pad(depth + 1)}};`);
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

/** The TypeScript module for `web/src/api/schema.gen.ts`. */
export function openApiTypes(document: Document): string {
  const paths = Object.entries(document.paths).map(([path, item]) => {
    const methods = METHODS.map((method) => {
      const operation = item[method];
      if (!operation) return `${pad(2)}${method}?: never;`;
      const summary = operation.summary
        ? `${pad(2)}/** ${operation.summary.replaceAll('*/', '* /')} */\n`
        : '';
      return `${summary}${pad(2)}${method}: ${operationType(operation, 2)};`;
    });
    return `${pad(1)}${key(path)}: {\n${methods.join('\n')}\n${pad(1)}};`;
  });
  return [
    '// Generated from openapi.json by `npm run openapi`; do not edit by hand.',
    '',
    `export interface paths {\n${paths.join('\n')}\n}`,
    '',
  ].join('\n');
}
