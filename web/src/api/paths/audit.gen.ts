// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "audit". */
export interface AuditPaths {
  "/api/admin/audit": {
    /** The audit trail: every write, who made it and what changed, newest first */
    get: {
      parameters: {
        query?: {
          actor_id?: string;
          actor_type?: "api_key" | "user" | "system";
          action?: string;
          object_type?: string;
          object_id?: string;
          from?: string;
          to?: string;
          limit?: number;
          cursor?: string;
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
              data: ({
                id: string;
                at: string;
                actor: {
                  type: "api_key" | "user" | "system";
                  id: string | null;
                  role: string | null;
                  cause: string | null;
                };
                action: string;
                object_type: string;
                object_id: string | null;
                before: {
                  [key: string]: unknown;
                } | null;
                after: {
                  [key: string]: unknown;
                } | null;
                outcome: "succeeded" | "failed";
                error: string | null;
                request_id: string | null;
                client_address: string | null;
                hash: string;
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
  "/api/admin/audit/export": {
    /** The audit trail as CSV (RFC 4180), oldest first, streamed; the same filters as the list */
    get: {
      parameters: {
        query?: {
          actor_id?: string;
          actor_type?: "api_key" | "user" | "system";
          action?: string;
          object_type?: string;
          object_id?: string;
          from?: string;
          to?: string;
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
            "text/csv": string;
          };
        };
        400: responses['Error3'];
        401: responses['Error3'];
        403: responses['Error3'];
        404: responses['Error3'];
        409: responses['Error3'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
}
