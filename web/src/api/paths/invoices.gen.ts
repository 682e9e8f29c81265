// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "invoices". */
export interface InvoicesPaths {
  "/api/me/invoices": {
    /** The signed-in user’s invoices, or with ?org= an organisation’s, newest first (kept after their customer is deleted) */
    get: {
      parameters: {
        query?: {
          status?: "draft" | "open" | "paid" | "uncollectible" | "void";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "total";
          order?: "asc" | "desc";
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
  "/api/invoices": {
    /** All invoices, newest first (or sorted by `sort`/`order`), by status, customer, subscription and creation time */
    get: {
      parameters: {
        query?: {
          status?: "draft" | "open" | "paid" | "uncollectible" | "void";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "total";
          order?: "asc" | "desc";
          customer_id?: string;
          subscription_id?: string;
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
  "/api/invoices/{id}": {
    /** One invoice (a user sees their own, and an organisation’s as its owner or billing admin) */
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
        200: responses['Invoice'];
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
  "/api/invoices/{id}/pdf": {
    /** Download the invoice PDF (409 pdf_not_available for a draft) */
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
            "application/pdf": string;
          };
        };
        400: responses['Error2'];
        401: responses['Error2'];
        403: responses['Error2'];
        404: responses['Error2'];
        409: responses['Error2'];
        502: responses['Error2'];
        503: responses['Error2'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
}
