// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "refunds". */
export interface RefundsPaths {
  "/stripe/refunds": {
    get?: never;
    put?: never;
    /** Refund a payment or a paid invoice, in part or in full */
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
            payment_id?: string;
            invoice_id?: string;
            amount?: number;
            reason: "duplicate" | "fraudulent" | "requested_by_customer";
            note?: string;
          };
        };
      };
      responses: {
        201: responses['Refund'];
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
  "/api/refunds": {
    /** Refunds, newest first (or sorted by `sort`/`order`), by charge, payment intent and creation time */
    get: {
      parameters: {
        query?: {
          charge_id?: string;
          payment_intent_id?: string;
          invoice_id?: string;
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "amount";
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
                status: string | null;
                amount: number;
                currency: string;
                charge_id: string | null;
                payment_intent_id: string | null;
                invoice_id: string | null;
                reason: string | null;
                customer_id: string | null;
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
}
