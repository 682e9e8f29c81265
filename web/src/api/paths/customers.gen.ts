// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "customers". */
export interface CustomersPaths {
  "/api/me/customer": {
    /** The calling user’s Stripe customer, or with ?org= an organisation’s (404 until a first billing need made one) */
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
        200: responses['Customer'];
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
  "/api/customers": {
    /** Customers, newest first (oldest first with order=asc), searched by id, email or name, filtered by email, user id, deletion and creation date */
    get: {
      parameters: {
        query?: {
          q?: string;
          email?: string;
          external_id?: string;
          deleted?: "true" | "false";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created";
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
                external_id: string | null;
                organization_id: string | null;
                email: string | null;
                name: string | null;
                currency: string | null;
                default_payment_method_id: string | null;
                deleted: boolean;
                erased_at: string | null;
                created_at: string;
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
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/api/customers/{id}": {
    /** One customer by its Stripe id */
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
        200: responses['Customer'];
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
  "/api/customers/{id}/erase": {
    get?: never;
    put?: never;
    /** Erase the customer’s personal data on request: deleted in Stripe (invoices keep their legal fields), name, email and user link cleared in Recur, stored events scrubbed */
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
              events_scrubbed: number;
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
  "/api/admin/customers/{id}/overview": {
    /** One customer whole: contact, subscriptions and their history, invoices, payments, refunds, disputes, entitlements, usage, credits and events (50 newest of each) */
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
        200: responses['CustomerOverview'];
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
  "/api/admin/search": {
    /** The console’s search: a Stripe id, an exact email, a user or organisation id, or the start of a name (at most 20 hits) */
    get: {
      parameters: {
        query: {
          q: string;
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
                kind: string;
                id: string;
                matched: "stripe_id" | "email" | "external_id" | "organization_id" | "name_prefix";
                customer_id: string | null;
                customer_name: string | null;
                customer_email: string | null;
                external_id: string | null;
                organization_id: string | null;
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
