// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "usage". */
export interface UsagePaths {
  "/api/usage": {
    get?: never;
    put?: never;
    /** Count usage of a metered feature (one event or a batch of up to 1,000) */
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
            user_id?: string;
            organization_id?: string;
            feature?: string;
            value?: number;
            idempotency_key?: string;
            timestamp?: string;
            events?: ({
              user_id?: string;
              organization_id?: string;
              feature: string;
              value: number;
              idempotency_key: string;
              timestamp?: string;
            })[];
          };
        };
      };
      responses: {
        200: responses['UsageTracked'];
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
  "/api/check": {
    get?: never;
    put?: never;
    /** May the payer use a feature now? Optionally hold the units (reserve) */
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
            user_id?: string;
            organization_id?: string;
            feature: string;
            required?: number;
            reserve?: boolean;
          };
        };
      };
      responses: {
        200: responses['UsageCheck'];
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
  "/api/check/reservations/{id}/confirm": {
    get?: never;
    put?: never;
    /** Count a reservation’s units (or fewer) as used */
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
            value?: number;
          };
        };
      };
      responses: {
        200: responses['UsageReservation'];
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
  "/api/check/reservations/{id}/release": {
    get?: never;
    put?: never;
    /** Give a reservation’s units back (the work did not happen) */
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
        200: responses['UsageReservation'];
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
  "/api/admin/usage/report": {
    get?: never;
    put?: never;
    /** Report overage to Stripe now: record what counters owe the meters and send what is pending (the scheduled reporter does the same) */
    post: {
      parameters: {
        query?: never;
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
              collected: number | "busy";
              sent: number;
              failed: number;
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
  "/api/admin/usage/reconcile": {
    /** Compare what Recur reported per payer, meter and period with Stripe's meter event summaries, and list the differences */
    get: {
      parameters: {
        query?: {
          user_id?: string;
          organization_id?: string;
          feature?: string;
          since?: string;
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
              checked_at: string;
              equal: boolean;
              data: ({
                payer_kind: "user" | "organization";
                payer_id: string;
                feature: string;
                stripe_customer_id: string;
                stripe_meter_id: string | null;
                period_start: string;
                period_end: string | null;
                reported: number;
                pending: number;
                stripe: number | null;
                difference: number | null;
              })[];
              differences: ({
                payer_kind: "user" | "organization";
                payer_id: string;
                feature: string;
                stripe_customer_id: string;
                stripe_meter_id: string | null;
                period_start: string;
                period_end: string | null;
                reported: number;
                pending: number;
                stripe: number | null;
                difference: number | null;
              })[];
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
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
}
