import { eq, getTableColumns } from 'drizzle-orm';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import { planPrices, subscriptionItems } from '../db/schema/index.js';

export type SubscriptionItemRow = typeof subscriptionItems.$inferInsert;

/** The columns of an item, in the order of `REPLACE_ITEMS`'s arrays, with their SQL types. */
const ITEM_COLUMNS = [
  ['id', 'text'],
  ['subscriptionId', 'text'],
  ['priceId', 'text'],
  ['productId', 'text'],
  ['quantity', 'int'],
  ['unitAmount', 'int'],
  ['currency', 'text'],
  ['interval', 'text'],
  ['intervalCount', 'int'],
  ['currentPeriodStart', 'timestamptz'],
  ['currentPeriodEnd', 'timestamptz'],
  ['createdAt', 'timestamptz'],
  ['stripeEventAt', 'timestamptz'],
] as const satisfies ReadonlyArray<readonly [keyof SubscriptionItemRow, string]>;

type ItemKey = (typeof ITEM_COLUMNS)[number][0];

const itemColumnNames = ITEM_COLUMNS.map(([key]) => `"${getTableColumns(subscriptionItems)[key].name}"`);

/** The parameter holding one column's array (`$1` is the subscription, the arrays follow). */
export function itemArrayParam(key: ItemKey): string {
  const index = ITEM_COLUMNS.findIndex(([k]) => k === key);
  return `$${index + 2}::${ITEM_COLUMNS[index]![1]}[]`;
}

/**
 * The items no longer in the snapshot deleted and the others written, as two sub-statements of a
 * `with` (`items_gone`, `items_put`) that a statement around them may follow with what it reads.
 * Parameters: the subscription, then each column's array (`itemParams`).
 */
export const REPLACE_ITEMS_CTES = `items_gone as (
    delete from subscription_items where subscription_id = $1 and id <> all($2::text[])
  ),
  items_put as (
    insert into subscription_items (${itemColumnNames.join(', ')})
    select * from unnest(${ITEM_COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
    on conflict (id) do update set ${itemColumnNames
      .filter((name) => name !== '"id"')
      .map((name) => `${name} = excluded.${name}`)
      .join(', ')}, updated_at = now()
  )`;

const REPLACE_ITEMS: Statement = {
  name: 'recur_mirror_replace_subscription_items',
  text: `with ${REPLACE_ITEMS_CTES} select 1`,
};

/** `REPLACE_ITEMS_CTES`'s parameters for one subscription's items. */
export function itemParams(subscriptionId: string, items: SubscriptionItemRow[]): unknown[] {
  return [
    subscriptionId,
    // A metered item's quantity is null (written so); an item that does not say has one.
    ...ITEM_COLUMNS.map(([key]) =>
      items.map((item) => (key === 'quantity' && item.quantity === undefined ? 1 : (item[key] ?? null))),
    ),
  ];
}

/** The items of a subscription are replaced with those of the snapshot being applied. */
export async function replaceSubscriptionItems(
  db: DbOrTx,
  subscriptionId: string,
  items: SubscriptionItemRow[],
): Promise<void> {
  await runStatement(db, REPLACE_ITEMS, itemParams(subscriptionId, items));
}

/** Recur's plan for a Stripe price, when the price is one of the catalog's. */
export async function planIdOfPrice(db: DbOrTx, stripePriceId: string | null): Promise<string | null> {
  if (!stripePriceId) return null;
  const [row] = await db
    .select({ planId: planPrices.planId })
    .from(planPrices)
    .where(eq(planPrices.stripePriceId, stripePriceId));
  return row?.planId ?? null;
}
