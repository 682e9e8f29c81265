import {
  ManageBillingButton,
  PricingTable,
  RecurProvider,
  useEntitlements,
  usePlans,
} from '@recur/sdk/react';
import type { AppUser } from './backend.js';
import { ReportsAccess } from './ReportsAccess.js';

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/**
 * The signed-in page. The SDK's components call the routes `createRecurRoutes` serves under
 * /api/recur (the default), with the app's own session cookie.
 */
export function Account({ user }: { user: AppUser }) {
  return (
    <RecurProvider key={user.id}>
      <Returned />
      <AccountBody />
    </RecurProvider>
  );
}

function AccountBody() {
  const { refresh } = useEntitlements();
  return (
    <>
      {/* When the paywall moves, Recur has news: read the plan again. */}
      <ReportsAccess onChange={refresh} />
      <YourPlan />
      <section aria-labelledby="pricing-heading">
        <h2 id="pricing-heading">Choose a plan</h2>
        <PricingTable className="plans" buttonLabel={(plan) => `Subscribe to ${plan.name}`} />
      </section>
    </>
  );
}

/** Checkout and the portal come back here with `?billing=…` (Recur's RECUR_APP_URL). */
function Returned() {
  const billing = new URLSearchParams(window.location.search).get('billing');
  if (billing === 'success')
    return <p role="status">Thank you! Your plan starts as soon as the payment is confirmed.</p>;
  if (billing === 'cancelled') return <p role="status">Checkout was cancelled; nothing was charged.</p>;
  return null;
}

function YourPlan() {
  const { entitlements, loading } = useEntitlements();
  const { plans } = usePlans();
  const nameOf = (planId: string | null) => plans?.find((plan) => plan.id === planId)?.name ?? 'A plan';
  const subscriptions = entitlements?.subscriptions ?? [];
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">Your plan</h2>
      {loading ? (
        <p aria-busy="true">Loading…</p>
      ) : subscriptions.length === 0 ? (
        <p>No plan yet: pick one below.</p>
      ) : (
        <>
          <ul>
            {subscriptions.map((subscription) => (
              <li key={subscription.id}>
                {nameOf(subscription.plan_id)} ({subscription.status})
                {subscription.access_until &&
                  ` · access until ${dateFormat.format(new Date(subscription.access_until))}`}
              </li>
            ))}
          </ul>
          <ManageBillingButton />
        </>
      )}
    </section>
  );
}
