import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, RateLimitedError } from './errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; request_id: string };
}

function body(requestId: string, code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), request_id: requestId } };
}

/** The one place where errors become HTTP responses. No stack trace ever leaves the process. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
        in: error.validationContext ?? 'body',
        message: v.message ?? 'is invalid',
      }));
      return reply
        .status(400)
        .send(
          body(
            request.id,
            'validation_failed',
            `Invalid ${error.validationContext ?? 'request'}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
            { fields },
          ),
        );
    }
    if (error instanceof AppError) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      if (error.status >= 500) request.log.warn({ err: error }, 'request failed upstream');
      return reply.status(error.status).send(body(request.id, error.code, error.message, error.details));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send(body(request.id, 'internal_error', 'An internal error occurred'));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply
        .status(413)
        .send(body(request.id, 'payload_too_large', 'Request body exceeds the 1 MB limit'));
    }
    if (status === 415) {
      return reply.status(415).send(body(request.id, 'unsupported_media_type', error.message));
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, empty JSON body, bad content length …
      return reply.status(status).send(body(request.id, 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body(request.id, 'internal_error', 'An internal error occurred'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(body(request.id, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
