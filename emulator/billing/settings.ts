// Account-level billing settings, the ones Stripe keeps under Billing > Revenue recovery and
// Billing > Subscriptions in the Dashboard, with the emulator's documented defaults.

import type { Store } from '../core/store.js';
import { DEFAULT_RETRY_DAYS } from './domain/retry-schedule.js';

export interface BillingSettings {
  /** Days after the first failed attempt at which an automatic payment is retried. */
  retryDays: readonly number[];
  /** What happens to the subscription when the last retry fails. */
  afterRetriesExhausted: 'cancel' | 'unpaid' | 'past_due';
  /** Seconds a renewal invoice stays draft before it is finalized and charged (Stripe: about an hour). */
  renewalFinalizationDelay: number;
  /** Days before a renewal that `invoice.upcoming` is sent. */
  upcomingInvoiceDays: number;
  /** Days before a trial ends that `customer.subscription.trial_will_end` is sent. */
  trialWillEndDays: number;
  /** Seconds after which an incomplete subscription whose first invoice is unpaid expires. */
  incompleteExpiry: number;
}

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  retryDays: DEFAULT_RETRY_DAYS,
  afterRetriesExhausted: 'cancel',
  renewalFinalizationDelay: 3600,
  upcomingInvoiceDays: 3,
  trialWillEndDays: 3,
  incompleteExpiry: 23 * 3600,
};

interface StoredSettings extends BillingSettings {
  id: 'account';
}

const settingsOf = (store: Store) => store.collection<StoredSettings>('billing.settings');

/** The settings in force: kept in the store, so they persist in snapshots and clear on reset. */
export function billingSettings(store: Store): BillingSettings {
  const { id: _id, ...stored } = settingsOf(store).get('account') ?? {
    id: 'account',
    ...DEFAULT_BILLING_SETTINGS,
  };
  return stored;
}

/** Changes account settings, e.g. `configureBilling(emulator.store, { afterRetriesExhausted: 'unpaid' })`. */
export function configureBilling(store: Store, change: Partial<BillingSettings>): BillingSettings {
  const next = { ...billingSettings(store), ...change };
  settingsOf(store).save({ id: 'account', ...next });
  return next;
}
