import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { unwrap } from '../src/api/client.js';
import { api, once, type Plan, type Subscription } from './api.js';
import { orgBody, useOrg } from './org-context.js';
import { returnUrl } from './session.js';
import { ErrorAlert, Section } from './ui.js';
import {
  INTERVALS,
  type Interval,
  oneTimePrice,
  planBenefitsInWords,
  priceFor,
  priceInWords,
} from './words.js';

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
            price_id: (plan.kind === 'one_time'
              ? oneTimePrice(plan, currency)
              : priceFor(plan, interval, currency)
            )?.id,
            success_url: returnUrl(org, 'checkout', plan.kind === 'one_time' ? 'purchased' : 'success'),
            cancel_url: returnUrl(org, 'checkout', 'cancelled'),
            ...orgBody(org),
          },
        }),
      ),
    // Stripe's hosted Checkout takes the card and asks the customer to confirm the payment.
    onSuccess: (session) => window.location.assign(session.url),
  });

  const bases = plans.filter((plan) => plan.kind === 'base');
  const addOns = plans.filter((plan) => plan.kind === 'add_on');
  const oneTime = plans.filter((plan) => plan.kind === 'one_time');
  const held = (plan: Plan) => live.some((s) => s.plan_id === plan.id);
  // Another base plan is reached by changing plan; an add-on is bought beside it.
  const hasBase = live.some((s) => bases.some((plan) => plan.id === s.plan_id));
  const card = (plan: Plan, action: ReactNode) => {
    const price =
      plan.kind === 'one_time' ? oneTimePrice(plan, currency) : priceFor(plan, interval, currency);
    return (
      <li key={plan.id} className={held(plan) ? 'plan current' : 'plan'}>
        <h3>{plan.name}</h3>
        {plan.description && <p>{plan.description}</p>}
        <p className="price">{price ? priceInWords(price, plan.per_seat) : `Not offered ${interval}ly`}</p>
        {plan.trial_days > 0 && live.length === 0 && <p>{plan.trial_days}-day free trial</p>}
        <ul className="benefits">
          {planBenefitsInWords(plan.benefits, plan.kind === 'one_time').map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
        {action}
      </li>
    );
  };
  const offered = (plan: Plan) => Boolean(priceFor(plan, interval, currency));
  const buyAction = (plan: Plan) => (
    <button
      type="button"
      className="primary"
      disabled={!oneTimePrice(plan, currency) || subscribe.isPending}
      onClick={() => subscribe.mutate(plan)}
    >
      Buy {plan.name}
    </button>
  );
  const baseAction = (plan: Plan) =>
    held(plan) ? (
      <p className="badge">Your current plan</p>
    ) : hasBase ? (
      <button type="button" disabled={!offered(plan)} onClick={() => onChangeTo(plan.id, interval)}>
        Change to {plan.name}
      </button>
    ) : (
      <button
        type="button"
        className="primary"
        disabled={!offered(plan) || subscribe.isPending}
        onClick={() => subscribe.mutate(plan)}
      >
        Subscribe<span className="visually-hidden"> to {plan.name}</span>
      </button>
    );
  const addOnAction = (plan: Plan) => {
    if (held(plan)) return <p className="badge">Added to your plan</p>;
    const needs = bases.filter((base) => plan.requires_plans.includes(base.id));
    const allowed = needs.length === 0 || live.some((s) => needs.some((base) => base.id === s.plan_id));
    return (
      <>
        {!allowed && <p className="muted">Needs {needs.map((base) => base.name).join(' or ')}</p>}
        <button
          type="button"
          className="primary"
          disabled={!allowed || !offered(plan) || subscribe.isPending}
          onClick={() => subscribe.mutate(plan)}
        >
          Add {plan.name}
        </button>
      </>
    );
  };

  return (
    <Section title="Plans">
      <IntervalSwitch legend="Billing period" value={interval} onChange={setInterval} />
      <ErrorAlert error={subscribe.error} />
      {bases.length === 0 ? (
        <p>No plans are on offer yet.</p>
      ) : (
        <ul className="plans">{bases.map((plan) => card(plan, baseAction(plan)))}</ul>
      )}
      {addOns.length > 0 && (
        <>
          <h3>Add-ons</h3>
          <p className="muted">Bought on top of your plan, each billed on its own.</p>
          <ul className="plans">{addOns.map((plan) => card(plan, addOnAction(plan)))}</ul>
        </>
      )}
      {oneTime.length > 0 && (
        <>
          <h3>One-time purchases</h3>
          <p className="muted">Paid once: credit packs and lifetime deals.</p>
          <ul className="plans">{oneTime.map((plan) => card(plan, buyAction(plan)))}</ul>
        </>
      )}
    </Section>
  );
}
