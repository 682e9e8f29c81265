// How coupons reduce an invoice, following Stripe: discounts apply in order, each to what the
// previous ones left; a percentage applies to every discountable line (credits included, since the
// charge they give back was discounted too); a fixed amount is spread over the discountable lines
// in proportion to their amounts and never takes the invoice below zero.

export interface CouponTerms {
  percent_off: number | null;
  amount_off: number | null;
}

export interface DiscountInput {
  /** The discount's id (di_…), reported on each line's `discount_amounts`. */
  id: string;
  coupon: CouponTerms;
}

export interface LineInput {
  amount: number;
  discountable: boolean;
}

export interface DiscountAllocation {
  /** Per line, in input order: the amount each discount took from it. */
  lines: Array<Array<{ discount: string; amount: number }>>;
  /** Per discount: the total it took from the invoice. */
  totals: Array<{ discount: string; amount: number }>;
}

export function allocateDiscounts(lines: LineInput[], discounts: DiscountInput[]): DiscountAllocation {
  const remaining = lines.map((l) => (l.discountable ? l.amount : 0));
  const perLine: DiscountAllocation['lines'] = lines.map(() => []);
  const totals: DiscountAllocation['totals'] = [];

  for (const discount of discounts) {
    const taken =
      discount.coupon.percent_off !== null
        ? percentOff(remaining, discount.coupon.percent_off)
        : amountOff(remaining, discount.coupon.amount_off ?? 0);
    let total = 0;
    taken.forEach((amount, i) => {
      if (!lines[i]?.discountable) return;
      perLine[i]!.push({ discount: discount.id, amount });
      remaining[i] = (remaining[i] ?? 0) - amount;
      total += amount;
    });
    totals.push({ discount: discount.id, amount: total });
  }
  return { lines: perLine, totals };
}

function percentOff(amounts: number[], percent: number): number[] {
  return amounts.map((a) => Math.sign(a) * Math.round((Math.abs(a) * percent) / 100));
}

/** Spreads `off` over the positive amounts, largest remainder last so the parts sum exactly. */
function amountOff(amounts: number[], off: number): number[] {
  const base = amounts.reduce((sum, a) => sum + a, 0);
  const applied = Math.min(off, Math.max(base, 0));
  if (applied <= 0) return amounts.map(() => 0);
  const positive = amounts.map((a) => Math.max(a, 0));
  const positiveSum = positive.reduce((sum, a) => sum + a, 0);
  const parts = positive.map((a) => Math.floor((applied * a) / positiveSum));
  let left = applied - parts.reduce((sum, p) => sum + p, 0);
  for (let i = parts.length - 1; left > 0 && i >= 0; i--) {
    if ((positive[i] ?? 0) > (parts[i] ?? 0)) {
      parts[i] = (parts[i] ?? 0) + 1;
      left--;
    }
  }
  return parts;
}

/** When a discount created at `start` stops applying, per its coupon's duration (null: never). */
export function discountEnd(
  start: number,
  coupon: { duration: string; duration_in_months: number | null },
): number | null {
  if (coupon.duration !== 'repeating' || !coupon.duration_in_months) return null;
  const d = new Date(start * 1000);
  const shifted = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + coupon.duration_in_months, d.getUTCDate()),
  );
  // Clamp like billing periods do: Jan 31 + 1 month is the last day of February.
  const wantedMonth = (d.getUTCMonth() + coupon.duration_in_months) % 12;
  if (shifted.getUTCMonth() !== wantedMonth) shifted.setUTCDate(0);
  shifted.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  return shifted.getTime() / 1000;
}
