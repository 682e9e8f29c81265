// Generated from openapi.json by `npm run openapi`; do not edit by hand.

/** Responses that several routes share, by the name the API gives them. */
export interface responses {
  Error: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        error: {
          code: string;
          message: string;
          details?: unknown;
          request_id: string;
        };
      };
    };
  };
  Plan: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        key: string;
        name: string;
        description: string | null;
        status: "active" | "archived";
        trial_days: number;
        per_seat: boolean;
        kind: "base" | "add_on" | "one_time";
        requires_plans: (string)[];
        benefits: ({
          key: string;
          value: boolean | number | string;
          limit?: number;
          reset?: "day" | "week" | "month" | "year" | "billing_period" | "never";
          overage?: "block" | "bill" | "credits";
          overage_prices?: ({
            currency: string;
            unit_amount?: number;
            tiers_mode?: "graduated" | "volume";
            tiers?: ({
              up_to: number | null;
              unit_amount?: number;
              flat_amount?: number;
            })[];
          })[];
          credits?: number;
          rollover?: boolean;
          expires_after_days?: number | null;
        })[];
        stripe_product_id: string;
        prices: ({
          id: string;
          stripe_price_id: string;
          currency: string;
          unit_amount: number | null;
          billing_scheme: "per_unit" | "tiered";
          tiers_mode: "graduated" | "volume" | null;
          tiers: ({
            up_to: number | null;
            unit_amount: number | null;
            flat_amount: number | null;
          })[] | null;
          interval: "day" | "week" | "month" | "year" | null;
          interval_count: number;
          lookup_key: string | null;
          active: boolean;
          replaces_price_id: string | null;
          created_at: string;
          archived_at: string | null;
        })[];
        created_at: string;
        updated_at: string;
      };
    };
  };
  Customer: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        external_id: string | null;
        organization_id: string | null;
        email: string | null;
        name: string | null;
        currency: string | null;
        default_payment_method_id: string | null;
        deleted: boolean;
        erased_at: string | null;
        created_at: string;
      };
    };
  };
  CustomerOverview: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        customer: {
          id: string;
          external_id: string | null;
          organization_id: string | null;
          email: string | null;
          name: string | null;
          currency: string | null;
          default_payment_method_id: string | null;
          deleted: boolean;
          erased_at: string | null;
          created_at: string;
        };
        organization_name: string | null;
        subscriptions: ({
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
          customer_email: string | null;
          customer_name: string | null;
        })[];
        history: ({
          id: string;
          at: string;
          source: "mrr" | "audit";
          subscription_id: string | null;
          kind: string;
          plan_id: string | null;
          currency: string | null;
          mrr_delta: number | null;
          mrr_after: number | null;
          object_type: string | null;
          actor_type: string | null;
          outcome: string | null;
        })[];
        invoices: ({
          id: string;
          number: string | null;
          status: string;
          customer_id: string;
          subscription_id: string | null;
          subscription_status: "pending" | "active" | "action_required" | "suspended" | "cancelled" | null;
          currency: string;
          subtotal: number;
          total: number;
          tax: number;
          total_excluding_tax: number;
          amount_due: number;
          amount_paid: number;
          amount_remaining: number;
          period_start: string | null;
          period_end: string | null;
          billing_reason: string | null;
          attempt_count: number;
          next_payment_attempt: string | null;
          hosted_invoice_url: string | null;
          pdf_url: string | null;
          paid_at: string | null;
          created_at: string;
        })[];
        payments: ({
          id: string;
          payment_intent_id: string | null;
          status: string;
          amount: number;
          currency: string;
          amount_refunded: number;
          paid: boolean;
          refunded: boolean;
          failure_code: string | null;
          card: string | null;
          created_at: string;
        })[];
        refunds: ({
          id: string;
          charge_id: string | null;
          payment_intent_id: string | null;
          invoice_id: string | null;
          amount: number;
          currency: string;
          status: string | null;
          reason: string | null;
          created_at: string;
        })[];
        disputes: ({
          id: string;
          charge_id: string;
          payment_intent_id: string | null;
          invoice_id: string | null;
          subscription_id: string | null;
          customer_id: string | null;
          user_id: string | null;
          amount: number;
          currency: string;
          reason: string;
          status: string;
          evidence_due_by: string | null;
          is_charge_refundable: boolean;
          access_frozen: boolean;
          created_at: string;
        })[];
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
        } | null;
        credits: {
          payer: {
            kind: "user" | "organization";
            id: string;
          };
          balances: ({
            feature: string;
            balance: number;
            owed: number;
            next_expiry: string | null;
          })[];
          account_credit: {
            amount: number;
            currency: string;
          } | null;
          ledger: {
            data: ({
              id: string;
              feature: string;
              amount: number;
              movement: "grant" | "usage" | "reserve" | "release" | "expiry" | "revoke" | "settle";
              reason: string | null;
              reference: string | null;
              lot_id: string;
              created_at: string;
            })[];
            next_cursor: string | null;
          };
        } | null;
        events: ({
          id: string;
          stripe_id: string;
          type: string;
          object_id: string | null;
          status: string;
          occurred_at: string;
          payload: unknown;
        })[];
      };
    };
  };
  Organization: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        name: string;
        billing_email: string | null;
        auto_add_seats: boolean;
        invoice_footer: string | null;
        invoice_custom_fields: ({
          name: string;
          value: string;
        })[];
        customer_id: string | null;
        member_count: number;
        created_at: string;
        updated_at: string;
      };
    };
  };
  OrganizationMember: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        user_id: string;
        role: "owner" | "billing_admin" | "member";
        holds_seat: boolean;
        created_at: string;
      };
    };
  };
  SeatPreview: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        kind: "upgrade" | "downgrade" | "quantity" | "interval";
        effective: "now" | "period_end";
        effective_at: string;
        amount_due_now: number;
        currency: string;
        proration_date: number;
        lines: ({
          description: string | null;
          amount: number;
          proration: boolean;
          period_start: string;
          period_end: string;
        })[];
        next_invoice: {
          amount_due: number;
          period_start: string;
          period_end: string;
        };
        subscription_id: string;
        seat_mode: "manual" | "members";
        seats: number;
        paid_seats: number;
        used_seats: number;
      };
    };
  };
  Entitlements: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        user_id: string;
        organization_id: string | null;
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
        as_of: string;
        sequence: number;
      };
    };
  };
  Credits: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        payer: {
          kind: "user" | "organization";
          id: string;
        };
        balances: ({
          feature: string;
          balance: number;
          owed: number;
          next_expiry: string | null;
        })[];
        account_credit: {
          amount: number;
          currency: string;
        } | null;
        ledger: {
          data: ({
            id: string;
            feature: string;
            amount: number;
            movement: "grant" | "usage" | "reserve" | "release" | "expiry" | "revoke" | "settle";
            reason: string | null;
            reference: string | null;
            lot_id: string;
            created_at: string;
          })[];
          next_cursor: string | null;
        };
      };
    };
  };
  UsageTracked: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        accepted: number;
        duplicates: number;
        events: ({
          idempotency_key: string;
          status: "accepted" | "duplicate";
        })[];
      };
    };
  };
  UsageCheck: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        allowed: boolean;
        balance: number;
        limit: number;
        used: number;
        reserved: number;
        credits: number;
        overage: "block" | "bill" | "credits";
        reset: "day" | "week" | "month" | "year" | "billing_period" | "never";
        period_start: string;
        resets_at: string | null;
        reservation_id?: string;
      };
    };
  };
  UsageReservation: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        user_id: string | null;
        organization_id: string | null;
        feature: string;
        units: number;
        from_credits: number;
        status: "held" | "confirmed" | "released" | "expired";
        period_start: string;
        expires_at: string;
        settled_at: string | null;
      };
    };
  };
  Invoice: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        number: string | null;
        status: string;
        customer_id: string;
        subscription_id: string | null;
        subscription_status: "pending" | "active" | "action_required" | "suspended" | "cancelled" | null;
        currency: string;
        subtotal: number;
        total: number;
        tax: number;
        total_excluding_tax: number;
        amount_due: number;
        amount_paid: number;
        amount_remaining: number;
        period_start: string | null;
        period_end: string | null;
        billing_reason: string | null;
        attempt_count: number;
        next_payment_attempt: string | null;
        hosted_invoice_url: string | null;
        pdf_url: string | null;
        paid_at: string | null;
        created_at: string;
      };
    };
  };
  Error2: {
    headers: { [name: string]: unknown };
    content: {
      "application/pdf": string;
    };
  };
  Refund: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        status: string | null;
        amount: number;
        currency: string;
        charge_id: string | null;
        payment_intent_id: string | null;
        invoice_id: string | null;
        reason: string | null;
      };
    };
  };
  DisputeDetail: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        charge_id: string;
        payment_intent_id: string | null;
        invoice_id: string | null;
        subscription_id: string | null;
        customer_id: string | null;
        user_id: string | null;
        amount: number;
        currency: string;
        reason: string;
        status: string;
        evidence_due_by: string | null;
        is_charge_refundable: boolean;
        access_frozen: boolean;
        created_at: string;
        actions: ({
          action: "access_suspended" | "access_restored" | "subscription_canceled" | "charge_refunded";
          subscription_id: string | null;
          result_id: string | null;
          created_at: string;
        })[];
      };
    };
  };
  CreatedSubscription: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        subscription_id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        next_billing_date: string;
        stripe_status: "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "paused" | null;
        provider: "stripe" | "external";
        customer_id: string;
        plan_id: string;
        price_id: string;
        quantity: number;
        currency: string;
      };
    };
  };
  Subscription: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
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
  ChangePreview: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        kind: "upgrade" | "downgrade" | "quantity" | "interval";
        effective: "now" | "period_end";
        effective_at: string;
        amount_due_now: number;
        currency: string;
        proration_date: number;
        lines: ({
          description: string | null;
          amount: number;
          proration: boolean;
          period_start: string;
          period_end: string;
        })[];
        next_invoice: {
          amount_due: number;
          period_start: string;
          period_end: string;
        };
      };
    };
  };
  WebhookEndpoint: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        url: string;
        description: string;
        event_types: (string)[] | null;
        enabled: boolean;
        disabled_reason: string | null;
        failing_since: string | null;
        previous_secret_expires_at: string | null;
        created_at: string;
        updated_at: string;
      };
    };
  };
  WebhookDelivery: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        endpoint_id: string;
        message_id: string;
        type: string;
        subject: string;
        sequence: number;
        status: "pending" | "succeeded" | "failed";
        attempts: number;
        next_attempt_at: string;
        last_attempt_at: string | null;
        last_status_code: number | null;
        delivered_at: string | null;
        created_at: string;
      };
    };
  };
  Error3: {
    headers: { [name: string]: unknown };
    content: {
      "text/csv": string;
    };
  };
}
