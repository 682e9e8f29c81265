/**
 * Why a queue operation failed, as a stable code. Callers decide what a failure costs: the webhook
 * path has already stored the event, so it logs a failed publish and leaves the id to the relay.
 */
export type QueueErrorCode =
  /** The broker cannot be reached, or refused the operation for now; retrying later may work. */
  | 'queue_unavailable'
  /** The broker took longer than the configured limit to confirm a publish. */
  | 'queue_timeout'
  /** The broker accepted the message but had no queue to put it in (the queue was deleted). */
  | 'queue_unroutable'
  /** `close()` was called on this adapter. */
  | 'queue_closed';

export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QueueError';
  }
}

/** The message of whatever was thrown, for log lines and error messages. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `error` itself when it is already a QueueError, else a `queue_unavailable` one wrapping it. */
export function asQueueError(error: unknown, context: string): QueueError {
  if (error instanceof QueueError) return error;
  return new QueueError('queue_unavailable', `${context}: ${errorMessage(error)}`, { cause: error });
}
