import { useEffect, useState } from 'react';
import { ApiError } from '../src/api/client.js';
import { liveSubscriptions, useEntitlements, usePlans, useSubscriptions } from './api.js';
import { ChangePlan, type ChangeTarget } from './ChangePlan.js';
import { CurrentPlan } from './CurrentPlan.js';
import { Invoices } from './Invoices.js';
import { Pricing } from './Pricing.js';
import type { takeReturnOutcome } from './session.js';
import { UpdateCard } from './UpdateCard.js';
import { AnnounceContext, ErrorAlert, Loading } from './ui.js';

type Outcome = ReturnType<typeof takeReturnOutcome>;

const OUTCOME_WORDS: Record<NonNullable<Outcome>, string> = {
  checkout_success: 'Thank you! Stripe has taken your payment details; your subscription is being confirmed.',
  checkout_cancelled: 'Checkout was cancelled. Nothing was charged.',
  portal_return: 'Welcome back. Changes made on Stripe’s page can take a moment to show here.',
};

function Frame({ holder, children }: { holder?: string | null; children: React.ReactNode }) {
  return (
    <>
      <header className="top">
        <h1>Billing</h1>
        {holder && <p className="muted">Signed in as {holder}</p>}
      </header>
      <main>{children}</main>
    </>
  );
}

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

export function App({ holder, outcome }: { holder: string | null; outcome: Outcome }) {
  const [status, setStatus] = useState(outcome ? OUTCOME_WORDS[outcome] : '');
  const [target, setTarget] = useState<ChangeTarget | null>(null);
  const waiting = outcome === 'checkout_success';
  const plans = usePlans();
  const subscriptions = useSubscriptions(waiting);
  const entitlements = useEntitlements();
  const live = liveSubscriptions(subscriptions.data);
  const hasLive = live.length > 0;

  useEffect(() => {
    if (waiting && hasLive) setStatus('Your subscription is confirmed.');
  }, [waiting, hasLive]);

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

  return (
    <AnnounceContext.Provider value={setStatus}>
      <Frame holder={holder}>
        <p role="status" className={status ? 'status' : 'status empty'}>
          {status}
        </p>
        <ErrorAlert error={failed} />
        {plans.isPending || subscriptions.isPending ? (
          <Loading what="your billing details" />
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
              {live[0] && live[0].provider === 'stripe' && (
                <ChangePlan subscription={live[0]} plans={plans.data} target={target} />
              )}
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
  );
}
