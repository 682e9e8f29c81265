// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "reports". */
export interface ReportsPaths {
  "/api/reports/subscriptions": {
    /** Active (incl. trialing) and cancelled subscriptions, active ones per plan; CSV: one line per plan */
    get: {
      parameters: {
        query?: {
          format?: string;
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
              total_active: number;
              total_cancelled: number;
              plans: ({
                plan_id: string;
                name: string;
                active_subscriptions: number;
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
  "/api/reports/mrr": {
    /** MRR and ARR at each month’s end with its movements, per currency (normalised to a month, before discounts) */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              current: ({
                currency: string;
                mrr: number;
                arr: number;
                active_subscriptions: number;
              })[];
              months: ({
                month: string;
                currency: string;
                mrr: number;
                arr: number;
                active_subscriptions: number;
                new: number;
                expansion: number;
                contraction: number;
                churned: number;
                reactivated: number;
                plan_transfers: number;
                net_change: number;
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
  "/api/reports/churn": {
    /** Logo and revenue churn rates by month, per currency */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                subscriptions_at_start: number;
                churned_subscriptions: number;
                logo_churn_rate: number | null;
                mrr_at_start: number;
                churned_mrr: number;
                contraction_mrr: number;
                revenue_churn_rate: number | null;
                net_revenue_churn_rate: number | null;
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
  "/api/reports/arpu": {
    /** ARPU (MRR per paying subscription at the range’s end) and LTV (ARPU over the monthly logo churn rate) */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              currencies: ({
                currency: string;
                mrr: number;
                active_subscriptions: number;
                arpu: number | null;
                monthly_logo_churn_rate: number | null;
                ltv: number | null;
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
  "/api/reports/retention": {
    /** Cohorts by the month of their first payment: share still paying N months later */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              cohorts: ({
                cohort: string;
                currency: string;
                subscriptions: number;
                retention: ({
                  months_after: number;
                  active: number;
                  share: number | null;
                })[];
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
  "/api/reports/revenue": {
    /** Invoiced, collected and refunded by month, per currency (by plan: the subscription’s current plan) */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                invoiced: number;
                invoiced_net: number;
                invoiced_tax: number;
                collected: number;
                collected_net: number;
                collected_tax: number;
                refunded: number | null;
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
  "/api/reports/payments": {
    /** Payment health by month: failed payment rate, recovery, time to recover, involuntary churn */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                invoices_attempted: number;
                invoices_failed: number;
                failed_payment_rate: number | null;
                invoices_recovered: number;
                recovery_rate: number | null;
                average_hours_to_recover: number | null;
                involuntary_churned: number;
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
  "/api/reports/disputes": {
    /** Disputes by the month they opened, per currency: count, rate against the month’s charges (networks warn at 0.9%), won and lost */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              warning_rate: number;
              months: ({
                month: string;
                currency: string;
                charges: number;
                disputes: number;
                dispute_rate: number | null;
                over_warning_rate: boolean;
                inquiries: number;
                disputed_amount: number;
                won: number;
                won_amount: number;
                lost: number;
                lost_amount: number;
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
  "/api/reports/trials": {
    /** Trials by start month and how many converted to paying */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                trials_started: number;
                converted: number;
                not_converted: number;
                in_trial: number;
                conversion_rate: number | null;
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
}
