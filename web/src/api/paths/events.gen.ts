// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "events". */
export interface EventsPaths {
  "/api/admin/events": {
    /** The webhook log: events with their processing status, newest received first (or sorted by `sort`/`order`) */
    get: {
      parameters: {
        query?: {
          type?: string;
          status?: "received" | "processing" | "processed" | "failed" | "dead" | "ignored" | "discarded";
          object_id?: string;
          source?: "stripe" | "payment_provider" | "recur";
          from?: string;
          to?: string;
          limit?: number;
          cursor?: string;
          sort?: "received" | "occurred";
          order?: "asc" | "desc";
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
                source: string;
                external_id: string;
                type: string;
                object_id: string | null;
                object_type: string | null;
                occurred_at: string;
                received_at: string;
                status: "received" | "processing" | "processed" | "failed" | "dead" | "ignored" | "discarded";
                attempts: number;
                next_attempt_at: string;
                processed_at: string | null;
                last_error: string | null;
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
  "/api/admin/events/stats": {
    /** Counts by status (dead letters included) and the queue lag */
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
              by_status: {
                [key: string]: number;
              };
              dead: number;
              lag_seconds: number;
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
  "/api/admin/events/{id}": {
    /** One event with its payload and every processing attempt */
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
              source: string;
              external_id: string;
              type: string;
              object_id: string | null;
              object_type: string | null;
              occurred_at: string;
              received_at: string;
              status: "received" | "processing" | "processed" | "failed" | "dead" | "ignored" | "discarded";
              attempts: number;
              next_attempt_at: string;
              processed_at: string | null;
              last_error: string | null;
              payload: unknown;
              attempts_log: ({
                attempt: number;
                started_at: string;
                finished_at: string;
                outcome: string;
                error: string | null;
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
  "/api/admin/events/{id}/replay": {
    get?: never;
    put?: never;
    /** Process one event again (a dead letter, or any other) */
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
              replayed: number;
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
  "/api/admin/events/{id}/discard": {
    get?: never;
    put?: never;
    /** Set a dead letter aside without applying it (it stays in the log, and can be replayed) */
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
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              discarded: true;
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
  "/api/admin/events/replay": {
    get?: never;
    put?: never;
    /** Process again every event matching a filter (at least one criterion required) */
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
            type?: string;
            status?: "received" | "processing" | "processed" | "failed" | "dead" | "ignored" | "discarded";
            object_id?: string;
            source?: "stripe" | "payment_provider" | "recur";
            from?: string;
            to?: string;
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              replayed: number;
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
