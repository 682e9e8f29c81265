import { z } from 'zod';

/** The error shape every route answers with; listed in each route's responses for the docs. */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      request_id: z.string(),
    }),
  })
  .describe('Error');

export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
} as const;

export const upstreamErrorResponses = { ...errorResponses, 502: errorResponse, 503: errorResponse } as const;
