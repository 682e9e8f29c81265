// Generated from openapi.json by `npm run openapi`; do not edit by hand.

/** Each webhook event Recur sends, by type: the signed body as parsed JSON. */
export interface RecurEvents {
  "subscription.created": {
    type: "subscription.created";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      subscription: {
        id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        stripe_status: string | null;
        provider: "stripe" | "external";
        customer_id: string;
        organization_id: string | null;
        plan_id: string | null;
        plan_name: string | null;
        price_id: string | null;
        interval: string | null;
        quantity: number;
        seat_mode: "manual" | "members" | null;
        currency: string;
        unit_amount: number | null;
        current_period_start: string | null;
        current_period_end: string | null;
        next_billing_date: string | null;
        cancel_at_period_end: boolean;
        cancel_at: string | null;
        canceled_at: string | null;
        cancellation_reason: string | null;
        trial_start: string | null;
        trial_end: string | null;
        scheduled_change: {
          plan_id: string | null;
          price_id: string;
          quantity: number;
          effective_at: string;
        } | null;
        payment_action_url: string | null;
        created_at: string;
      };
    };
  };
  "subscription.updated": {
    type: "subscription.updated";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      subscription: {
        id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        stripe_status: string | null;
        provider: "stripe" | "external";
        customer_id: string;
        organization_id: string | null;
        plan_id: string | null;
        plan_name: string | null;
        price_id: string | null;
        interval: string | null;
        quantity: number;
        seat_mode: "manual" | "members" | null;
        currency: string;
        unit_amount: number | null;
        current_period_start: string | null;
        current_period_end: string | null;
        next_billing_date: string | null;
        cancel_at_period_end: boolean;
        cancel_at: string | null;
        canceled_at: string | null;
        cancellation_reason: string | null;
        trial_start: string | null;
        trial_end: string | null;
        scheduled_change: {
          plan_id: string | null;
          price_id: string;
          quantity: number;
          effective_at: string;
        } | null;
        payment_action_url: string | null;
        created_at: string;
      };
      changed: (string)[];
      previous: {
        [key: string]: unknown;
      };
    };
  };
  "subscription.canceled": {
    type: "subscription.canceled";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      subscription: {
        id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        stripe_status: string | null;
        provider: "stripe" | "external";
        customer_id: string;
        organization_id: string | null;
        plan_id: string | null;
        plan_name: string | null;
        price_id: string | null;
        interval: string | null;
        quantity: number;
        seat_mode: "manual" | "members" | null;
        currency: string;
        unit_amount: number | null;
        current_period_start: string | null;
        current_period_end: string | null;
        next_billing_date: string | null;
        cancel_at_period_end: boolean;
        cancel_at: string | null;
        canceled_at: string | null;
        cancellation_reason: string | null;
        trial_start: string | null;
        trial_end: string | null;
        scheduled_change: {
          plan_id: string | null;
          price_id: string;
          quantity: number;
          effective_at: string;
        } | null;
        payment_action_url: string | null;
        created_at: string;
      };
    };
  };
  "subscription.renewed": {
    type: "subscription.renewed";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      subscription: {
        id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        stripe_status: string | null;
        provider: "stripe" | "external";
        customer_id: string;
        organization_id: string | null;
        plan_id: string | null;
        plan_name: string | null;
        price_id: string | null;
        interval: string | null;
        quantity: number;
        seat_mode: "manual" | "members" | null;
        currency: string;
        unit_amount: number | null;
        current_period_start: string | null;
        current_period_end: string | null;
        next_billing_date: string | null;
        cancel_at_period_end: boolean;
        cancel_at: string | null;
        canceled_at: string | null;
        cancellation_reason: string | null;
        trial_start: string | null;
        trial_end: string | null;
        scheduled_change: {
          plan_id: string | null;
          price_id: string;
          quantity: number;
          effective_at: string;
        } | null;
        payment_action_url: string | null;
        created_at: string;
      };
      invoice_id: string | null;
    };
  };
  "entitlements.updated": {
    type: "entitlements.updated";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string;
      entitlements: {
        benefits: {
          [key: string]: boolean | number | string;
        };
        sources: {
          [key: string]: string | null;
        };
        subscriptions: ({
          id: string;
          plan_id: string | null;
          organization_id: string | null;
          status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
          stripe_status: string | null;
          access_until: string | null;
        })[];
        purchases: ({
          id: string;
          plan_id: string;
          organization_id: string | null;
        })[];
        usage: {
          [key: string]: {
            limit: number;
            used: number;
            reserved: number;
            balance: number;
            credits: number;
            overage: "block" | "bill" | "credits";
            reset: "day" | "week" | "month" | "year" | "billing_period" | "never";
            period_start: string;
            resets_at: string | null;
          };
        };
      };
      changes: {
        added: (string)[];
        removed: (string)[];
        changed: (string)[];
      };
    };
  };
  "usage.threshold_reached": {
    type: "usage.threshold_reached";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      feature: string;
      threshold: number;
      limit: number;
      used: number;
      overage: "block" | "bill" | "credits";
      period_start: string;
      resets_at: string | null;
    };
  };
  "invoice.paid": {
    type: "invoice.paid";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      invoice: {
        id: string;
        subscription_id: string | null;
        status: string;
        currency: string;
        amount_due: number;
        amount_paid: number;
        amount_remaining: number;
        attempt_count: number;
        next_payment_attempt: string | null;
        hosted_invoice_url: string | null;
      };
    };
  };
  "invoice.payment_failed": {
    type: "invoice.payment_failed";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      invoice: {
        id: string;
        subscription_id: string | null;
        status: string;
        currency: string;
        amount_due: number;
        amount_paid: number;
        amount_remaining: number;
        attempt_count: number;
        next_payment_attempt: string | null;
        hosted_invoice_url: string | null;
      };
    };
  };
  "invoice.payment_action_required": {
    type: "invoice.payment_action_required";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      invoice: {
        id: string;
        subscription_id: string | null;
        status: string;
        currency: string;
        amount_due: number;
        amount_paid: number;
        amount_remaining: number;
        attempt_count: number;
        next_payment_attempt: string | null;
        hosted_invoice_url: string | null;
      };
    };
  };
  "customer.updated": {
    type: "customer.updated";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      customer: {
        id: string;
        deleted: boolean;
        default_payment_method_id: string | null;
      };
    };
  };
  "refund.created": {
    type: "refund.created";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      refund: {
        id: string;
        invoice_id: string | null;
        amount: number;
        currency: string;
        status: string;
        reason: string | null;
      };
    };
  };
  "checkout.completed": {
    type: "checkout.completed";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      checkout_session_id: string;
      subscription_id: string | null;
      plan_id: string | null;
    };
  };
  "purchase.completed": {
    type: "purchase.completed";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      purchase: {
        id: string;
        plan_id: string;
        checkout_session_id: string;
        payment_intent_id: string | null;
        quantity: number;
        amount: number;
        currency: string;
        status: "paid" | "refunded";
        credits: {
          [key: string]: number;
        };
      };
    };
  };
  "purchase.refunded": {
    type: "purchase.refunded";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      purchase: {
        id: string;
        plan_id: string;
        checkout_session_id: string;
        payment_intent_id: string | null;
        quantity: number;
        amount: number;
        currency: string;
        status: "paid" | "refunded";
        credits: {
          [key: string]: number;
        };
      };
    };
  };
  "trial.will_end": {
    type: "trial.will_end";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      subscription_id: string;
      trial_end: string | null;
    };
  };
  "dispute.access_suspended": {
    type: "dispute.access_suspended";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      dispute: {
        id: string;
        charge_id: string;
        subscription_id: string | null;
        amount: number;
        currency: string;
        reason: string;
        status: string;
        evidence_due_by: string | null;
      };
    };
  };
  "dispute.access_restored": {
    type: "dispute.access_restored";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      dispute: {
        id: string;
        charge_id: string;
        subscription_id: string | null;
        amount: number;
        currency: string;
        reason: string;
        status: string;
        evidence_due_by: string | null;
      };
    };
  };
  "dispute.subscription_canceled": {
    type: "dispute.subscription_canceled";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      dispute: {
        id: string;
        charge_id: string;
        subscription_id: string | null;
        amount: number;
        currency: string;
        reason: string;
        status: string;
        evidence_due_by: string | null;
      };
    };
  };
  "early_fraud_warning.refunded_and_canceled": {
    type: "early_fraud_warning.refunded_and_canceled";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      user_id: string | null;
      organization_id: string | null;
      early_fraud_warning: {
        id: string;
        charge_id: string;
        fraud_type: string;
      };
      refund_id: string | null;
      subscription_id: string | null;
    };
  };
  "ping": {
    type: "ping";
    version: 1;
    timestamp: string;
    subject: string;
    sequence: number;
    data: {
      endpoint_id: string;
      message: string;
    };
  };
}
