// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "subscriptions". */
export interface SubscriptionsPaths {
  "/api/me/subscriptions": {
    /** The calling user’s subscriptions, or with ?org= an organisation’s, oldest first */
    get: {
      parameters: {
        query?: {
          org?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              data: ({
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
              })[];
            };
          };
        };
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions": {
    /** Subscriptions, filtered, newest first (or sorted by `sort`/`order`), a page at a time */
    get: {
      parameters: {
        query?: {
          status?: "pending" | "active" | "action_required" | "suspended" | "cancelled" | "incomplete" | "incomplete_expired" | "trialing" | "past_due" | "canceled" | "unpaid" | "paused";
          plan_id?: string;
          customer_id?: string;
          provider?: "stripe" | "external";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "status";
          order?: "asc" | "desc";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              data: ({
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
              next_cursor: string | null;
            };
          };
        };
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    /** Subscribe a customer (by email) or an organisation to a plan, billed by Stripe or by an external provider */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            plan_id: string;
            customer_email?: string;
            organization_id?: string;
            provider?: "stripe" | "external";
            interval?: "day" | "week" | "month" | "year";
            currency?: unknown & unknown;
            price_id?: string;
            quantity?: number;
            trial_days?: number;
          };
        };
      };
      responses: {
        201: responses['CreatedSubscription'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions/{id}": {
    /** One subscription (a user sees their own, and an organisation’s as its owner or billing admin) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions/{id}/preview-change": {
    get?: never;
    put?: never;
    /** What a plan, interval or quantity change would charge now and at the next renewal */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            plan_id?: string;
            price_id?: string;
            interval?: "day" | "week" | "month" | "year";
            quantity?: number;
            immediately?: boolean;
          };
        };
      };
      responses: {
        200: responses['ChangePreview'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions/{id}/change": {
    get?: never;
    put?: never;
    /** Change plan, interval or quantity: upgrades now with proration, downgrades at period end */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            plan_id?: string;
            price_id?: string;
            interval?: "day" | "week" | "month" | "year";
            quantity?: number;
            immediately?: boolean;
            proration_date?: number;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              kind: "upgrade" | "downgrade" | "quantity" | "interval";
              effective: "now" | "period_end";
              effective_at: string;
              invoice_id: string | null;
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
        };
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions/{id}/cancel": {
    get?: never;
    put?: never;
    /** Cancel at the period end (default) or now (no credit for unused time) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            at_period_end?: boolean;
            reason?: string;
            feedback?: "customer_service" | "low_quality" | "missing_features" | "other" | "switched_service" | "too_complex" | "too_expensive" | "unused";
          };
        };
      };
      responses: {
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions/{id}/resume": {
    get?: never;
    put?: never;
    /** Undo a pending cancellation */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/subscriptions/{id}/reactivate": {
    get?: never;
    put?: never;
    /** Resume a paused subscription, or start an ended one again on the same price */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
}
