import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, RateLimitedError } from './errors.js';
import { newRequestId } from './request-id.js';

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

/**
 * Fastify's answers before routing, outside the error handler (its `frameworkErrors` option): a
 * path parameter over its length limit, a URL it cannot decode. Written on the raw response, whose
 * type does not depend on a route. The path is not echoed: it may be anything, of any length.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  response: ServerResponse,
): void {
  const [status, code, message] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'uri_too_long', 'A path segment of the URL is too long']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'bad_url', 'The URL is not valid percent-encoding']
        : [500, 'internal_error', 'An internal error occurred'];
  if (status >= 500) request.log.error({ err: error }, 'unhandled error before routing');
  const json = JSON.stringify(body(request.id, code, message));
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      'request-id': request.id,
      'x-content-type-options': 'nosniff',
    })
    .end(json);
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'request_timeout',
    'The request took too long to arrive',
  ],
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'headers_too_large',
    'The request line and headers exceed the size limit',
  ],
};

/**
 * What Node's HTTP parser refuses (headers too large, too slow, not HTTP) never reaches Fastify:
 * the answer is written on the socket here, in the one error shape, and the connection closed.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'bad_request',
    'The request is not valid HTTP',
  ];
  const requestId = newRequestId();
  const json = JSON.stringify(body(requestId, code, message));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nrequest-id: ${requestId}\r\n` +
        `x-content-type-options: nosniff\r\nConnection: close\r\n\r\n${json}`,
    );
  socket.destroy(error);
}
