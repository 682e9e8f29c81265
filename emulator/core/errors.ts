/**
 * Stripe's error vocabulary. Handlers throw `StripeApiError`; the server turns it into the
 * `{ "error": { ... } }` body and status Stripe would send, so the SDK raises the same class
 * (StripeInvalidRequestError, StripeCardError, StripeRateLimitError, ...) it raises against Stripe.
 */

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  /** Card errors carry the objects involved (payment_intent, setup_intent, payment_method, charge). */
  [extra: string]: unknown;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

/** Stripe links every coded error to its page: `parameter_unknown` → /error-codes/parameter-unknown. */
export function docUrlFor(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

function coded(status: number, type: StripeErrorType, code: string, message: string, param?: string) {
  const body: StripeErrorBody = { type, code, doc_url: docUrlFor(code), message };
  if (param !== undefined) body.param = param;
  return new StripeApiError(status, body);
}

export function invalidRequest(message: string, options: { param?: string; code?: string } = {}) {
  if (options.code) return coded(400, 'invalid_request_error', options.code, message, options.param);
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (options.param !== undefined) body.param = options.param;
  return new StripeApiError(400, body);
}

export const parameterUnknown = (param: string) =>
  coded(400, 'invalid_request_error', 'parameter_unknown', `Received unknown parameter: ${param}`, param);

export const parameterMissing = (param: string) =>
  coded(400, 'invalid_request_error', 'parameter_missing', `Missing required param: ${param}.`, param);

export const parameterInvalidInteger = (param: string, value: string) =>
  coded(400, 'invalid_request_error', 'parameter_invalid_integer', `Invalid integer: ${value}`, param);

export const parameterInvalidEmpty = (param: string) =>
  coded(
    400,
    'invalid_request_error',
    'parameter_invalid_empty',
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    param,
  );

export const parametersExclusive = (params: string[]) =>
  coded(
    400,
    'invalid_request_error',
    'parameters_exclusive',
    `You may only specify one of these parameters: ${params.join(', ')}.`,
    params[0],
  );

/** `noun` is Stripe's wording for the resource in this message: product, price, customer, PaymentMethod… */
export const resourceMissing = (noun: string, id: string, param = 'id') =>
  coded(404, 'invalid_request_error', 'resource_missing', `No such ${noun}: '${id}'`, param);

/** An object a body parameter names is missing: a 400 with that parameter, not a 404 (the URL was fine). */
export const referenceMissing = (noun: string, id: string, param: string) =>
  coded(400, 'invalid_request_error', 'resource_missing', `No such ${noun}: '${id}'`, param);

export const resourceAlreadyExists = (message: string, param?: string) =>
  coded(400, 'invalid_request_error', 'resource_already_exists', message, param);

export function cardError(
  code: string,
  message: string,
  options: { declineCode?: string; param?: string; extras?: Record<string, unknown> } = {},
) {
  const body: StripeErrorBody = { type: 'card_error', code, doc_url: docUrlFor(code), message };
  if (options.declineCode) body.decline_code = options.declineCode;
  if (options.param !== undefined) body.param = options.param;
  Object.assign(body, options.extras);
  return new StripeApiError(402, body);
}

export const rateLimited = () =>
  coded(
    429,
    'invalid_request_error',
    'rate_limit',
    'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
  );

export const apiError = (message = 'An unknown error occurred') =>
  new StripeApiError(500, { type: 'api_error', message });

export const idempotencyError = (message: string) =>
  new StripeApiError(400, { type: 'idempotency_error', message });

export const authenticationError = (message: string) =>
  new StripeApiError(401, { type: 'invalid_request_error', message });
