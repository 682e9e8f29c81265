// When a failed automatic payment is tried again. Stripe's Smart Retries pick times by machine
// learning; the emulator uses a fixed schedule with the same shape (a handful of tries within two
// weeks) so that tests can advance a clock to exact instants.

const DAY = 86_400;

/** Days after the first attempt at which the payment is retried: 4 attempts within 2 weeks. */
export const DEFAULT_RETRY_DAYS: readonly number[] = [3, 7, 14];

/**
 * When the next attempt happens after attempt number `attemptCount` (1-based) failed, counting
 * from the first attempt at `firstAttemptAt`; null when the schedule is exhausted.
 */
export function nextRetryAt(
  firstAttemptAt: number,
  attemptCount: number,
  retryDays: readonly number[] = DEFAULT_RETRY_DAYS,
): number | null {
  const days = retryDays[attemptCount - 1];
  return days === undefined ? null : firstAttemptAt + days * DAY;
}
