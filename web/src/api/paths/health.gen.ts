// Generated from openapi.json by `npm run openapi`; do not edit by hand.

/** Routes tagged "health". */
export interface HealthPaths {
  "/health": {
    /** Service summary: version and Stripe mode */
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
              status: "ok";
              version: string;
              stripe: {
                mode: "test" | "live";
                emulated: boolean;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/health/live": {
    /** Liveness: the process answers */
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
              status: "ok";
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/health/ready": {
    /** Readiness: database, queue, cache and Stripe answer */
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
              status: "ready";
              checks: ({
                name: string;
                ok: boolean;
                latency_ms: number;
                error?: string;
              })[];
            };
          };
        };
        503: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              status: "unavailable";
              checks: ({
                name: string;
                ok: boolean;
                latency_ms: number;
                error?: string;
              })[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/metrics": {
    /** Prometheus metrics */
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
          content: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
}
