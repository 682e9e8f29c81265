// An invoice's money fields, derived from its lines, discounts and the customer's balance the
// way Stripe derives them. A negative customer balance is credit owed to the customer: it lowers
// amount_due; when an invoice's total is negative (a downgrade's credit), amount_due is zero and
// the rest goes back to the customer's balance.

export interface InvoiceMoney {
  subtotal: number;
  total_discount: number;
  total: number;
  starting_balance: number;
  amount_due: number;
  ending_balance: number;
}

export function invoiceMoney(
  lineAmounts: number[],
  discountTotals: number[],
  startingBalance: number,
  /** Tax added on top of the prices (exclusive tax); inclusive tax is already inside the lines. */
  exclusiveTax = 0,
): InvoiceMoney {
  const subtotal = lineAmounts.reduce((sum, a) => sum + a, 0);
  const totalDiscount = discountTotals.reduce((sum, a) => sum + a, 0);
  const total = subtotal - totalDiscount + exclusiveTax;
  const owed = total + startingBalance;
  return {
    subtotal,
    total_discount: totalDiscount,
    total,
    starting_balance: startingBalance,
    amount_due: Math.max(owed, 0),
    ending_balance: Math.min(owed, 0),
  };
}
