import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { unwrap } from '../src/api/client.js';
import { api, once, type Plan, type Subscription } from './api.js';
import { orgBody, useOrg } from './org-context.js';
import { returnUrl } from './session.js';
import { ErrorAlert, Section } from './ui.js';
import { benefitsOf, INTERVALS, type Interval, priceFor, priceInWords } from './words.js';

export function IntervalSwitch(props: { value: Interval; onChange(value: Interval): void; legend: string }) {
  const name = useId();
  return (
    <fieldset className="switch">
      <legend>{props.legend}</legend>
      {INTERVALS.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={props.value === option.value}
            onChange={() => props.onChange(option.value)}
          />
          <span>{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

interface PricingProps {
  plans: Plan[];
  live: Subscription[];
  /** With a subscription already running, another plan is reached by changing plan, not a second subscription. */
  onChangeTo(planId: string, interval: Interval): void;
}

export function Pricing({ plans, live, onChangeTo }: PricingProps) {
  const [interval, setInterval] = useState<Interval>('month');
  const currency = live[0]?.currency;
  const org = useOrg();
  const subscribe = useMutation({
    mutationFn: (plan: Plan) =>
      unwrap(
        api.POST('/api/checkout/sessions', {
          headers: once(),
          body: {
            plan_id: plan.id,
            price_id: priceFor(plan, interval, currency)?.id,
            success_url: returnUrl(org, 'checkout', 'success'),
            cancel_url: returnUrl(org, 'checkout', 'cancelled'),
            ...orgBody(org),
          },
        }),
      ),
    // Stripe's hosted Checkout takes the card and asks the customer to confirm the payment.
    onSuccess: (session) => window.location.assign(session.url),
  });

  return (
    <Section title="Plans">
      <IntervalSwitch legend="Billing period" value={interval} onChange={setInterval} />
      <ErrorAlert error={subscribe.error} />
      {plans.length === 0 ? (
        <p>No plans are on offer yet.</p>
      ) : (
        <ul className="plans">
          {plans.map((plan) => {
            const price = priceFor(plan, interval, currency);
            const current = live.some((s) => s.plan_id === plan.id);
            return (
              <li key={plan.id} className={current ? 'plan current' : 'plan'}>
                <h3>{plan.name}</h3>
                {plan.description && <p>{plan.description}</p>}
                <p className="price">
                  {price ? priceInWords(price, plan.per_seat) : `Not offered ${interval}ly`}
                </p>
                {plan.trial_days > 0 && live.length === 0 && <p>{plan.trial_days}-day free trial</p>}
                <ul className="benefits">
                  {benefitsOf(Object.fromEntries(plan.benefits.map((b) => [b.key, b.value]))).map((b) => (
                    <li key={b}>{b}</li>
                  ))}
                </ul>
                {current ? (
                  <p className="badge">Your current plan</p>
                ) : live.length > 0 ? (
                  <button type="button" disabled={!price} onClick={() => onChangeTo(plan.id, interval)}>
                    Change to {plan.name}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="primary"
                    disabled={!price || subscribe.isPending}
                    onClick={() => subscribe.mutate(plan)}
                  >
                    Subscribe<span className="visually-hidden"> to {plan.name}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
