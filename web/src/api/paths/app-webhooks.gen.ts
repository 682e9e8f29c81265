// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "app webhooks". */
export interface AppWebhooksPaths {
  "/api/admin/webhook-endpoints": {
    /** List the host app’s webhook endpoints (never their secrets) */
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
                url: string;
                description: string;
                event_types: (string)[] | null;
                enabled: boolean;
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
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
    /** Add a webhook endpoint; its signing secret is shown in this answer only */
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
            url: string;
            description?: string;
            event_types?: ("subscription.created" | "subscription.updated" | "subscription.canceled" | "subscription.renewed" | "entitlements.updated" | "usage.threshold_reached" | "invoice.paid" | "invoice.payment_failed" | "invoice.payment_action_required" | "customer.updated" | "refund.created" | "checkout.completed" | "purchase.completed" | "purchase.refunded" | "trial.will_end" | "dispute.access_suspended" | "dispute.access_restored" | "dispute.subscription_canceled" | "early_fraud_warning.refunded_and_canceled" | "ping")[] | null;
            enabled?: boolean;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              endpoint: {
                id: string;
                url: string;
                description: string;
                event_types: (string)[] | null;
                enabled: boolean;
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              secret: string;
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
  "/api/admin/webhook-endpoints/{id}": {
    /** One webhook endpoint */
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
        200: responses['WebhookEndpoint'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    post?: never;
    /** Delete an endpoint with its deliveries and their attempts */
    delete: {
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
        200: responses['WebhookEndpoint'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    /** Change an endpoint’s URL, description, event types, or enable or disable it */
    patch: {
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
            url?: string;
            description?: string;
            event_types?: ("subscription.created" | "subscription.updated" | "subscription.canceled" | "subscription.renewed" | "entitlements.updated" | "usage.threshold_reached" | "invoice.paid" | "invoice.payment_failed" | "invoice.payment_action_required" | "customer.updated" | "refund.created" | "checkout.completed" | "purchase.completed" | "purchase.refunded" | "trial.will_end" | "dispute.access_suspended" | "dispute.access_restored" | "dispute.subscription_canceled" | "early_fraud_warning.refunded_and_canceled" | "ping")[] | null;
            enabled?: boolean;
          };
        };
      };
      responses: {
        200: responses['WebhookEndpoint'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
  };
  "/api/admin/webhook-endpoints/{id}/rotate-secret": {
    get?: never;
    put?: never;
    /** Replace the signing secret; the old one keeps signing during the overlap */
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
            overlap_hours?: number;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              endpoint: {
                id: string;
                url: string;
                description: string;
                event_types: (string)[] | null;
                enabled: boolean;
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              secret: string;
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
  "/api/admin/webhook-endpoints/{id}/test": {
    get?: never;
    put?: never;
    /** Send a `ping` to this endpoint only (enabled or not) */
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
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              message_id: string;
              delivery_id: string;
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
  "/api/admin/webhook-endpoints/{id}/deliveries": {
    /** An endpoint’s deliveries, newest first */
    get: {
      parameters: {
        query?: {
          status?: "pending" | "succeeded" | "failed";
          limit?: number;
          cursor?: string;
        };
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
              data: ({
                id: string;
                endpoint_id: string;
                message_id: string;
                type: string;
                subject: string;
                sequence: number;
                status: "pending" | "succeeded" | "failed";
                attempts: number;
                next_attempt_at: string;
                last_attempt_at: string | null;
                last_status_code: number | null;
                delivered_at: string | null;
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
  "/api/admin/webhook-endpoints/{id}/resend-failed": {
    get?: never;
    put?: never;
    /** Send again every failed delivery to this endpoint created since a time */
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
            since: string;
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              resent: number;
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
  "/api/admin/webhook-deliveries/{id}": {
    /** One delivery with every attempt and the body as signed and sent */
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
              endpoint_id: string;
              message_id: string;
              type: string;
              subject: string;
              sequence: number;
              status: "pending" | "succeeded" | "failed";
              attempts: number;
              next_attempt_at: string;
              last_attempt_at: string | null;
              last_status_code: number | null;
              delivered_at: string | null;
              created_at: string;
              body: string;
              attempts_log: ({
                attempted_at: string;
                duration_ms: number;
                status_code: number | null;
                response_body: string | null;
                error: string | null;
                succeeded: boolean;
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
  "/api/admin/webhook-deliveries/{id}/resend": {
    get?: never;
    put?: never;
    /** Send a delivery again now, whatever its status (a succeeded one too) */
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
        202: responses['WebhookDelivery'];
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
