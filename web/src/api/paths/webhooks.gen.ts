// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "webhooks". */
export interface WebhooksPaths {
  "/stripe/webhook": {
    get?: never;
    put?: never;
    /** Stripe webhook endpoint (Stripe-Signature verified; duplicates stored once) */
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
              received: true;
              duplicate: boolean;
            };
          };
        };
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/payments/webhook": {
    get?: never;
    put?: never;
    /** Stripe webhook endpoint (Stripe-Signature verified; duplicates stored once) */
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
              received: true;
              duplicate: boolean;
            };
          };
        };
      };
    };
    delete?: never;
    patch?: never;
  };
  "/api/webhooks/payment": {
    get?: never;
    put?: never;
    /** Payment webhook of external payment providers (X-Recur-Signature verified) */
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
              received: true;
              duplicate: boolean;
            };
          };
        };
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              received: true;
              duplicate: boolean;
            };
          };
        };
        400: responses['Error'];
        401: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        429: responses['Error'];
        503: responses['Error'];
      };
    };
    delete?: never;
    patch?: never;
  };
}
