import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../http/errors.js';
import { idParams, text } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import type { ApiKeyService } from './api-keys.js';

const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'service']),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const tags = ['api keys'];

export function apiKeyRoutes(apiKeys: ApiKeyService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/api-keys',
      {
        config: { access: ['admin'] },
        schema: {
          tags,
          summary: 'List API keys (never their secrets)',
          response: { 200: z.object({ data: z.array(apiKeyView) }), ...errorResponses },
        },
      },
      async () => ({ data: await apiKeys.list() }),
    );

    app.post(
      '/api/admin/api-keys',
      {
        config: { access: ['admin'] },
        schema: {
          tags,
          summary: 'Create an API key; its secret is shown in this response only',
          body: z.object({ name: text(100).trim().min(1), role: z.enum(['admin', 'service']) }).strict(),
          response: { 201: z.object({ key: z.string(), api_key: apiKeyView }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { key, apiKey } = await apiKeys.create(request.body.name, request.body.role);
        return reply.status(201).send({ key, api_key: apiKey });
      },
    );

    app.delete(
      '/api/admin/api-keys/:id',
      {
        config: { access: ['admin'] },
        schema: {
          tags,
          summary: 'Revoke an API key',
          params: idParams,
          response: { 200: apiKeyView, ...errorResponses },
        },
      },
      async (request) => {
        const revoked = await apiKeys.revoke(request.params.id);
        if (!revoked) throw new NotFoundError('API key', request.params.id);
        return revoked;
      },
    );
  };
}
