// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "settings". */
export interface SettingsPaths {
  "/api/admin/settings": {
    /** Operator settings and the Stripe connection (never a secret) */
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
              auto_sync_enabled: boolean;
              cache_enabled: boolean;
              audit_retention_days: number | null;
              tax_enabled: boolean;
              dispute_policy: "freeze" | "cancel" | "none";
              early_fraud_warning_policy: "none" | "refund_and_cancel";
              sync_interval_seconds: number;
              cache_ttl_seconds: number;
              processing_paused: boolean;
              stripe: {
                mode: "test" | "live";
                emulated: boolean;
                secret_key: string | null;
                webhook_secret_set: boolean;
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
    /** Turn auto sync, the plan cache or Stripe Tax on or off, or set the dispute and fraud warning policies; takes effect without a restart */
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
            auto_sync_enabled?: boolean;
            cache_enabled?: boolean;
            audit_retention_days?: number | null;
            tax_enabled?: boolean;
            dispute_policy?: "freeze" | "cancel" | "none";
            early_fraud_warning_policy?: "none" | "refund_and_cancel";
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              auto_sync_enabled: boolean;
              cache_enabled: boolean;
              audit_retention_days: number | null;
              tax_enabled: boolean;
              dispute_policy: "freeze" | "cancel" | "none";
              early_fraud_warning_policy: "none" | "refund_and_cancel";
              sync_interval_seconds: number;
              cache_ttl_seconds: number;
              processing_paused: boolean;
              stripe: {
                mode: "test" | "live";
                emulated: boolean;
                secret_key: string | null;
                webhook_secret_set: boolean;
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
  "/api/branding": {
    /** The deployment’s branding: product name, logo, accent colour, support contact */
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
              product_name: string | null;
              logo_url: string | null;
              accent_color: string | null;
              support_email: string | null;
              support_url: string | null;
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
  "/api/admin/settings/branding": {
    get?: never;
    /** Set the branding shown on the billing page and Stripe Checkout; fields left out stay, null clears one */
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
            product_name?: string | null;
            logo_url?: string | null;
            accent_color?: unknown & unknown | null;
            support_email?: string | null;
            support_url?: string | null;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              product_name: string | null;
              logo_url: string | null;
              accent_color: string | null;
              support_email: string | null;
              support_url: string | null;
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
