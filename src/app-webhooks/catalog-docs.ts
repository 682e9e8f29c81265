import type { SubscriptionView } from '../subscriptions/views.js';
import { APP_EVENT_SCHEMA_VERSION, type AppEvent, type AppEventData, type AppEventType } from './catalog.js';

/**
 * What the catalogue promises in words: when each type is sent, what its subject is, and an
 * example body. The OpenAPI document's `webhooks` section and the README are written from these,
 * and a test checks every example against its type's schema.
 */
interface EventDoc<T extends AppEventType> {
  /** When Recur sends it. */
  sent: string;
  /** The example's subject: what the sequence numbers count. */
  subject: string;
  data: AppEventData<T>;
}

const USER = 'user_42';
const SUBSCRIPTION = 'sub_1QbX4pLkT9sWm2Rv';
const INVOICE = 'in_1QbX4qLkT9sWm2Rv';

const subscription: SubscriptionView = {
  id: SUBSCRIPTION,
  status: 'active',
  stripe_status: 'active',
  provider: 'stripe',
  customer_id: 'cus_RUd8xJ2mQe7TbN',
  organization_id: null,
  plan_id: 'plan_0mi6v2k1x7Gq3LsN8pRt2W',
  plan_name: 'Pro',
  price_id: 'price_1QbX3wLkT9sWm2RvYh6aC0dE',
  interval: 'month',
  quantity: 1,
  seat_mode: null,
  currency: 'usd',
  unit_amount: 2900,
  current_period_start: '2026-12-01T10:00:00.000Z',
  current_period_end: '2027-01-01T10:00:00.000Z',
  next_billing_date: '2027-01-01',
  cancel_at_period_end: false,
  cancel_at: null,
  canceled_at: null,
  cancellation_reason: null,
  trial_start: null,
  trial_end: null,
  scheduled_change: null,
  payment_action_url: null,
  created_at: '2026-11-01T10:00:00.000Z',
};

const PURCHASE = {
  id: 'pur_0mi6v2k1x9Hq4MtP7sUv3Y',
  plan_id: 'plan_0mi6v2k1x7Gq3LsN8pRt2X',
  checkout_session_id: 'cs_test_a1B2c3D4e5F7',
  payment_intent_id: 'pi_1QbX4rLkT9sWm2Rv',
  quantity: 1,
  amount: 1000,
  currency: 'usd',
  status: 'paid' as const,
  credits: { ai_credits: 500 },
};

const DISPUTE = {
  id: 'dp_1QbX5uLkT9sWm2Rv',
  charge_id: 'ch_1QbX4rLkT9sWm2Rv',
  subscription_id: SUBSCRIPTION,
  amount: 2900,
  currency: 'usd',
  reason: 'fraudulent',
  status: 'needs_response',
  evidence_due_by: '2026-12-08T23:59:59.000Z',
};

const invoice = {
  id: INVOICE,
  subscription_id: SUBSCRIPTION,
  status: 'paid',
  currency: 'usd',
  amount_due: 2900,
  amount_paid: 2900,
  amount_remaining: 0,
  attempt_count: 1,
  next_payment_attempt: null,
  hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1Qb/test_YWNjdF8xUWI',
};

const unpaid = {
  ...invoice,
  status: 'open',
  amount_paid: 0,
  amount_remaining: 2900,
  next_payment_attempt: '2026-12-04T10:00:00.000Z',
};

export const APP_EVENT_DOCS: { [T in AppEventType]: EventDoc<T> } = {
  'subscription.created': {
    sent: 'A subscription appears: through Checkout, `POST /api/subscriptions`, or made in Stripe directly.',
    subject: `subscription:${SUBSCRIPTION}`,
    data: { user_id: USER, organization_id: null, subscription },
  },
  'subscription.updated': {
    sent: 'Any field of the subscription as the API shows it changes (status, plan, price, quantity, period, a cancellation scheduled or undone, a trial …), also beside `subscription.canceled` and `subscription.renewed`. `changed` names the fields, `previous` holds their values before.',
    subject: `subscription:${SUBSCRIPTION}`,
    data: {
      user_id: USER,
      organization_id: null,
      subscription: { ...subscription, cancel_at_period_end: true, next_billing_date: null },
      changed: ['next_billing_date', 'cancel_at_period_end'],
      previous: { next_billing_date: '2027-01-01', cancel_at_period_end: false },
    },
  },
  'subscription.canceled': {
    sent: 'The subscription ends (its status becomes `cancelled`): at the period end after a cancellation, at once, or after payments failed for good.',
    subject: `subscription:${SUBSCRIPTION}`,
    data: {
      user_id: USER,
      organization_id: null,
      subscription: {
        ...subscription,
        status: 'cancelled',
        stripe_status: 'canceled',
        next_billing_date: null,
        canceled_at: '2027-01-01T10:00:00.000Z',
        cancellation_reason: 'cancellation_requested',
      },
    },
  },
  'subscription.renewed': {
    sent: 'A new billing period begins; `invoice_id` is the invoice that charged it, when known.',
    subject: `subscription:${SUBSCRIPTION}`,
    data: { user_id: USER, organization_id: null, subscription, invoice_id: INVOICE },
  },
  'entitlements.updated': {
    sent: 'A user’s entitlement set differs from the last one sent for that user (its `usage` balances ride along, as of the change), or usage crossed a threshold of a limit (80% and 100%, beside `usage.threshold_reached`): a subscription of theirs or of an organisation they belong to starts, changes plan, lapses or ends, a one-time plan is bought or refunded, or they join or leave an organisation (every member of the organisation is told). It carries the complete merged set, so the newest message alone is the truth.',
    subject: `user:${USER}`,
    data: {
      user_id: USER,
      entitlements: {
        benefits: { api_access: true, seats: 10, support: 'priority', api_calls: 10000 },
        sources: { api_access: null, seats: null, support: null, api_calls: null },
        subscriptions: [
          {
            id: SUBSCRIPTION,
            plan_id: subscription.plan_id,
            organization_id: null,
            status: 'active',
            stripe_status: 'active',
            access_until: null,
          },
        ],
        purchases: [],
        usage: {
          api_calls: {
            limit: 10000,
            used: 8012,
            reserved: 0,
            balance: 1988,
            credits: 0,
            overage: 'block',
            reset: 'month',
            period_start: '2026-12-01T00:00:00.000Z',
            resets_at: '2027-01-01T00:00:00.000Z',
          },
        },
      },
      changes: { added: ['support'], removed: [], changed: ['seats'] },
    },
  },
  'invoice.paid': {
    sent: 'An invoice is paid (once per invoice).',
    subject: `invoice:${INVOICE}`,
    data: { user_id: USER, organization_id: null, invoice },
  },
  'invoice.payment_failed': {
    sent: 'An attempt to charge an invoice fails; once per failed attempt, and not after the invoice is paid. `next_payment_attempt` says when Stripe tries again.',
    subject: `invoice:${INVOICE}`,
    data: { user_id: USER, organization_id: null, invoice: unpaid },
  },
  'invoice.payment_action_required': {
    sent: 'A payment needs the customer to act (3-D Secure authentication): send them to `hosted_invoice_url`.',
    subject: `invoice:${INVOICE}`,
    data: { user_id: USER, organization_id: null, invoice: { ...unpaid, next_payment_attempt: null } },
  },
  'customer.updated': {
    sent: 'The Stripe customer behind a user changes (a new default payment method …) or is deleted. Never carries an email, a name or card details.',
    subject: `user:${USER}`,
    data: {
      user_id: USER,
      organization_id: null,
      customer: {
        id: subscription.customer_id,
        deleted: false,
        default_payment_method_id: 'pm_1Q0PsIJvEtkwdCNYtSgHRtnv',
      },
    },
  },
  'refund.created': {
    sent: 'A refund is made: from the console, the API or Stripe’s dashboard (once per refund).',
    subject: 'refund:re_1QbX5rLkT9sWm2Rv',
    data: {
      user_id: USER,
      organization_id: null,
      refund: {
        id: 're_1QbX5rLkT9sWm2Rv',
        invoice_id: INVOICE,
        amount: 2900,
        currency: 'usd',
        status: 'succeeded',
        reason: 'requested_by_customer',
      },
    },
  },
  'checkout.completed': {
    sent: 'A Checkout session completes: the customer paid, or started a trial.',
    subject: 'checkout:cs_test_a1B2c3D4e5F6',
    data: {
      user_id: USER,
      organization_id: null,
      checkout_session_id: 'cs_test_a1B2c3D4e5F6',
      subscription_id: SUBSCRIPTION,
      plan_id: subscription.plan_id,
    },
  },
  'purchase.completed': {
    sent: 'A one-time plan was bought (Checkout in payment mode, paid): its credits are granted and its other benefits are the payer’s for good. Once per Checkout Session; an `entitlements.updated` follows when the benefits changed.',
    subject: `purchase:${PURCHASE.id}`,
    data: { user_id: USER, organization_id: null, purchase: PURCHASE },
  },
  'purchase.refunded': {
    sent: 'A purchase’s charge was refunded in full: what is left of its credits is revoked and its lifetime benefits end (once per purchase). A partial refund changes nothing.',
    subject: `purchase:${PURCHASE.id}`,
    data: { user_id: USER, organization_id: null, purchase: { ...PURCHASE, status: 'refunded' } },
  },
  'usage.threshold_reached': {
    sent: 'A payer’s usage of a metered feature reaches RECUR_USAGE_WARN_PERCENT (80%) of its limit, then 100%: once per threshold and period, written with the usage that crossed it. With `block` the next check is refused; the payer’s balances are in its entitlements’ `usage`.',
    subject: `user:${USER}`,
    data: {
      user_id: USER,
      organization_id: null,
      feature: 'api_calls',
      threshold: 80,
      limit: 10000,
      used: 8012,
      overage: 'block',
      period_start: '2026-12-01T00:00:00.000Z',
      resets_at: '2027-01-01T00:00:00.000Z',
    },
  },
  'trial.will_end': {
    sent: 'Three days before a trial ends (Stripe’s notice), while the subscription is still trialing.',
    subject: `subscription:${SUBSCRIPTION}`,
    data: {
      user_id: USER,
      organization_id: null,
      subscription_id: SUBSCRIPTION,
      trial_end: '2026-12-15T10:00:00.000Z',
    },
  },
  'dispute.access_suspended': {
    sent: 'A chargeback opens (or is lost) under the `freeze` dispute policy: the subscription’s entitlements are suspended (once per dispute). An `entitlements.updated` follows for the user.',
    subject: `dispute:${DISPUTE.id}`,
    data: { user_id: USER, organization_id: null, dispute: DISPUTE },
  },
  'dispute.access_restored': {
    sent: 'A dispute that had suspended access is won (or the policy no longer freezes): the entitlements come back (once per dispute).',
    subject: `dispute:${DISPUTE.id}`,
    data: { user_id: USER, organization_id: null, dispute: { ...DISPUTE, status: 'won' } },
  },
  'dispute.subscription_canceled': {
    sent: 'Recur cancelled the disputed subscription in Stripe: a lost dispute under `freeze`, or any chargeback under `cancel` (once per dispute). `subscription.canceled` follows when Stripe confirms it.',
    subject: `dispute:${DISPUTE.id}`,
    data: { user_id: USER, organization_id: null, dispute: { ...DISPUTE, status: 'lost' } },
  },
  'early_fraud_warning.refunded_and_canceled': {
    sent: 'An actionable early fraud warning arrives with the `refund_and_cancel` policy: Recur refunded the charge and cancelled its subscription (once per warning).',
    subject: 'early_fraud_warning:issfr_1QbX5sLkT9sWm2Rv',
    data: {
      user_id: USER,
      organization_id: null,
      early_fraud_warning: {
        id: 'issfr_1QbX5sLkT9sWm2Rv',
        charge_id: 'ch_1QbX4rLkT9sWm2Rv',
        fraud_type: 'made_with_stolen_card',
      },
      refund_id: 're_1QbX5tLkT9sWm2Rv',
      subscription_id: SUBSCRIPTION,
    },
  },
  ping: {
    sent: 'Asked for by `POST /api/admin/webhook-endpoints/:id/test` (the console’s “Send test”), to that endpoint only, enabled or not.',
    subject: 'endpoint:we_0mi6v2k1x9Hq4MtP7sUv3X',
    data: { endpoint_id: 'we_0mi6v2k1x9Hq4MtP7sUv3X', message: 'A test message sent from Recur' },
  },
};

/** The body a receiver gets for the type's example: the envelope around its data. */
export function exampleEvent<T extends AppEventType>(type: T): AppEvent<T> {
  const doc = APP_EVENT_DOCS[type];
  return {
    type,
    version: APP_EVENT_SCHEMA_VERSION,
    timestamp: '2026-12-01T10:00:00.000Z',
    subject: doc.subject,
    sequence: 3,
    data: doc.data,
  } as AppEvent<T>;
}
