// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "credits". */
export interface CreditsPaths {
  "/api/admin/credits": {
    /** A payer’s credit balances per feature and its ledger, newest first */
    get: {
      parameters: {
        query?: {
          user_id?: string;
          organization_id?: string;
          feature?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Credits'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    /** Grant credits by hand to a user or an organisation, with a reason (audited) */
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
            amount: number;
            reason: string;
            expires_at?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              lot_id: string;
              feature: string;
              amount: number;
              expires_at: string | null;
              balance: number;
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
  "/api/admin/account-credit": {
    get?: never;
    put?: never;
    /** Credit money to a user’s or an organisation’s Stripe customer, with a reason (audited): Stripe takes it off the next invoices */
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
            amount: number;
            currency: string;
            reason: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              transaction_id: string;
              customer_id: string;
              amount: number;
              currency: string;
              account_credit: {
                amount: number;
                currency: string;
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
    delete?: never;
    patch?: never;
  };
  "/api/me/credits": {
    /** The calling user’s credit balances per feature and ledger, or (org) an organisation’s they are a member of */
    get: {
      parameters: {
        query?: {
          org?: string;
          feature?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Credits'];
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
