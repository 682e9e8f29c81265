// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

/** Routes tagged "plans". */
export interface PlansPaths {
  "/api/plans": {
    /** List plans with their prices and benefits (active ones are public and cached) */
    get: {
      parameters: {
        query?: {
          status?: "active" | "archived" | "all";
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
                key: string;
                name: string;
                description: string | null;
                status: "active" | "archived";
                trial_days: number;
                per_seat: boolean;
                kind: "base" | "add_on" | "one_time";
                requires_plans: (string)[];
                benefits: ({
                  key: string;
                  value: boolean | number | string;
                  limit?: number;
                  reset?: "day" | "week" | "month" | "year" | "billing_period" | "never";
                  overage?: "block" | "bill" | "credits";
                  overage_prices?: ({
                    currency: string;
                    unit_amount?: number;
                    tiers_mode?: "graduated" | "volume";
                    tiers?: ({
                      up_to: number | null;
                      unit_amount?: number;
                      flat_amount?: number;
                    })[];
                  })[];
                  credits?: number;
                  rollover?: boolean;
                  expires_after_days?: number | null;
                })[];
                stripe_product_id: string;
                prices: ({
                  id: string;
                  stripe_price_id: string;
                  currency: string;
                  unit_amount: number | null;
                  billing_scheme: "per_unit" | "tiered";
                  tiers_mode: "graduated" | "volume" | null;
                  tiers: ({
                    up_to: number | null;
                    unit_amount: number | null;
                    flat_amount: number | null;
                  })[] | null;
                  interval: "day" | "week" | "month" | "year" | null;
                  interval_count: number;
                  lookup_key: string | null;
                  active: boolean;
                  replaces_price_id: string | null;
                  created_at: string;
                  archived_at: string | null;
                })[];
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
    /** Create a plan: a Stripe product with its prices, then the catalog entry */
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
            key: string;
            name: string;
            description?: string;
            benefits?: ({
              key: string;
              value?: boolean | number | string;
              limit?: number;
              reset?: "day" | "week" | "month" | "year" | "billing_period" | "never";
              overage?: "block" | "bill" | "credits";
              overage_prices?: ({
                currency: string;
                unit_amount?: number;
                tiers?: ({
                  up_to: number | null;
                  unit_amount?: number;
                  flat_amount?: number;
                })[];
                tiers_mode?: "graduated" | "volume";
              })[];
              credits?: number;
              rollover?: boolean;
              expires_after_days?: number | null;
            })[];
            trial_days?: number;
            kind?: "base" | "add_on" | "one_time";
            requires_plans?: (string)[];
            prices: ({
              currency: string;
              unit_amount?: number;
              tiers?: ({
                up_to: number | null;
                unit_amount?: number;
                flat_amount?: number;
              })[];
              tiers_mode?: "graduated" | "volume";
              interval?: "day" | "week" | "month" | "year";
              interval_count?: number;
              lookup_key?: string;
            })[];
            per_seat?: boolean;
            force?: boolean;
          };
        };
      };
      responses: {
        201: responses['Plan'];
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
  "/api/plans/{id}": {
    /** Get a plan by id or key (archived plans are visible to admins only) */
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
        200: responses['Plan'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    post?: never;
    /** Delete a plan that never had subscribers, or archive one that had */
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
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              result: "deleted" | "archived";
              plan: {
                id: string;
                key: string;
                name: string;
                description: string | null;
                status: "active" | "archived";
                trial_days: number;
                per_seat: boolean;
                kind: "base" | "add_on" | "one_time";
                requires_plans: (string)[];
                benefits: ({
                  key: string;
                  value: boolean | number | string;
                  limit?: number;
                  reset?: "day" | "week" | "month" | "year" | "billing_period" | "never";
                  overage?: "block" | "bill" | "credits";
                  overage_prices?: ({
                    currency: string;
                    unit_amount?: number;
                    tiers_mode?: "graduated" | "volume";
                    tiers?: ({
                      up_to: number | null;
                      unit_amount?: number;
                      flat_amount?: number;
                    })[];
                  })[];
                  credits?: number;
                  rollover?: boolean;
                  expires_after_days?: number | null;
                })[];
                stripe_product_id: string;
                prices: ({
                  id: string;
                  stripe_price_id: string;
                  currency: string;
                  unit_amount: number | null;
                  billing_scheme: "per_unit" | "tiered";
                  tiers_mode: "graduated" | "volume" | null;
                  tiers: ({
                    up_to: number | null;
                    unit_amount: number | null;
                    flat_amount: number | null;
                  })[] | null;
                  interval: "day" | "week" | "month" | "year" | null;
                  interval_count: number;
                  lookup_key: string | null;
                  active: boolean;
                  replaces_price_id: string | null;
                  created_at: string;
                  archived_at: string | null;
                })[];
                created_at: string;
                updated_at: string;
              } | null;
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
    /** Change a plan’s key, name, description, benefits or trial */
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
            key?: string;
            name?: string;
            description?: string | null;
            benefits?: ({
              key: string;
              value?: boolean | number | string;
              limit?: number;
              reset?: "day" | "week" | "month" | "year" | "billing_period" | "never";
              overage?: "block" | "bill" | "credits";
              overage_prices?: ({
                currency: string;
                unit_amount?: number;
                tiers?: ({
                  up_to: number | null;
                  unit_amount?: number;
                  flat_amount?: number;
                })[];
                tiers_mode?: "graduated" | "volume";
              })[];
              credits?: number;
              rollover?: boolean;
              expires_after_days?: number | null;
            })[];
            trial_days?: number;
            per_seat?: boolean;
            kind?: "base" | "add_on" | "one_time";
            requires_plans?: (string)[];
          };
        };
      };
      responses: {
        200: responses['Plan'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
  };
  "/api/plans/{id}/prices": {
    get?: never;
    put?: never;
    /** Add a recurring price to a plan */
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
            currency: string;
            unit_amount?: number;
            tiers?: ({
              up_to: number | null;
              unit_amount?: number;
              flat_amount?: number;
            })[];
            tiers_mode?: "graduated" | "volume";
            interval?: "day" | "week" | "month" | "year";
            interval_count?: number;
            lookup_key?: string;
            force?: boolean;
          };
        };
      };
      responses: {
        201: responses['Plan'];
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
  "/api/plans/{id}/prices/{priceId}": {
    get?: never;
    put?: never;
    post?: never;
    /** Archive a price (existing subscribers keep it) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          priceId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: responses['Plan'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    /** Change a price’s amount: a new price replaces it, the old one is archived */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          priceId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            unit_amount?: number;
            tiers?: ({
              up_to: number | null;
              unit_amount?: number;
              flat_amount?: number;
            })[];
            tiers_mode?: "graduated" | "volume";
            force?: boolean;
          };
        };
      };
      responses: {
        200: responses['Plan'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
  };
}
