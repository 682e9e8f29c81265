/**
 * Typed errors with their HTTP status and a stable machine code. Every error that leaves the API is
 * one of these, rendered in one place (http/error-handler.ts) as
 * `{ "error": { "code", "message", "details"?, "request_id" } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required: send Authorization: Bearer <key or token>') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'This credential may not call this route') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id?: string) {
    super(404, 'not_found', id ? `${what} '${id}' was not found` : `${what} was not found`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** Stripe refused or failed a call we depend on; `details.stripe` carries its reason in words. */
export class UpstreamError extends AppError {
  constructor(status: 502 | 503, code: string, message: string, details?: unknown) {
    super(status, code, message, details);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}

/** Too many requests: answered 429 with `Retry-After` (seconds), also given in the details. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message, { retry_after_seconds: retryAfterSeconds });
  }
}
