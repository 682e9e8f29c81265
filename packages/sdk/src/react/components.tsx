import { type ReactNode, useState } from 'react';
import { isAllowed } from '../entitlement-cache.js';
import { useEntitlements, usePlans, useRecur } from './hooks.js';
import type { Plan, RecurRouteError } from './store.js';

type Price = Plan['prices'][number];

/** An amount in minor units as the currency writes it (¥500, $29.00). */
export function formatAmount(minor: number, currency: string, locale = 'en-US'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function usePending(onError?: (error: RecurRouteError) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RecurRouteError | null>(null);
  const run = async (act: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await act();
    } catch (caught) {
      const failure = caught as RecurRouteError;
      setError(failure);
      onError?.(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export interface PricingTableProps {
  /** Which of each plan's prices to show. Default 'month'. */
  interval?: Price['interval'];
  /** Only prices in this currency (ISO 4217); default any. */
  currency?: string;
  locale?: string;
  className?: string;
  /** The button's words for a plan. Default "Choose <name>". */
  buttonLabel?: (plan: Plan) => ReactNode;
  onError?: (error: RecurRouteError) => void;
}

/**
 * The plans on offer, each with its price at `interval` and a button that starts Checkout for it
 * (through the app's backend) and sends the browser to Stripe's page. A plan the user has already
 * is marked as the current one.
 */
export function PricingTable({
  interval = 'month',
  currency,
  locale = 'en-US',
  className,
  buttonLabel = (plan) => `Choose ${plan.name}`,
  onError,
}: PricingTableProps) {
  const recur = useRecur();
  const { plans, loading, error } = usePlans();
  const { entitlements } = useEntitlements();
  const { busy, error: checkoutError, run } = usePending(onError);
  if (error) return <p role="alert">Plans could not be loaded: {error.message}</p>;
  if (loading || !plans) return <p aria-busy="true">Loading plans…</p>;
  const current = new Set(
    (entitlements?.subscriptions ?? []).filter((s) => s.status !== 'cancelled').map((s) => s.plan_id),
  );
  const offers = plans.flatMap((plan) => {
    const price = plan.prices.find(
      (p) =>
        p.active &&
        p.interval === interval &&
        p.interval_count === 1 &&
        (!currency || p.currency === currency.toLowerCase()),
    );
    return price ? [{ plan, price }] : [];
  });
  return (
    <section className={className} aria-label="Plans">
      {checkoutError && <p role="alert">Checkout could not start: {checkoutError.message}</p>}
      <ul>
        {offers.map(({ plan, price }) => (
          <li key={plan.id} data-plan={plan.key}>
            <h3>{plan.name}</h3>
            {plan.description && <p>{plan.description}</p>}
            <p>
              {`${price.unit_amount === null ? 'Priced by tiers' : formatAmount(price.unit_amount, price.currency, locale)} / ${interval}`}
            </p>
            {included(plan).length > 0 && (
              <ul>
                {included(plan).map((benefit) => (
                  <li key={benefit.key}>
                    {typeof benefit.value === 'boolean' ? benefit.key : `${benefit.key}: ${benefit.value}`}
                  </li>
                ))}
              </ul>
            )}
            {current.has(plan.id) ? (
              <p>Your current plan</p>
            ) : (
              <button
                type="button"
                disabled={busy}
                onClick={() => run(() => recur.startCheckout({ plan_id: plan.id, price_id: price.id }))}
              >
                {buttonLabel(plan)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface ManageBillingButtonProps {
  children?: ReactNode;
  className?: string;
  onError?: (error: RecurRouteError) => void;
}

/** Opens the Stripe Customer Portal for the signed-in user (through the app's backend). */
export function ManageBillingButton({
  children = 'Manage billing',
  className,
  onError,
}: ManageBillingButtonProps) {
  const recur = useRecur();
  const { busy, error, run } = usePending(onError);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={busy}
        onClick={() => run(() => recur.openPortal())}
      >
        {children}
      </button>
      {error && <p role="alert">The billing portal could not open: {error.message}</p>}
    </>
  );
}

/** The benefits a plan gives: a flag that is off, a zero or an empty text is not offered. */
const included = (plan: Plan) => plan.benefits.filter((benefit) => isAllowed(benefit.value));
