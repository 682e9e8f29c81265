// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "sync". */
export interface SyncPaths {
  "/api/admin/sync": {
    /** Recent sync runs (newest first) and when the next scheduled one is due */
    get: {
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
              data: ({
                id: string;
                mode: "full" | "incremental";
                trigger: "schedule" | "manual" | "cli";
                objects: (string)[];
                status: "running" | "succeeded" | "failed" | "interrupted";
                counts: {
                  [key: string]: {
                    seen: number;
                    created: number;
                    updated: number;
                    skipped: number;
                  };
                };
                since: string | null;
                error: string | null;
                started_at: string;
                heartbeat_at: string;
                finished_at: string | null;
                duration_seconds: number;
              })[];
              schedule: {
                auto_sync_enabled: boolean;
                interval_seconds: number;
                next_run_at: string | null;
              };
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
    /** Start a backfill from Stripe; it runs in the background (poll GET /api/admin/sync/:id). 409 sync_running while one runs */
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
            mode?: "full" | "incremental";
            objects?: ("products" | "prices" | "customers" | "payment_methods" | "subscriptions" | "invoices" | "payment_intents" | "charges" | "refunds")[];
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              mode: "full" | "incremental";
              trigger: "schedule" | "manual" | "cli";
              objects: (string)[];
              status: "running" | "succeeded" | "failed" | "interrupted";
              counts: {
                [key: string]: {
                  seen: number;
                  created: number;
                  updated: number;
                  skipped: number;
                };
              };
              since: string | null;
              error: string | null;
              started_at: string;
              heartbeat_at: string;
              finished_at: string | null;
              duration_seconds: number;
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
  "/api/admin/sync/check": {
    /** Compare the mirror with Stripe and list every difference (changes nothing; emails and names are never shown) */
    get: {
      parameters: {
        query?: {
          objects?: string;
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
              objects: {
                [key: string]: {
                  stripe: number;
                  mirror: number;
                  missing: number;
                  extra: number;
                  different: number;
                };
              };
              differences: ({
                object: string;
                id: string;
                kind: "missing" | "extra" | "different";
                field?: string;
                stripe?: unknown;
                mirror?: unknown;
                note?: string;
              })[];
              truncated: boolean;
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
  "/api/admin/sync/{id}": {
    /** One sync run: status, counts per object type, error */
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
              mode: "full" | "incremental";
              trigger: "schedule" | "manual" | "cli";
              objects: (string)[];
              status: "running" | "succeeded" | "failed" | "interrupted";
              counts: {
                [key: string]: {
                  seen: number;
                  created: number;
                  updated: number;
                  skipped: number;
                };
              };
              since: string | null;
              error: string | null;
              started_at: string;
              heartbeat_at: string;
              finished_at: string | null;
              duration_seconds: number;
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
