// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "alerts". */
export interface AlertsPaths {
  "/api/admin/alerts": {
    /** Open alert incidents and the latest resolved ones, with how each message went */
    get: {
      parameters: {
        query?: {
          recent?: number;
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
              open: ({
                id: string;
                rule: "dead_letters" | "signature_failures" | "processing_lag" | "sync_failed" | "payment_failure_rate" | "dispute" | "app_webhook_failing";
                title: string;
                key: string;
                status: "open" | "resolved";
                summary: string;
                details: {
                  [key: string]: unknown;
                };
                opened_at: string;
                last_seen_at: string;
                resolved_at: string | null;
                messages: ({
                  kind: "opened" | "resolved";
                  channel: "email" | "webhook";
                  status: "pending" | "sent" | "failed";
                  attempts: number;
                  last_error: string | null;
                  sent_at: string | null;
                })[];
              })[];
              recent: ({
                id: string;
                rule: "dead_letters" | "signature_failures" | "processing_lag" | "sync_failed" | "payment_failure_rate" | "dispute" | "app_webhook_failing";
                title: string;
                key: string;
                status: "open" | "resolved";
                summary: string;
                details: {
                  [key: string]: unknown;
                };
                opened_at: string;
                last_seen_at: string;
                resolved_at: string | null;
                messages: ({
                  kind: "opened" | "resolved";
                  channel: "email" | "webhook";
                  status: "pending" | "sent" | "failed";
                  attempts: number;
                  last_error: string | null;
                  sent_at: string | null;
                })[];
              })[];
              channels: ("email" | "webhook")[];
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
  "/api/admin/alerts/rules": {
    /** The alert rules' thresholds (defaults from the configuration, changed by admins) */
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
              dead_letters: {
                enabled: boolean;
                min_count: number;
              };
              signature_failures: {
                enabled: boolean;
                count: number;
                window_seconds: number;
              };
              processing_lag: {
                enabled: boolean;
                seconds: number;
              };
              sync_failed: {
                enabled: boolean;
              };
              payment_failure_rate: {
                enabled: boolean;
                window_hours: number;
                baseline_days: number;
                min_attempts: number;
                factor: number;
                min_rate: number;
              };
              dispute: {
                enabled: boolean;
                lookback_days: number;
              };
              app_webhook_failing: {
                enabled: boolean;
                minutes: number;
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
    /** Change rules’ thresholds or turn rules off; the next evaluation uses them */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            dead_letters?: {
              enabled?: boolean;
              min_count?: number;
            };
            signature_failures?: {
              enabled?: boolean;
              count?: number;
              window_seconds?: number;
            };
            processing_lag?: {
              enabled?: boolean;
              seconds?: number;
            };
            sync_failed?: {
              enabled?: boolean;
            };
            payment_failure_rate?: {
              enabled?: boolean;
              window_hours?: number;
              baseline_days?: number;
              min_attempts?: number;
              factor?: number;
              min_rate?: number;
            };
            dispute?: {
              enabled?: boolean;
              lookback_days?: number;
            };
            app_webhook_failing?: {
              enabled?: boolean;
              minutes?: number;
            };
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              dead_letters: {
                enabled: boolean;
                min_count: number;
              };
              signature_failures: {
                enabled: boolean;
                count: number;
                window_seconds: number;
              };
              processing_lag: {
                enabled: boolean;
                seconds: number;
              };
              sync_failed: {
                enabled: boolean;
              };
              payment_failure_rate: {
                enabled: boolean;
                window_hours: number;
                baseline_days: number;
                min_attempts: number;
                factor: number;
                min_rate: number;
              };
              dispute: {
                enabled: boolean;
                lookback_days: number;
              };
              app_webhook_failing: {
                enabled: boolean;
                minutes: number;
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
    post?: never;
    delete?: never;
    patch?: never;
  };
}
