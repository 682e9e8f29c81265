import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../http/input.js';
import { upstreamErrorResponses } from '../http/schemas.js';
import { seatPreview } from './seat-terms.js';
import type { SeatService } from './seats.js';

const previewBody = z
  .object({ seats: z.number().int().min(1).max(10_000).describe('The number of seats to preview') })
  .strict();

export function seatRoutes(seats: SeatService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/organizations/:id/seats/preview',
      {
        config: { access: ['user', 'admin', 'service'] },
        schema: {
          tags: ['organizations'],
          summary: 'What a number of seats would charge now and at the next renewal',
          description:
            'More seats than paid for are charged now, prorated from the start of the day (UTC), in one invoice: `amount_due_now` is what that invoice charges when the seat is added the same day. Fewer seats take effect at the period end, without a refund: `next_invoice` is the renewal. A user must be the organisation’s owner or billing_admin.',
          params: idParams,
          body: previewBody,
          response: { 200: seatPreview, ...upstreamErrorResponses },
        },
      },
      async (request) => seats.preview(request.principal!, request.params.id, request.body.seats),
    );
  };
}
