/**
 * The balance transaction a charge or refund names, shown when `balance_transaction` is expanded.
 * The emulator keeps no balance, so it is derived from the charge or refund each time: available
 * at once, with no fee (Stripe's fees are its own business, not the emulated API's).
 */
import type Stripe from 'stripe';

/** `moved` is the charge or refund as the expansion sees it (a plain JSON object). */
export function balanceTransactionFor(
  id: string,
  moved: Record<string, unknown>,
  type: 'charge' | 'refund',
): Stripe.BalanceTransaction {
  const created = Number(moved.created);
  const amount = type === 'refund' ? -Number(moved.amount) : Number(moved.amount);
  return {
    id,
    object: 'balance_transaction',
    amount,
    available_on: created,
    balance_type: 'payments',
    created,
    currency: String(moved.currency),
    description: typeof moved.description === 'string' ? moved.description : null,
    exchange_rate: null,
    fee: 0,
    fee_details: [],
    net: amount,
    reporting_category: type,
    source: String(moved.id),
    status: 'available',
    type,
  };
}
