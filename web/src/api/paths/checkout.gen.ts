// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "checkout". */
export interface CheckoutPaths {
  "/api/checkout/sessions": {
    get?: never;
    put?: never;
    /** Start a Stripe Checkout for a plan, for the user or (organization_id) an organisation; the payer’s Stripe customer is made on first need */
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
            plan_id: string;
            price_id?: string;
            interval?: "day" | "week" | "month" | "year";
            interval_count?: number;
            currency?: string;
            quantity?: number;
            trial_days?: number;
            coupon?: string;
            promotion_code?: string;
            organization_id?: string;
            success_url?: string;
            cancel_url?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              url: string;
              expires_at: string;
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
  "/api/portal/sessions": {
    get?: never;
    put?: never;
    /** Open the Stripe Customer Portal for the user or (organization_id) an organisation (404 customer_not_found before a first Checkout) */
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
            return_url?: string;
            organization_id?: string;
          } | null;
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              url: string;
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
}
