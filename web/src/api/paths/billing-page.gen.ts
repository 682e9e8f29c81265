// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "billing page". */
export interface BillingPagePaths {
  "/api/billing/links": {
    get?: never;
    put?: never;
    /** A short-lived signed link that opens the billing page as one of the host app’s users */
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
            user_id: string;
            email?: unknown & unknown;
            name?: string;
            organization_id?: string;
            expires_in?: number;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
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
      };
    };
    delete?: never;
    patch?: never;
  };
}
