import { SERVER_ERROR_CODES } from './generated/error-codes.gen.js';

/**
 * The codes a `RecurError` carries: every code Recur's API answers with (generated from the server's
 * code), plus the SDK's own: `network_error` (no answer after the retries) and `invalid_response`
 * (an answer that is not Recur's error shape, e.g. from a proxy).
 */
export type RecurErrorCode = (typeof SERVER_ERROR_CODES)[number] | 'network_error' | 'invalid_response';

export const RECUR_ERROR_CODES: readonly RecurErrorCode[] = [
  ...SERVER_ERROR_CODES,
  'network_error',
  'invalid_response',
];

/** A call Recur refused or could not answer, in Recur's one error shape. */
export class RecurError extends Error {
  override readonly name = 'RecurError';
  constructor(
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly code: RecurErrorCode,
    message: string,
    readonly details?: unknown,
    /** Recur's request id, to find the call in its logs. */
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } };

/** The error a failed answer stands for; a body not in Recur's shape is `invalid_response`. */
export function errorFromResponse(
  status: number,
  body: unknown,
  headerRequestId?: string | null,
): RecurError {
  const error = (body as ErrorBody | null | undefined)?.error;
  const requestId = typeof error?.request_id === 'string' ? error.request_id : (headerRequestId ?? undefined);
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return new RecurError(
      status,
      'invalid_response',
      `Recur answered ${status} without its error shape`,
      body,
      requestId,
    );
  }
  return new RecurError(status, error.code as RecurErrorCode, error.message, error.details, requestId);
}

/** Why a webhook was refused. */
export type WebhookErrorReason =
  | 'missing_headers'
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'invalid_payload';

/** A webhook that must not be trusted: answer it 400 (Recur retries, and shows the failure). */
export class RecurWebhookError extends Error {
  override readonly name = 'RecurWebhookError';
  constructor(
    readonly reason: WebhookErrorReason,
    message: string,
  ) {
    super(message);
  }
}
