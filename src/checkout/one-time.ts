import { ValidationError } from '../http/errors.js';
import type { CreateCheckoutInput } from './schemas.js';

/**
 * A one-time plan is charged once (Checkout in `payment` mode): a trial or an interval mean
 * nothing for it, and are refused rather than ignored. Its quantity is how many are bought: a
 * credit pack's credits are granted that many times.
 */
export function assertOneTimeTerms(
  input: Pick<CreateCheckoutInput, 'trial_days' | 'interval' | 'interval_count'>,
): void {
  if (input.trial_days !== undefined && input.trial_days > 0)
    throw new ValidationError('one_time_trial', 'A one-time plan has no trial', { field: 'trial_days' });
  for (const field of ['interval', 'interval_count'] as const)
    if (input[field] !== undefined)
      throw new ValidationError('one_time_price_interval', `A one-time plan's prices have no ${field}`, {
        field,
      });
}
