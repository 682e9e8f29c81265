import { formatDate } from '../src/format.js';
import type { Entitlements, Plan, Subscription } from './api.js';
import { CancelButton, ResumeButton } from './SubscriptionActions.js';
import { Section } from './ui.js';
import {
  cancelsOn,
  entitledInWords,
  nextChargeInWords,
  planBenefitsInWords,
  planPriceInWords,
  seatsOf,
  statusInWords,
} from './words.js';

interface CurrentPlanProps {
  live: Subscription[];
  plans: Plan[];
  entitlements: Entitlements | undefined;
  waitingForCheckout: boolean;
}

/**
 * What the plans shown here give: the entitlements when they answer for exactly these subscriptions,
 * else the plans' own benefits. An organisation's context asks for its entitlements alone; the
 * personal context's answer merges the user's organisations too, which are not this plan's.
 */
function benefitsShown(live: Subscription[], plans: Plan[], entitlements: Entitlements): string[] {
  const ids = new Set(live.map((s) => s.id));
  const planIds = new Set(live.map((s) => s.plan_id));
  const own = plans.filter((p) => planIds.has(p.id)).flatMap((p) => p.benefits);
  if (entitlements.subscriptions.every((s) => ids.has(s.id))) return entitledInWords(entitlements, own);
  return planBenefitsInWords(own, false);
}

export function CurrentPlan({ live, plans, entitlements, waitingForCheckout }: CurrentPlanProps) {
  const benefits = entitlements ? benefitsShown(live, plans, entitlements) : [];
  return (
    <Section title="Your plan">
      {live.length === 0 &&
        (waitingForCheckout ? (
          <p aria-busy="true">Confirming your subscription with Stripe…</p>
        ) : (
          <p>You have no subscription yet. Pick a plan below to start.</p>
        ))}
      {live.map((s) => (
        <SubscriptionSummary key={s.id} subscription={s} plans={plans} />
      ))}
      {live.length > 0 && (
        <>
          <h3>What your plan includes</h3>
          {!entitlements ? (
            <p className="muted" aria-busy="true">
              Loading what your plan includes…
            </p>
          ) : benefits.length ? (
            <ul className="benefits">
              {benefits.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">No benefits are active right now.</p>
          )}
        </>
      )}
    </Section>
  );
}

function SubscriptionSummary({ subscription: s, plans }: { subscription: Subscription; plans: Plan[] }) {
  const cancelDate = cancelsOn(s);
  const scheduledPlan = s.scheduled_change && plans.find((p) => p.id === s.scheduled_change?.plan_id);
  return (
    <div className="subscription">
      <h3>{s.plan_name ?? 'Subscription'}</h3>
      <dl>
        <dt>Status</dt>
        <dd>{statusInWords(s)}</dd>
        {cancelDate && (
          <>
            <dt>Cancellation</dt>
            <dd>Cancels on {formatDate(cancelDate)}</dd>
          </>
        )}
        {s.scheduled_change && (
          <>
            <dt>Scheduled change</dt>
            <dd>
              Changes to {scheduledPlan?.name ?? 'another plan'} on{' '}
              {formatDate(s.scheduled_change.effective_at)}
            </dd>
          </>
        )}
        {seatsOf(s) !== null && (
          <>
            <dt>Seats</dt>
            <dd>{seatsOf(s)}</dd>
          </>
        )}
        {planPriceInWords(s) && (
          <>
            <dt>Price</dt>
            <dd>{planPriceInWords(s)}</dd>
          </>
        )}
        <dt>Billed</dt>
        <dd>{s.interval === 'year' ? 'Yearly' : s.interval === 'month' ? 'Monthly' : (s.interval ?? '—')}</dd>
        <dt>Next charge</dt>
        <dd>{nextChargeInWords(s)}</dd>
      </dl>
      {s.payment_action_url && (
        <div className="action-required">
          <p>Your bank needs you to confirm this payment (3-D Secure) before it can go through.</p>
          {/* Stripe's hosted invoice page, where the customer authenticates and pays. */}
          <a className="button" href={s.payment_action_url}>
            Confirm your payment
          </a>
        </div>
      )}
      {s.provider === 'stripe' && (
        <div className="actions">
          {cancelDate ? <ResumeButton subscription={s} /> : <CancelButton subscription={s} />}
        </div>
      )}
    </div>
  );
}
