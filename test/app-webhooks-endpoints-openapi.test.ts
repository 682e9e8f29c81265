import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_EVENT_TYPES, appEventEnvelope } from '../src/app-webhooks/catalog.js';

/** The committed document (test/openapi.test.ts checks it is the generated one). */
const document = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));

describe('the OpenAPI document’s webhooks section', () => {
  it('is OpenAPI 3.1 and lists every type of the catalogue, and nothing else', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.webhooks).sort()).toEqual([...APP_EVENT_TYPES].sort());
  });

  it.each(APP_EVENT_TYPES)(
    'gives %s a schema, the signature headers and an example its schema accepts',
    (type) => {
      const operation = document.webhooks[type].post;
      expect(operation.description).toEqual(expect.any(String));
      expect(operation.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
        'header:webhook-id',
        'header:webhook-timestamp',
        'header:webhook-signature',
      ]);
      const media = operation.requestBody.content['application/json'];
      expect(media.schema).toMatchObject({
        type: 'object',
        properties: { type: { const: type }, data: { type: 'object' } },
        required: expect.arrayContaining(['type', 'version', 'timestamp', 'subject', 'sequence', 'data']),
      });
      expect(appEventEnvelope(type).parse(media.example)).toEqual(media.example);
      expect(media.example.type).toBe(type);
    },
  );
});
