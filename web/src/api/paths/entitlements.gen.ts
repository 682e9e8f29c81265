// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "entitlements". */
export interface EntitlementsPaths {
  "/api/me/entitlements": {
    /** What the calling user may do */
    get: {
      parameters: {
        query?: {
          org?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Entitlements'];
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
  "/api/users/{externalId}/entitlements": {
    /** What a user of the host app may do, by its user id */
    get: {
      parameters: {
        query?: {
          org?: string;
        };
        header?: never;
        path: {
          externalId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Entitlements'];
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
