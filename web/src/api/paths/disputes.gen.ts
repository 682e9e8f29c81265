// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "disputes". */
export interface DisputesPaths {
  "/api/admin/disputes": {
    /** Disputes, newest first, by status, reason, subscription, customer and creation time */
    get: {
      parameters: {
        query?: {
          status?: "warning_needs_response" | "warning_under_review" | "warning_closed" | "needs_response" | "under_review" | "won" | "lost" | "prevented";
          reason?: string;
          subscription_id?: string;
          customer_id?: string;
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
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
  "/api/admin/disputes/{id}": {
    /** One dispute, with what the dispute policy did about it */
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
        200: responses['DisputeDetail'];
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
  "/api/admin/early-fraud-warnings": {
    /** Early fraud warnings, newest first, by subscription, customer and creation time */
    get: {
      parameters: {
        query?: {
          subscription_id?: string;
          customer_id?: string;
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
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
                charge_id: string;
                payment_intent_id: string | null;
                invoice_id: string | null;
                subscription_id: string | null;
                customer_id: string | null;
                user_id: string | null;
                fraud_type: string;
                actionable: boolean;
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
