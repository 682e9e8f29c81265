import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { unwrap } from '../src/api/client.js';
import { formatDate, formatMoney } from '../src/format.js';
import { api, type Credits, type Entitlements, once, type Plan, useCredits } from './api.js';
import { orgBody, useOrg } from './org-context.js';
import { returnUrl } from './session.js';
import { ErrorAlert, Section } from './ui.js';
import { count, featureInWords, oneTimePrice, priceInWords } from './words.js';

/**
 * A purchase's grant shows in the ledger once its webhook is applied: the newest row, from a
 * Checkout Session (the grant, or the settle rows of the debt it paid, written with it).
 */
const PURCHASE_WINDOW_MS = 10 * 60_000;

function purchaseArrived(credits: Credits): boolean {
  const newest = credits.ledger.data[0];
  return (
    (newest?.movement === 'grant' || newest?.movement === 'settle') &&
    newest.reference?.startsWith('cs_') === true &&
    Date.now() - Date.parse(newest.created_at) < PURCHASE_WINDOW_MS
  );
}

interface Props {
  plans: Plan[];
  entitlements: Entitlements | undefined;
  currency: string | undefined;
  /** Back from Checkout with a purchase: poll until its credits arrive, then say so. */
  waitingForPurchase: boolean;
  /** Back from Checkout with a subscription: its first period's credits may be on their way. */
  waitingForSubscription: boolean;
  onPurchaseSeen(): void;
}

/**
 * Usage against its limits (`usage` of the entitlements) and the credit balance of each feature,
 * with "Buy more" for a feature that a one-time plan of the catalog grants (a credit pack).
 */
export function UsageAndCredits(props: Props) {
  const { plans, entitlements, currency, waitingForPurchase, onPurchaseSeen } = props;
  const org = useOrg();
  const credits = useCredits(
    org,
    waitingForPurchase ? purchaseArrived : props.waitingForSubscription ? (c) => c.balances.length > 0 : null,
  );
  const seen = credits.data ? purchaseArrived(credits.data) : false;
  useEffect(() => {
    if (waitingForPurchase && seen) onPurchaseSeen();
  }, [waitingForPurchase, seen, onPurchaseSeen]);
  const buy = useMutation({
    mutationFn: (plan: Plan) =>
      unwrap(
        api.POST('/api/checkout/sessions', {
          headers: once(),
          body: {
            plan_id: plan.id,
            price_id: oneTimePrice(plan, currency)?.id,
            success_url: returnUrl(org, 'checkout', 'purchased'),
            cancel_url: returnUrl(org, 'checkout', 'cancelled'),
            ...orgBody(org),
          },
        }),
      ),
    onSuccess: (session) => window.location.assign(session.url),
  });

  const usage = entitlements?.usage ?? {};
  const balances = new Map((credits.data?.balances ?? []).map((b) => [b.feature, b]));
  const features = [...new Set([...Object.keys(usage), ...balances.keys()])].sort();
  const packOf = (feature: string) =>
    plans.find(
      (p) => p.kind === 'one_time' && p.status === 'active' && p.benefits.some((b) => b.key === feature),
    );
  const account = credits.data?.account_credit;
  if (features.length === 0 && !account) return null;

  return (
    <Section title="Usage and credits">
      <ErrorAlert error={buy.error ?? credits.error} />
      {account && (
        <p className="account-credit">
          {account.amount > 0
            ? `${formatMoney(account.amount, account.currency)} account credit: taken off your next invoices`
            : `${formatMoney(-account.amount, account.currency)} owed: added to your next invoice`}
        </p>
      )}
      <ul className="usage">
        {features.map((feature) => {
          const line = usage[feature];
          const held = balances.get(feature);
          const pack = packOf(feature);
          const price = pack && oneTimePrice(pack, currency);
          const name = featureInWords(feature);
          return (
            <li key={feature}>
              <h3>{name}</h3>
              {line && line.limit > 0 && (
                <>
                  <p>
                    {count(line.used)} of {count(line.limit)} used
                    {line.resets_at ? `, resets ${formatDate(line.resets_at)}` : ''}
                  </p>
                  <progress
                    max={line.limit}
                    value={Math.min(line.used, line.limit)}
                    aria-label={`${name} used of the limit`}
                  />
                </>
              )}
              {held &&
                (held.owed > 0 ? (
                  <p className="credit-balance">
                    {count(held.owed)} credits owed: your next credits pay them first
                  </p>
                ) : (
                  <p className="credit-balance">
                    {count(held.balance)} credits left
                    {held.next_expiry ? ` (some expire ${formatDate(held.next_expiry)})` : ''}
                  </p>
                ))}
              {pack && (
                <button type="button" disabled={buy.isPending} onClick={() => buy.mutate(pack)}>
                  Buy more<span className="visually-hidden"> {name}</span>
                  {price && ` (${pack.name}, ${priceInWords(price)})`}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
