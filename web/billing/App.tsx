import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../src/api/client.js';
import { liveSubscriptions, useEntitlements, useMemberships, usePlans, useSubscriptions } from './api.js';
import { ChangePlan, type ChangeTarget } from './ChangePlan.js';
import { ContextSwitcher } from './ContextSwitcher.js';
import { UsageAndCredits } from './Credits.js';
import { CurrentPlan } from './CurrentPlan.js';
import { Frame } from './Frame.js';
import { Invoices } from './Invoices.js';
import { type Org, OrgContext, useOrgFromLocation } from './org-context.js';
import { Pricing } from './Pricing.js';
import { Seats } from './Seats.js';
import type { takeReturnOutcome } from './session.js';
import { UpdateCard } from './UpdateCard.js';
import { AnnounceContext, ErrorAlert, Loading } from './ui.js';

type Outcome = ReturnType<typeof takeReturnOutcome>;

const OUTCOME_WORDS: Record<NonNullable<Outcome>, string> = {
  checkout_success: 'Thank you! Stripe has taken your payment details; your subscription is being confirmed.',
  purchase_success: 'Thank you! Your purchase is being confirmed.',
  checkout_cancelled: 'Checkout was cancelled. Nothing was charged.',
  portal_return: 'Welcome back. Changes made on Stripe’s page can take a moment to show here.',
};

export function NoToken() {
  return (
    <Frame>
      <section className="card" aria-labelledby="no-token">
        <h2 id="no-token">Open this page from your account</h2>
        <p>
          This billing page opens with a secure link from the app you subscribe to. Go back to your account
          there and choose “Billing” to come back with a fresh link.
        </p>
      </section>
    </Frame>
  );
}

/** Why an organisation's billing is not shown: the API's 403 (a plain member) or 404 (not a member). */
function OrganizationRefusal({ error, name }: { error: ApiError; name: string }) {
  if (error.code === 'organization_role_forbidden') {
    return (
      <section className="card" aria-labelledby="refused">
        <h2 id="refused">Only owners and billing admins manage billing</h2>
        <p>
          You are a member of {name}, but only its owners and billing admins can see and change its plan,
          payment method and invoices. Ask one of them, or switch to your personal billing.
        </p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="refused">
      <h2 id="refused">Organisation not found</h2>
      <p>
        There is no organisation “{name}” that you belong to. Check the link, or switch to your personal
        billing.
      </p>
    </section>
  );
}

export function App({ holder, outcome }: { holder: string | null; outcome: Outcome }) {
  const [org, switchTo] = useOrgFromLocation();
  const [status, setStatus] = useState(outcome ? OUTCOME_WORDS[outcome] : '');
  const [target, setTarget] = useState<ChangeTarget | null>(null);
  // Checkout came back to this context; another context has nothing on its way.
  const [waiting, setWaiting] = useState(outcome === 'checkout_success');
  const [waitingForPurchase, setWaitingForPurchase] = useState(outcome === 'purchase_success');
  const onPurchaseSeen = useCallback(() => {
    setWaitingForPurchase(false);
    setStatus('Your purchase is confirmed.');
  }, []);
  const memberships = useMemberships();
  const plans = usePlans();
  const subscriptions = useSubscriptions(org, waiting);
  const entitlements = useEntitlements(org);
  const live = liveSubscriptions(subscriptions.data);
  const hasLive = live.length > 0;
  // Plan changes move between base plans; add-ons are bought beside them, one-time plans bought once (see Pricing).
  const basePlans = (plans.data ?? []).filter((p) => p.kind === 'base');
  const base = live.find((s) => !plans.data?.some((p) => p.id === s.plan_id && p.kind === 'add_on'));

  useEffect(() => {
    if (waiting && hasLive) setStatus('Your subscription is confirmed.');
  }, [waiting, hasLive]);

  const onSwitch = (next: Org) => {
    setStatus('');
    setWaiting(false);
    setWaitingForPurchase(false);
    setTarget(null);
    switchTo(next);
  };
  const switcher = <ContextSwitcher org={org} memberships={memberships.data ?? []} onSwitch={onSwitch} />;
  const orgName = (org && memberships.data?.find((m) => m.id === org)?.name) ?? org;

  const failed = [plans.error, subscriptions.error, entitlements.error].find(Boolean);
  if (failed instanceof ApiError && failed.status === 401) {
    return (
      <Frame>
        <section className="card" aria-labelledby="expired">
          <h2 id="expired">Your session has ended</h2>
          <p>
            For your security, billing links work for a short time only. Open this page again from your
            account.
          </p>
        </section>
      </Frame>
    );
  }
  if (org && failed instanceof ApiError && (failed.status === 403 || failed.status === 404)) {
    return (
      <Frame holder={holder} switcher={switcher}>
        <OrganizationRefusal error={failed} name={orgName ?? org} />
      </Frame>
    );
  }

  return (
    <OrgContext.Provider value={org}>
      <AnnounceContext.Provider value={setStatus}>
        <Frame holder={holder} switcher={switcher}>
          {org && (
            <p className="context-note">
              You are managing the billing of <strong>{orgName}</strong>.
            </p>
          )}
          <p role="status" className={status ? 'status' : 'status empty'}>
            {status}
          </p>
          <ErrorAlert error={failed} />
          {plans.isPending || subscriptions.isPending ? (
            <Loading what={org ? `${orgName}’s billing details` : 'your billing details'} />
          ) : (
            plans.data &&
            subscriptions.data && (
              <>
                <CurrentPlan
                  live={live}
                  plans={plans.data}
                  entitlements={entitlements.data}
                  waitingForCheckout={waiting}
                />
                {base && base.provider === 'stripe' && (
                  <ChangePlan subscription={base} plans={basePlans} target={target} />
                )}
                {live
                  .filter((s) => s.provider === 'stripe' && s.seat_mode !== null)
                  .map((s) => (
                    <Seats key={s.id} subscription={s} />
                  ))}
                <UsageAndCredits
                  plans={plans.data}
                  entitlements={entitlements.data}
                  currency={live[0]?.currency}
                  waitingForPurchase={waitingForPurchase}
                  waitingForSubscription={waiting}
                  onPurchaseSeen={onPurchaseSeen}
                />
                <Pricing
                  plans={plans.data}
                  live={live}
                  onChangeTo={(planId, interval) => setTarget({ planId, interval, at: Date.now() })}
                />
                <Invoices />
                {subscriptions.data.length > 0 && <UpdateCard />}
              </>
            )
          )}
        </Frame>
      </AnnounceContext.Provider>
    </OrgContext.Provider>
  );
}
