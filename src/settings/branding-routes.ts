import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../http/schemas.js';
import { brandingPatchSchema, brandingSchema } from './branding.js';
import type { SettingsService } from './service.js';

const tags = ['settings'];

export function brandingRoutes(settings: SettingsService): FastifyPluginAsyncZod {
  return async (app) => {
    // Read by the billing page before anyone signs in (its header, colours and footer).
    app.get(
      '/api/branding',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'The deployment’s branding: product name, logo, accent colour, support contact',
          response: { 200: brandingSchema, ...errorResponses },
        },
      },
      () => settings.branding.current(),
    );

    app.put(
      '/api/admin/settings/branding',
      {
        config: { access: ['admin'] },
        schema: {
          tags,
          summary:
            'Set the branding shown on the billing page and Stripe Checkout; fields left out stay, null clears one',
          body: brandingPatchSchema,
          response: { 200: brandingSchema, ...errorResponses },
        },
      },
      (request) => settings.branding.update(request.body),
    );
  };
}
