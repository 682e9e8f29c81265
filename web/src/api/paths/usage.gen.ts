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
}
