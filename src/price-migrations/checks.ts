// What a price migration may be asked to do, and the dry run of it: the rules are checked before
// anything is written, each refusal naming its problem.

import type { Db } from '../db/client.js';
import type { MigrationTiming } from '../db/schema/index.js';
import { ValidationError } from '../http/errors.js';
import type { PiiCipher } from '../shared/crypto.js';
import { monthlyAmount } from '../subscriptions/changes.js';
import { type Candidate, type CatalogPrice, priceMigrationRepository as repo } from './repository.js';

export interface MigrationRequest {
  from_price_ids: string[];
  to_price_id: string;
  timing: MigrationTiming;
}

/** A per-unit recurring price with an amount: what a migration can move between. */
export interface MovablePrice extends CatalogPrice {
  unitAmount: number;
  interval: string;
}

export interface DryRunLine {
  subscriptionId: string;
  customerId: string;
  customerName: string | null;
  customerEmail: string | null;
  fromPriceId: string;
  quantity: number;
  amountBefore: number;
  amountAfter: number;
  /** The renewal: the next invoice's date, which bills the new price when the move is at renewal. */
  nextInvoiceAt: Date | null;
}

export interface DryRun {
  from: MovablePrice[];
  to: MovablePrice;
  timing: MigrationTiming;
  currency: string;
  mrrBefore: number;
  mrrAfter: number;
  /** Subscriptions on the old prices that another unfinished migration already holds. */
  heldElsewhere: number;
  lines: DryRunLine[];
}

function movable(price: CatalogPrice, param: string): MovablePrice {
  if (price.interval === null) {
    throw new ValidationError('price_not_recurring', `Price ${price.stripePriceId} is not recurring`, {
      param,
    });
  }
  if (price.billingScheme !== 'per_unit' || price.unitAmount === null) {
    throw new ValidationError(
      'price_tiered',
      `Price ${price.stripePriceId} is tiered; a migration moves between per-unit prices`,
      { param },
    );
  }
  return { ...price, unitAmount: price.unitAmount, interval: price.interval };
}

/** The prices, checked: known, recurring, per-unit; the new one active, in the old ones' currency and interval. */
export async function checkedPrices(
  db: Db,
  request: MigrationRequest,
): Promise<{ from: MovablePrice[]; to: MovablePrice }> {
  const fromIds = [...new Set(request.from_price_ids)];
  if (fromIds.length !== request.from_price_ids.length) {
    throw new ValidationError('duplicate_price', 'from_price_ids names a price twice', {
      param: 'from_price_ids',
    });
  }
  if (fromIds.includes(request.to_price_id)) {
    throw new ValidationError('same_price', 'The new price is one of the old prices', {
      param: 'to_price_id',
    });
  }
  const found = await repo.prices(db, [...fromIds, request.to_price_id]);
  const byId = (id: string, param: string) => {
    const price = found.find((p) => p.stripePriceId === id);
    if (!price) throw new ValidationError('unknown_price', `Price ${id} is not in the catalog`, { param });
    return movable(price, param);
  };
  const to = byId(request.to_price_id, 'to_price_id');
  const from = fromIds.map((id) => byId(id, 'from_price_ids'));
  if (!to.active) {
    throw new ValidationError('price_inactive', `The new price ${to.stripePriceId} is archived`, {
      param: 'to_price_id',
    });
  }
  for (const price of from) {
    if (price.currency !== to.currency) {
      throw new ValidationError(
        'currency_mismatch',
        `Price ${price.stripePriceId} is in ${price.currency.toUpperCase()}, the new price in ${to.currency.toUpperCase()}`,
        { param: 'from_price_ids' },
      );
    }
    if (price.interval !== to.interval || price.intervalCount !== to.intervalCount) {
      throw new ValidationError(
        'interval_mismatch',
        `Price ${price.stripePriceId} bills every ${price.intervalCount} ${price.interval}, the new price every ${to.intervalCount} ${to.interval}`,
        { param: 'from_price_ids' },
      );
    }
  }
  return { from, to };
}

const monthly = (price: MovablePrice, quantity: number) =>
  monthlyAmount({
    unitAmount: price.unitAmount,
    interval: price.interval,
    intervalCount: price.intervalCount,
    quantity,
  });

/** What the migration would do: the subscriptions it takes, their MRR before and after, each one's next invoice. */
export async function dryRun(db: Db, cipher: PiiCipher, request: MigrationRequest): Promise<DryRun> {
  const { from, to } = await checkedPrices(db, request);
  const all = await repo.candidates(
    db,
    from.map((p) => p.stripePriceId),
  );
  const held = new Set(
    await repo.heldElsewhere(
      db,
      all.map((c) => c.id),
    ),
  );
  const taken = all.filter((c) => !held.has(c.id));
  const open = (sealed: string | null) => (sealed ? cipher.decrypt(sealed) : null);
  const priceOf = (c: Candidate) => from.find((p) => p.stripePriceId === c.priceId)!;
  let before = 0;
  let after = 0;
  const lines = taken.map((c): DryRunLine => {
    before += monthly(priceOf(c), c.quantity);
    after += monthly(to, c.quantity);
    return {
      subscriptionId: c.id,
      customerId: c.customerId,
      customerName: open(c.nameEncrypted),
      customerEmail: open(c.emailEncrypted),
      fromPriceId: c.priceId,
      quantity: c.quantity,
      amountBefore: priceOf(c).unitAmount * c.quantity,
      amountAfter: to.unitAmount * c.quantity,
      nextInvoiceAt: c.currentPeriodEnd,
    };
  });
  return {
    from,
    to,
    timing: request.timing,
    currency: to.currency,
    mrrBefore: Math.round(before),
    mrrAfter: Math.round(after),
    heldElsewhere: held.size,
    lines,
  };
}
