// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "price migrations". */
export interface PriceMigrationsPaths {
  "/api/admin/price-migrations/dry-run": {
    get?: never;
    put?: never;
    /** What a migration would do: its subscriptions, their MRR before and after, each next invoice */
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
            from_price_ids: (string)[];
            to_price_id: string;
            timing: "renewal" | "now_prorated" | "now_unprorated";
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              from: ({
                id: string;
                plan_id: string;
                plan_name: string;
                unit_amount: number;
                currency: string;
                interval: string;
                interval_count: number;
              })[];
              to: {
                id: string;
                plan_id: string;
                plan_name: string;
                unit_amount: number;
                currency: string;
                interval: string;
                interval_count: number;
              };
              timing: "renewal" | "now_prorated" | "now_unprorated";
              currency: string;
              subscriptions: number;
              mrr_before: number;
              mrr_after: number;
              held_elsewhere: number;
              lines: ({
                subscription_id: string;
                customer_id: string;
                customer_name: string | null;
                customer_email: string | null;
                from_price_id: string;
                quantity: number;
                amount_before: number;
                amount_after: number;
                next_invoice_amount: number;
                next_invoice_at: string | null;
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
    delete?: never;
    patch?: never;
  };
  "/api/admin/price-migrations": {
    /** Migrations, newest first, with their progress */
    get: {
      parameters: {
        query?: {
          limit?: number;
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
                status: "running" | "completed" | "undone";
                from_price_ids: (string)[];
                to_price_id: string;
                currency: string;
                timing: "renewal" | "now_prorated" | "now_unprorated";
                notify_customers: boolean;
                mrr_before: number;
                mrr_after: number;
                subscriptions: number;
                done: number;
                counts: {
                  pending: number;
                  processing: number;
                  scheduled: number;
                  moved: number;
                  skipped: number;
                  failed: number;
                  undone: number;
                  renewed: number;
                };
                created_at: string;
                finished_at: string | null;
                undone_at: string | null;
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
    /** Start a migration of the dry run’s subscriptions; it runs in the background */
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
            from_price_ids: (string)[];
            to_price_id: string;
            timing: "renewal" | "now_prorated" | "now_unprorated";
            notify_customers?: boolean;
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              status: "running" | "completed" | "undone";
              from_price_ids: (string)[];
              to_price_id: string;
              currency: string;
              timing: "renewal" | "now_prorated" | "now_unprorated";
              notify_customers: boolean;
              mrr_before: number;
              mrr_after: number;
              subscriptions: number;
              done: number;
              counts: {
                pending: number;
                processing: number;
                scheduled: number;
                moved: number;
                skipped: number;
                failed: number;
                undone: number;
                renewed: number;
              };
              created_at: string;
              finished_at: string | null;
              undone_at: string | null;
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
    delete?: never;
    patch?: never;
  };
  "/api/admin/price-migrations/{id}": {
    /** One migration with its progress and each subscription’s state */
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
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              status: "running" | "completed" | "undone";
              from_price_ids: (string)[];
              to_price_id: string;
              currency: string;
              timing: "renewal" | "now_prorated" | "now_unprorated";
              notify_customers: boolean;
              mrr_before: number;
              mrr_after: number;
              subscriptions: number;
              done: number;
              counts: {
                pending: number;
                processing: number;
                scheduled: number;
                moved: number;
                skipped: number;
                failed: number;
                undone: number;
                renewed: number;
              };
              created_at: string;
              finished_at: string | null;
              undone_at: string | null;
              items: ({
                subscription_id: string;
                customer_id: string;
                customer_name: string | null;
                customer_email: string | null;
                from_price_id: string;
                quantity: number;
                amount_before: number;
                amount_after: number;
                status: "pending" | "processing" | "scheduled" | "moved" | "skipped" | "failed" | "undone" | "renewed";
                reason: string | null;
                schedule_id: string | null;
                effective_at: string | null;
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
  "/api/admin/price-migrations/{id}/undo": {
    get?: never;
    put?: never;
    /** Release the scheduled moves that have not renewed yet; renewed ones stay on the new price */
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
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              status: "running" | "completed" | "undone";
              from_price_ids: (string)[];
              to_price_id: string;
              currency: string;
              timing: "renewal" | "now_prorated" | "now_unprorated";
              notify_customers: boolean;
              mrr_before: number;
              mrr_after: number;
              subscriptions: number;
              done: number;
              counts: {
                pending: number;
                processing: number;
                scheduled: number;
                moved: number;
                skipped: number;
                failed: number;
                undone: number;
                renewed: number;
              };
              created_at: string;
              finished_at: string | null;
              undone_at: string | null;
            };
          };
        };
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
}
