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

/** Routes tagged "api keys". */
export interface ApiKeysPaths {
  "/api/admin/api-keys": {
    /** List API keys (never their secrets) */
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
              data: ({
                id: string;
                name: string;
                role: "admin" | "service";
                prefix: string;
                created_at: string;
                last_used_at: string | null;
                revoked_at: string | null;
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
    /** Create an API key; its secret is shown in this response only */
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
            name: string;
            role: "admin" | "service";
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              key: string;
              api_key: {
                id: string;
                name: string;
                role: "admin" | "service";
                prefix: string;
                created_at: string;
                last_used_at: string | null;
                revoked_at: string | null;
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
  "/api/admin/api-keys/{id}": {
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
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
              name: string;
              role: "admin" | "service";
              prefix: string;
              created_at: string;
              last_used_at: string | null;
              revoked_at: string | null;
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
    patch?: never;
  };
}

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

/** Routes tagged "customers". */
export interface CustomersPaths {
  "/api/me/customer": {
    /** The calling user’s Stripe customer, or with ?org= an organisation’s (404 until a first billing need made one) */
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
        200: responses['Customer'];
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
  "/api/customers": {
    /** Customers, newest first (oldest first with order=asc), searched by id, email or name, filtered by email, user id, deletion and creation date */
    get: {
      parameters: {
        query?: {
          q?: string;
          email?: string;
          external_id?: string;
          deleted?: "true" | "false";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created";
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
                external_id: string | null;
                organization_id: string | null;
                email: string | null;
                name: string | null;
                currency: string | null;
                default_payment_method_id: string | null;
                deleted: boolean;
                erased_at: string | null;
                created_at: string;
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
  "/api/customers/{id}": {
    /** One customer by its Stripe id */
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
        200: responses['Customer'];
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
  "/api/customers/{id}/erase": {
    get?: never;
    put?: never;
    /** Erase the customer’s personal data on request: deleted in Stripe (invoices keep their legal fields), name, email and user link cleared in Recur, stored events scrubbed */
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
              customer: {
                id: string;
                external_id: string | null;
                organization_id: string | null;
                email: string | null;
                name: string | null;
                currency: string | null;
                default_payment_method_id: string | null;
                deleted: boolean;
                erased_at: string | null;
                created_at: string;
              };
              events_scrubbed: number;
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
  "/api/admin/customers/{id}/overview": {
    /** One customer whole: contact, subscriptions and their history, invoices, payments, refunds, disputes, entitlements, usage, credits and events (50 newest of each) */
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
        200: responses['CustomerOverview'];
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
  "/api/admin/search": {
    /** The console’s search: a Stripe id, an exact email, a user or organisation id, or the start of a name (at most 20 hits) */
    get: {
      parameters: {
        query: {
          q: string;
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
                kind: string;
                id: string;
                matched: "stripe_id" | "email" | "external_id" | "organization_id" | "name_prefix";
                customer_id: string | null;
                customer_name: string | null;
                customer_email: string | null;
                external_id: string | null;
                organization_id: string | null;
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
}

/** Routes tagged "organizations". */
export interface OrganizationsPaths {
  "/api/organizations/{id}": {
    /** One organisation */
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
        200: responses['Organization'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    /** Create or update an organisation (the host app’s id); its Stripe customer follows */
    put: {
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
            name: string;
            billing_email?: string | null;
            auto_add_seats?: boolean;
            invoice_footer?: string | null;
            invoice_custom_fields?: ({
              name: string;
              value: string;
            })[];
          };
        };
      };
      responses: {
        200: responses['Organization'];
        201: responses['Organization'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    post?: never;
    /** Delete an organisation and its memberships (409 while a subscription has not ended) */
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
              deleted: true;
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
    patch?: never;
  };
  "/api/organizations/{id}/members": {
    /** The organisation’s members, oldest first */
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
              data: ({
                user_id: string;
                role: "owner" | "billing_admin" | "member";
                holds_seat: boolean;
                created_at: string;
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
  "/api/organizations/{id}/members/{userId}": {
    get?: never;
    /** Add a member or change their role or seat */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          userId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            role: "owner" | "billing_admin" | "member";
            holds_seat?: boolean;
          };
        };
      };
      responses: {
        200: responses['OrganizationMember'];
        201: responses['OrganizationMember'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
        502: responses['Error'];
        503: responses['Error'];
      };
    };
    post?: never;
    /** Remove a member */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              user_id: string;
              deleted: true;
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
    patch?: never;
  };
  "/api/me/organizations": {
    /** The organisations the calling user belongs to, with their role */
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
              data: ({
                id: string;
                name: string;
                role: "owner" | "billing_admin" | "member";
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
  "/api/organizations/{id}/seats/preview": {
    get?: never;
    put?: never;
    /** What a number of seats would charge now and at the next renewal */
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
            seats: number;
          };
        };
      };
      responses: {
        200: responses['SeatPreview'];
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

/** Routes tagged "usage". */
export interface UsagePaths {
  "/api/usage": {
    get?: never;
    put?: never;
    /** Count usage of a metered feature (one event or a batch of up to 1,000) */
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
            feature?: string;
            value?: number;
            idempotency_key?: string;
            timestamp?: string;
            events?: ({
              user_id?: string;
              organization_id?: string;
              feature: string;
              value: number;
              idempotency_key: string;
              timestamp?: string;
            })[];
          };
        };
      };
      responses: {
        200: responses['UsageTracked'];
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
  "/api/check": {
    get?: never;
    put?: never;
    /** May the payer use a feature now? Optionally hold the units (reserve) */
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
            required?: number;
            reserve?: boolean;
          };
        };
      };
      responses: {
        200: responses['UsageCheck'];
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
  "/api/check/reservations/{id}/confirm": {
    get?: never;
    put?: never;
    /** Count a reservation’s units (or fewer) as used */
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
            value?: number;
          };
        };
      };
      responses: {
        200: responses['UsageReservation'];
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
  "/api/check/reservations/{id}/release": {
    get?: never;
    put?: never;
    /** Give a reservation’s units back (the work did not happen) */
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
        200: responses['UsageReservation'];
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
  "/api/admin/usage/report": {
    get?: never;
    put?: never;
    /** Report overage to Stripe now: record what counters owe the meters and send what is pending (the scheduled reporter does the same) */
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
              collected: number | "busy";
              sent: number;
              failed: number;
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
  "/api/admin/usage/reconcile": {
    /** Compare what Recur reported per payer, meter and period with Stripe's meter event summaries, and list the differences */
    get: {
      parameters: {
        query?: {
          user_id?: string;
          organization_id?: string;
          feature?: string;
          since?: string;
          limit?: number;
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
              checked_at: string;
              equal: boolean;
              data: ({
                payer_kind: "user" | "organization";
                payer_id: string;
                feature: string;
                stripe_customer_id: string;
                stripe_meter_id: string | null;
                period_start: string;
                period_end: string | null;
                reported: number;
                pending: number;
                stripe: number | null;
                difference: number | null;
              })[];
              differences: ({
                payer_kind: "user" | "organization";
                payer_id: string;
                feature: string;
                stripe_customer_id: string;
                stripe_meter_id: string | null;
                period_start: string;
                period_end: string | null;
                reported: number;
                pending: number;
                stripe: number | null;
                difference: number | null;
              })[];
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
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
}

/** Routes tagged "invoices". */
export interface InvoicesPaths {
  "/api/me/invoices": {
    /** The signed-in user’s invoices, or with ?org= an organisation’s, newest first (kept after their customer is deleted) */
    get: {
      parameters: {
        query?: {
          status?: "draft" | "open" | "paid" | "uncollectible" | "void";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "total";
          order?: "asc" | "desc";
          org?: string;
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
                number: string | null;
                status: string;
                customer_id: string;
                subscription_id: string | null;
                subscription_status: "pending" | "active" | "action_required" | "suspended" | "cancelled" | null;
                currency: string;
                subtotal: number;
                total: number;
                tax: number;
                total_excluding_tax: number;
                amount_due: number;
                amount_paid: number;
                amount_remaining: number;
                period_start: string | null;
                period_end: string | null;
                billing_reason: string | null;
                attempt_count: number;
                next_payment_attempt: string | null;
                hosted_invoice_url: string | null;
                pdf_url: string | null;
                paid_at: string | null;
                created_at: string;
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
  "/api/invoices": {
    /** All invoices, newest first (or sorted by `sort`/`order`), by status, customer, subscription and creation time */
    get: {
      parameters: {
        query?: {
          status?: "draft" | "open" | "paid" | "uncollectible" | "void";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "total";
          order?: "asc" | "desc";
          customer_id?: string;
          subscription_id?: string;
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
                number: string | null;
                status: string;
                customer_id: string;
                subscription_id: string | null;
                subscription_status: "pending" | "active" | "action_required" | "suspended" | "cancelled" | null;
                currency: string;
                subtotal: number;
                total: number;
                tax: number;
                total_excluding_tax: number;
                amount_due: number;
                amount_paid: number;
                amount_remaining: number;
                period_start: string | null;
                period_end: string | null;
                billing_reason: string | null;
                attempt_count: number;
                next_payment_attempt: string | null;
                hosted_invoice_url: string | null;
                pdf_url: string | null;
                paid_at: string | null;
                created_at: string;
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
  "/api/invoices/{id}": {
    /** One invoice (a user sees their own, and an organisation’s as its owner or billing admin) */
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
        200: responses['Invoice'];
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
  "/api/invoices/{id}/pdf": {
    /** Download the invoice PDF (409 pdf_not_available for a draft) */
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
            "application/pdf": string;
          };
        };
        400: responses['Error2'];
        401: responses['Error2'];
        403: responses['Error2'];
        404: responses['Error2'];
        409: responses['Error2'];
        502: responses['Error2'];
        503: responses['Error2'];
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
}

/** Routes tagged "refunds". */
export interface RefundsPaths {
  "/stripe/refunds": {
    get?: never;
    put?: never;
    /** Refund a payment or a paid invoice, in part or in full */
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
            payment_id?: string;
            invoice_id?: string;
            amount?: number;
            reason: "duplicate" | "fraudulent" | "requested_by_customer";
            note?: string;
          };
        };
      };
      responses: {
        201: responses['Refund'];
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
  "/api/refunds": {
    /** Refunds, newest first (or sorted by `sort`/`order`), by charge, payment intent and creation time */
    get: {
      parameters: {
        query?: {
          charge_id?: string;
          payment_intent_id?: string;
          invoice_id?: string;
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "amount";
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
                status: string | null;
                amount: number;
                currency: string;
                charge_id: string | null;
                payment_intent_id: string | null;
                invoice_id: string | null;
                reason: string | null;
                customer_id: string | null;
                created_at: string;
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
}

/** Routes tagged "disputes". */
export interface DisputesPaths {
  "/api/admin/disputes": {
    /** Disputes, newest first, by status, reason, subscription, customer and creation time */
    get: {
      parameters: {
        query?: {
          status?: "warning_needs_response" | "warning_under_review" | "warning_closed" | "needs_response" | "under_review" | "won" | "lost" | "prevented";
          reason?: string;
          subscription_id?: string;
          customer_id?: string;
          created_from?: string;
          created_to?: string;
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
                charge_id: string;
                payment_intent_id: string | null;
                invoice_id: string | null;
                subscription_id: string | null;
                customer_id: string | null;
                user_id: string | null;
                amount: number;
                currency: string;
                reason: string;
                status: string;
                evidence_due_by: string | null;
                is_charge_refundable: boolean;
                access_frozen: boolean;
                created_at: string;
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
  "/api/admin/disputes/{id}": {
    /** One dispute, with what the dispute policy did about it */
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
        200: responses['DisputeDetail'];
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
  "/api/admin/early-fraud-warnings": {
    /** Early fraud warnings, newest first, by subscription, customer and creation time */
    get: {
      parameters: {
        query?: {
          subscription_id?: string;
          customer_id?: string;
          created_from?: string;
          created_to?: string;
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
                charge_id: string;
                payment_intent_id: string | null;
                invoice_id: string | null;
                subscription_id: string | null;
                customer_id: string | null;
                user_id: string | null;
                fraud_type: string;
                actionable: boolean;
                created_at: string;
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
}

/** Routes tagged "subscriptions". */
export interface SubscriptionsPaths {
  "/api/me/subscriptions": {
    /** The calling user’s subscriptions, or with ?org= an organisation’s, oldest first */
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
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              data: ({
                id: string;
                status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
                stripe_status: string | null;
                provider: "stripe" | "external";
                customer_id: string;
                organization_id: string | null;
                plan_id: string | null;
                plan_name: string | null;
                price_id: string | null;
                interval: string | null;
                quantity: number;
                seat_mode: "manual" | "members" | null;
                currency: string;
                unit_amount: number | null;
                current_period_start: string | null;
                current_period_end: string | null;
                next_billing_date: string | null;
                cancel_at_period_end: boolean;
                cancel_at: string | null;
                canceled_at: string | null;
                cancellation_reason: string | null;
                trial_start: string | null;
                trial_end: string | null;
                scheduled_change: {
                  plan_id: string | null;
                  price_id: string;
                  quantity: number;
                  effective_at: string;
                } | null;
                payment_action_url: string | null;
                created_at: string;
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
  "/api/subscriptions": {
    /** Subscriptions, filtered, newest first (or sorted by `sort`/`order`), a page at a time */
    get: {
      parameters: {
        query?: {
          status?: "pending" | "active" | "action_required" | "suspended" | "cancelled" | "incomplete" | "incomplete_expired" | "trialing" | "past_due" | "canceled" | "unpaid" | "paused";
          plan_id?: string;
          customer_id?: string;
          provider?: "stripe" | "external";
          created_from?: string;
          created_to?: string;
          limit?: number;
          cursor?: string;
          sort?: "created" | "status";
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
                status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
                stripe_status: string | null;
                provider: "stripe" | "external";
                customer_id: string;
                organization_id: string | null;
                plan_id: string | null;
                plan_name: string | null;
                price_id: string | null;
                interval: string | null;
                quantity: number;
                seat_mode: "manual" | "members" | null;
                currency: string;
                unit_amount: number | null;
                current_period_start: string | null;
                current_period_end: string | null;
                next_billing_date: string | null;
                cancel_at_period_end: boolean;
                cancel_at: string | null;
                canceled_at: string | null;
                cancellation_reason: string | null;
                trial_start: string | null;
                trial_end: string | null;
                scheduled_change: {
                  plan_id: string | null;
                  price_id: string;
                  quantity: number;
                  effective_at: string;
                } | null;
                payment_action_url: string | null;
                created_at: string;
                customer_email: string | null;
                customer_name: string | null;
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
    /** Subscribe a customer (by email) or an organisation to a plan, billed by Stripe or by an external provider */
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
            customer_email?: string;
            organization_id?: string;
            provider?: "stripe" | "external";
            interval?: "day" | "week" | "month" | "year";
            currency?: unknown & unknown;
            price_id?: string;
            quantity?: number;
            trial_days?: number;
          };
        };
      };
      responses: {
        201: responses['CreatedSubscription'];
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
  "/api/subscriptions/{id}": {
    /** One subscription (a user sees their own, and an organisation’s as its owner or billing admin) */
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
        200: responses['Subscription'];
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
  "/api/subscriptions/{id}/preview-change": {
    get?: never;
    put?: never;
    /** What a plan, interval or quantity change would charge now and at the next renewal */
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
            plan_id?: string;
            price_id?: string;
            interval?: "day" | "week" | "month" | "year";
            quantity?: number;
            immediately?: boolean;
          };
        };
      };
      responses: {
        200: responses['ChangePreview'];
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
  "/api/subscriptions/{id}/change": {
    get?: never;
    put?: never;
    /** Change plan, interval or quantity: upgrades now with proration, downgrades at period end */
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
            plan_id?: string;
            price_id?: string;
            interval?: "day" | "week" | "month" | "year";
            quantity?: number;
            immediately?: boolean;
            proration_date?: number;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              kind: "upgrade" | "downgrade" | "quantity" | "interval";
              effective: "now" | "period_end";
              effective_at: string;
              invoice_id: string | null;
              subscription: {
                id: string;
                status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
                stripe_status: string | null;
                provider: "stripe" | "external";
                customer_id: string;
                organization_id: string | null;
                plan_id: string | null;
                plan_name: string | null;
                price_id: string | null;
                interval: string | null;
                quantity: number;
                seat_mode: "manual" | "members" | null;
                currency: string;
                unit_amount: number | null;
                current_period_start: string | null;
                current_period_end: string | null;
                next_billing_date: string | null;
                cancel_at_period_end: boolean;
                cancel_at: string | null;
                canceled_at: string | null;
                cancellation_reason: string | null;
                trial_start: string | null;
                trial_end: string | null;
                scheduled_change: {
                  plan_id: string | null;
                  price_id: string;
                  quantity: number;
                  effective_at: string;
                } | null;
                payment_action_url: string | null;
                created_at: string;
              };
            };
          };
        };
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
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
  "/api/subscriptions/{id}/cancel": {
    get?: never;
    put?: never;
    /** Cancel at the period end (default) or now (no credit for unused time) */
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
            at_period_end?: boolean;
            reason?: string;
            feedback?: "customer_service" | "low_quality" | "missing_features" | "other" | "switched_service" | "too_complex" | "too_expensive" | "unused";
          };
        };
      };
      responses: {
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
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
  "/api/subscriptions/{id}/resume": {
    get?: never;
    put?: never;
    /** Undo a pending cancellation */
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
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
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
  "/api/subscriptions/{id}/reactivate": {
    get?: never;
    put?: never;
    /** Resume a paused subscription, or start an ended one again on the same price */
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
        200: responses['Subscription'];
        400: responses['Error'];
        401: responses['Error'];
        402: responses['Error'];
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

/** Routes tagged "reports". */
export interface ReportsPaths {
  "/api/reports/subscriptions": {
    /** Active (incl. trialing) and cancelled subscriptions, active ones per plan; CSV: one line per plan */
    get: {
      parameters: {
        query?: {
          format?: string;
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
              total_active: number;
              total_cancelled: number;
              plans: ({
                plan_id: string;
                name: string;
                active_subscriptions: number;
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
  "/api/reports/mrr": {
    /** MRR and ARR at each month’s end with its movements, per currency (normalised to a month, before discounts) */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              current: ({
                currency: string;
                mrr: number;
                arr: number;
                active_subscriptions: number;
              })[];
              months: ({
                month: string;
                currency: string;
                mrr: number;
                arr: number;
                active_subscriptions: number;
                new: number;
                expansion: number;
                contraction: number;
                churned: number;
                reactivated: number;
                plan_transfers: number;
                net_change: number;
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
  "/api/reports/churn": {
    /** Logo and revenue churn rates by month, per currency */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                subscriptions_at_start: number;
                churned_subscriptions: number;
                logo_churn_rate: number | null;
                mrr_at_start: number;
                churned_mrr: number;
                contraction_mrr: number;
                revenue_churn_rate: number | null;
                net_revenue_churn_rate: number | null;
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
  "/api/reports/arpu": {
    /** ARPU (MRR per paying subscription at the range’s end) and LTV (ARPU over the monthly logo churn rate) */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              currencies: ({
                currency: string;
                mrr: number;
                active_subscriptions: number;
                arpu: number | null;
                monthly_logo_churn_rate: number | null;
                ltv: number | null;
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
  "/api/reports/retention": {
    /** Cohorts by the month of their first payment: share still paying N months later */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              cohorts: ({
                cohort: string;
                currency: string;
                subscriptions: number;
                retention: ({
                  months_after: number;
                  active: number;
                  share: number | null;
                })[];
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
  "/api/reports/revenue": {
    /** Invoiced, collected and refunded by month, per currency (by plan: the subscription’s current plan) */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                invoiced: number;
                invoiced_net: number;
                invoiced_tax: number;
                collected: number;
                collected_net: number;
                collected_tax: number;
                refunded: number | null;
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
  "/api/reports/payments": {
    /** Payment health by month: failed payment rate, recovery, time to recover, involuntary churn */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                invoices_attempted: number;
                invoices_failed: number;
                failed_payment_rate: number | null;
                invoices_recovered: number;
                recovery_rate: number | null;
                average_hours_to_recover: number | null;
                involuntary_churned: number;
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
  "/api/reports/disputes": {
    /** Disputes by the month they opened, per currency: count, rate against the month’s charges (networks warn at 0.9%), won and lost */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              warning_rate: number;
              months: ({
                month: string;
                currency: string;
                charges: number;
                disputes: number;
                dispute_rate: number | null;
                over_warning_rate: boolean;
                inquiries: number;
                disputed_amount: number;
                won: number;
                won_amount: number;
                lost: number;
                lost_amount: number;
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
  "/api/reports/trials": {
    /** Trials by start month and how many converted to paying */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          plan_id?: string;
          currency?: string;
          format?: string;
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
              from: string;
              to: string;
              plan_id: string | null;
              currency: string | null;
              months: ({
                month: string;
                currency: string;
                trials_started: number;
                converted: number;
                not_converted: number;
                in_trial: number;
                conversion_rate: number | null;
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
}

/** Routes tagged "price migrations". */
export interface PriceMigrationsPaths {
  "/api/admin/price-migrations/dry-run": {
    get?: never;
    put?: never;
    /** What a migration would do: its subscriptions, their MRR before and after, each next invoice */
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
            from_price_ids: (string)[];
            to_price_id: string;
            timing: "renewal" | "now_prorated" | "now_unprorated";
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              from: ({
                id: string;
                plan_id: string;
                plan_name: string;
                unit_amount: number;
                currency: string;
                interval: string;
                interval_count: number;
              })[];
              to: {
                id: string;
                plan_id: string;
                plan_name: string;
                unit_amount: number;
                currency: string;
                interval: string;
                interval_count: number;
              };
              timing: "renewal" | "now_prorated" | "now_unprorated";
              currency: string;
              subscriptions: number;
              mrr_before: number;
              mrr_after: number;
              held_elsewhere: number;
              lines: ({
                subscription_id: string;
                customer_id: string;
                customer_name: string | null;
                customer_email: string | null;
                from_price_id: string;
                quantity: number;
                amount_before: number;
                amount_after: number;
                next_invoice_amount: number;
                next_invoice_at: string | null;
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
    delete?: never;
    patch?: never;
  };
  "/api/admin/price-migrations": {
    /** Migrations, newest first, with their progress */
    get: {
      parameters: {
        query?: {
          limit?: number;
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
                status: "running" | "completed" | "undone";
                from_price_ids: (string)[];
                to_price_id: string;
                currency: string;
                timing: "renewal" | "now_prorated" | "now_unprorated";
                notify_customers: boolean;
                mrr_before: number;
                mrr_after: number;
                subscriptions: number;
                done: number;
                counts: {
                  pending: number;
                  processing: number;
                  scheduled: number;
                  moved: number;
                  skipped: number;
                  failed: number;
                  undone: number;
                  renewed: number;
                };
                created_at: string;
                finished_at: string | null;
                undone_at: string | null;
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
    /** Start a migration of the dry run’s subscriptions; it runs in the background */
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
            from_price_ids: (string)[];
            to_price_id: string;
            timing: "renewal" | "now_prorated" | "now_unprorated";
            notify_customers?: boolean;
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              status: "running" | "completed" | "undone";
              from_price_ids: (string)[];
              to_price_id: string;
              currency: string;
              timing: "renewal" | "now_prorated" | "now_unprorated";
              notify_customers: boolean;
              mrr_before: number;
              mrr_after: number;
              subscriptions: number;
              done: number;
              counts: {
                pending: number;
                processing: number;
                scheduled: number;
                moved: number;
                skipped: number;
                failed: number;
                undone: number;
                renewed: number;
              };
              created_at: string;
              finished_at: string | null;
              undone_at: string | null;
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
  "/api/admin/price-migrations/{id}": {
    /** One migration with its progress and each subscription’s state */
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
              status: "running" | "completed" | "undone";
              from_price_ids: (string)[];
              to_price_id: string;
              currency: string;
              timing: "renewal" | "now_prorated" | "now_unprorated";
              notify_customers: boolean;
              mrr_before: number;
              mrr_after: number;
              subscriptions: number;
              done: number;
              counts: {
                pending: number;
                processing: number;
                scheduled: number;
                moved: number;
                skipped: number;
                failed: number;
                undone: number;
                renewed: number;
              };
              created_at: string;
              finished_at: string | null;
              undone_at: string | null;
              items: ({
                subscription_id: string;
                customer_id: string;
                customer_name: string | null;
                customer_email: string | null;
                from_price_id: string;
                quantity: number;
                amount_before: number;
                amount_after: number;
                status: "pending" | "processing" | "scheduled" | "moved" | "skipped" | "failed" | "undone" | "renewed";
                reason: string | null;
                schedule_id: string | null;
                effective_at: string | null;
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
  "/api/admin/price-migrations/{id}/undo": {
    get?: never;
    put?: never;
    /** Release the scheduled moves that have not renewed yet; renewed ones stay on the new price */
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
              id: string;
              status: "running" | "completed" | "undone";
              from_price_ids: (string)[];
              to_price_id: string;
              currency: string;
              timing: "renewal" | "now_prorated" | "now_unprorated";
              notify_customers: boolean;
              mrr_before: number;
              mrr_after: number;
              subscriptions: number;
              done: number;
              counts: {
                pending: number;
                processing: number;
                scheduled: number;
                moved: number;
                skipped: number;
                failed: number;
                undone: number;
                renewed: number;
              };
              created_at: string;
              finished_at: string | null;
              undone_at: string | null;
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

/** Routes tagged "app webhooks". */
export interface AppWebhooksPaths {
  "/api/admin/webhook-endpoints": {
    /** List the host app’s webhook endpoints (never their secrets) */
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
              data: ({
                id: string;
                url: string;
                description: string;
                event_types: (string)[] | null;
                enabled: boolean;
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
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
    /** Add a webhook endpoint; its signing secret is shown in this answer only */
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
            url: string;
            description?: string;
            event_types?: ("subscription.created" | "subscription.updated" | "subscription.canceled" | "subscription.renewed" | "entitlements.updated" | "usage.threshold_reached" | "invoice.paid" | "invoice.payment_failed" | "invoice.payment_action_required" | "customer.updated" | "refund.created" | "checkout.completed" | "purchase.completed" | "purchase.refunded" | "trial.will_end" | "dispute.access_suspended" | "dispute.access_restored" | "dispute.subscription_canceled" | "early_fraud_warning.refunded_and_canceled" | "ping")[] | null;
            enabled?: boolean;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              endpoint: {
                id: string;
                url: string;
                description: string;
                event_types: (string)[] | null;
                enabled: boolean;
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              secret: string;
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
  "/api/admin/webhook-endpoints/{id}": {
    /** One webhook endpoint */
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
        200: responses['WebhookEndpoint'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    put?: never;
    post?: never;
    /** Delete an endpoint with its deliveries and their attempts */
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
        200: responses['WebhookEndpoint'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
    /** Change an endpoint’s URL, description, event types, or enable or disable it */
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
            url?: string;
            description?: string;
            event_types?: ("subscription.created" | "subscription.updated" | "subscription.canceled" | "subscription.renewed" | "entitlements.updated" | "usage.threshold_reached" | "invoice.paid" | "invoice.payment_failed" | "invoice.payment_action_required" | "customer.updated" | "refund.created" | "checkout.completed" | "purchase.completed" | "purchase.refunded" | "trial.will_end" | "dispute.access_suspended" | "dispute.access_restored" | "dispute.subscription_canceled" | "early_fraud_warning.refunded_and_canceled" | "ping")[] | null;
            enabled?: boolean;
          };
        };
      };
      responses: {
        200: responses['WebhookEndpoint'];
        400: responses['Error'];
        401: responses['Error'];
        403: responses['Error'];
        404: responses['Error'];
        409: responses['Error'];
      };
    };
  };
  "/api/admin/webhook-endpoints/{id}/rotate-secret": {
    get?: never;
    put?: never;
    /** Replace the signing secret; the old one keeps signing during the overlap */
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
            overlap_hours?: number;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              endpoint: {
                id: string;
                url: string;
                description: string;
                event_types: (string)[] | null;
                enabled: boolean;
                disabled_reason: string | null;
                failing_since: string | null;
                previous_secret_expires_at: string | null;
                created_at: string;
                updated_at: string;
              };
              secret: string;
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
  "/api/admin/webhook-endpoints/{id}/test": {
    get?: never;
    put?: never;
    /** Send a `ping` to this endpoint only (enabled or not) */
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
              message_id: string;
              delivery_id: string;
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
  "/api/admin/webhook-endpoints/{id}/deliveries": {
    /** An endpoint’s deliveries, newest first */
    get: {
      parameters: {
        query?: {
          status?: "pending" | "succeeded" | "failed";
          limit?: number;
          cursor?: string;
        };
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
              data: ({
                id: string;
                endpoint_id: string;
                message_id: string;
                type: string;
                subject: string;
                sequence: number;
                status: "pending" | "succeeded" | "failed";
                attempts: number;
                next_attempt_at: string;
                last_attempt_at: string | null;
                last_status_code: number | null;
                delivered_at: string | null;
                created_at: string;
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
  "/api/admin/webhook-endpoints/{id}/resend-failed": {
    get?: never;
    put?: never;
    /** Send again every failed delivery to this endpoint created since a time */
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
            since: string;
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              resent: number;
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
  "/api/admin/webhook-deliveries/{id}": {
    /** One delivery with every attempt and the body as signed and sent */
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
              endpoint_id: string;
              message_id: string;
              type: string;
              subject: string;
              sequence: number;
              status: "pending" | "succeeded" | "failed";
              attempts: number;
              next_attempt_at: string;
              last_attempt_at: string | null;
              last_status_code: number | null;
              delivered_at: string | null;
              created_at: string;
              body: string;
              attempts_log: ({
                attempted_at: string;
                duration_ms: number;
                status_code: number | null;
                response_body: string | null;
                error: string | null;
                succeeded: boolean;
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
  "/api/admin/webhook-deliveries/{id}/resend": {
    get?: never;
    put?: never;
    /** Send a delivery again now, whatever its status (a succeeded one too) */
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
        202: responses['WebhookDelivery'];
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

/** Routes tagged "sync". */
export interface SyncPaths {
  "/api/admin/sync": {
    /** Recent sync runs (newest first) and when the next scheduled one is due */
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
              data: ({
                id: string;
                mode: "full" | "incremental";
                trigger: "schedule" | "manual" | "cli";
                objects: (string)[];
                status: "running" | "succeeded" | "failed" | "interrupted";
                counts: {
                  [key: string]: {
                    seen: number;
                    created: number;
                    updated: number;
                    skipped: number;
                  };
                };
                since: string | null;
                error: string | null;
                started_at: string;
                heartbeat_at: string;
                finished_at: string | null;
                duration_seconds: number;
              })[];
              schedule: {
                auto_sync_enabled: boolean;
                interval_seconds: number;
                next_run_at: string | null;
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
    put?: never;
    /** Start a backfill from Stripe; it runs in the background (poll GET /api/admin/sync/:id). 409 sync_running while one runs */
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
            mode?: "full" | "incremental";
            objects?: ("products" | "prices" | "customers" | "payment_methods" | "subscriptions" | "invoices" | "payment_intents" | "charges" | "refunds")[];
          };
        };
      };
      responses: {
        202: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              id: string;
              mode: "full" | "incremental";
              trigger: "schedule" | "manual" | "cli";
              objects: (string)[];
              status: "running" | "succeeded" | "failed" | "interrupted";
              counts: {
                [key: string]: {
                  seen: number;
                  created: number;
                  updated: number;
                  skipped: number;
                };
              };
              since: string | null;
              error: string | null;
              started_at: string;
              heartbeat_at: string;
              finished_at: string | null;
              duration_seconds: number;
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
  "/api/admin/sync/check": {
    /** Compare the mirror with Stripe and list every difference (changes nothing; emails and names are never shown) */
    get: {
      parameters: {
        query?: {
          objects?: string;
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
              checked_at: string;
              equal: boolean;
              objects: {
                [key: string]: {
                  stripe: number;
                  mirror: number;
                  missing: number;
                  extra: number;
                  different: number;
                };
              };
              differences: ({
                object: string;
                id: string;
                kind: "missing" | "extra" | "different";
                field?: string;
                stripe?: unknown;
                mirror?: unknown;
                note?: string;
              })[];
              truncated: boolean;
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
    put?: never;
    post?: never;
    delete?: never;
    patch?: never;
  };
  "/api/admin/sync/{id}": {
    /** One sync run: status, counts per object type, error */
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
              mode: "full" | "incremental";
              trigger: "schedule" | "manual" | "cli";
              objects: (string)[];
              status: "running" | "succeeded" | "failed" | "interrupted";
              counts: {
                [key: string]: {
                  seen: number;
                  created: number;
                  updated: number;
                  skipped: number;
                };
              };
              since: string | null;
              error: string | null;
              started_at: string;
              heartbeat_at: string;
              finished_at: string | null;
              duration_seconds: number;
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
}

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

/** Routes tagged "alerts". */
export interface AlertsPaths {
  "/api/admin/alerts": {
    /** Open alert incidents and the latest resolved ones, with how each message went */
    get: {
      parameters: {
        query?: {
          recent?: number;
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
              open: ({
                id: string;
                rule: "dead_letters" | "signature_failures" | "processing_lag" | "sync_failed" | "payment_failure_rate" | "dispute" | "app_webhook_failing";
                title: string;
                key: string;
                status: "open" | "resolved";
                summary: string;
                details: {
                  [key: string]: unknown;
                };
                opened_at: string;
                last_seen_at: string;
                resolved_at: string | null;
                messages: ({
                  kind: "opened" | "resolved";
                  channel: "email" | "webhook";
                  status: "pending" | "sent" | "failed";
                  attempts: number;
                  last_error: string | null;
                  sent_at: string | null;
                })[];
              })[];
              recent: ({
                id: string;
                rule: "dead_letters" | "signature_failures" | "processing_lag" | "sync_failed" | "payment_failure_rate" | "dispute" | "app_webhook_failing";
                title: string;
                key: string;
                status: "open" | "resolved";
                summary: string;
                details: {
                  [key: string]: unknown;
                };
                opened_at: string;
                last_seen_at: string;
                resolved_at: string | null;
                messages: ({
                  kind: "opened" | "resolved";
                  channel: "email" | "webhook";
                  status: "pending" | "sent" | "failed";
                  attempts: number;
                  last_error: string | null;
                  sent_at: string | null;
                })[];
              })[];
              channels: ("email" | "webhook")[];
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
  "/api/admin/alerts/rules": {
    /** The alert rules' thresholds (defaults from the configuration, changed by admins) */
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
              dead_letters: {
                enabled: boolean;
                min_count: number;
              };
              signature_failures: {
                enabled: boolean;
                count: number;
                window_seconds: number;
              };
              processing_lag: {
                enabled: boolean;
                seconds: number;
              };
              sync_failed: {
                enabled: boolean;
              };
              payment_failure_rate: {
                enabled: boolean;
                window_hours: number;
                baseline_days: number;
                min_attempts: number;
                factor: number;
                min_rate: number;
              };
              dispute: {
                enabled: boolean;
                lookback_days: number;
              };
              app_webhook_failing: {
                enabled: boolean;
                minutes: number;
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
    /** Change rules’ thresholds or turn rules off; the next evaluation uses them */
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
            dead_letters?: {
              enabled?: boolean;
              min_count?: number;
            };
            signature_failures?: {
              enabled?: boolean;
              count?: number;
              window_seconds?: number;
            };
            processing_lag?: {
              enabled?: boolean;
              seconds?: number;
            };
            sync_failed?: {
              enabled?: boolean;
            };
            payment_failure_rate?: {
              enabled?: boolean;
              window_hours?: number;
              baseline_days?: number;
              min_attempts?: number;
              factor?: number;
              min_rate?: number;
            };
            dispute?: {
              enabled?: boolean;
              lookback_days?: number;
            };
            app_webhook_failing?: {
              enabled?: boolean;
              minutes?: number;
            };
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              dead_letters: {
                enabled: boolean;
                min_count: number;
              };
              signature_failures: {
                enabled: boolean;
                count: number;
                window_seconds: number;
              };
              processing_lag: {
                enabled: boolean;
                seconds: number;
              };
              sync_failed: {
                enabled: boolean;
              };
              payment_failure_rate: {
                enabled: boolean;
                window_hours: number;
                baseline_days: number;
                min_attempts: number;
                factor: number;
                min_rate: number;
              };
              dispute: {
                enabled: boolean;
                lookback_days: number;
              };
              app_webhook_failing: {
                enabled: boolean;
                minutes: number;
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
}

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

/** Responses that several routes share, by the name the API gives them. */
export interface responses {
  Error: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        error: {
          code: string;
          message: string;
          details?: unknown;
          request_id: string;
        };
      };
    };
  };
  Plan: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
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
      };
    };
  };
  Customer: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        external_id: string | null;
        organization_id: string | null;
        email: string | null;
        name: string | null;
        currency: string | null;
        default_payment_method_id: string | null;
        deleted: boolean;
        erased_at: string | null;
        created_at: string;
      };
    };
  };
  CustomerOverview: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        customer: {
          id: string;
          external_id: string | null;
          organization_id: string | null;
          email: string | null;
          name: string | null;
          currency: string | null;
          default_payment_method_id: string | null;
          deleted: boolean;
          erased_at: string | null;
          created_at: string;
        };
        organization_name: string | null;
        subscriptions: ({
          id: string;
          status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
          stripe_status: string | null;
          provider: "stripe" | "external";
          customer_id: string;
          organization_id: string | null;
          plan_id: string | null;
          plan_name: string | null;
          price_id: string | null;
          interval: string | null;
          quantity: number;
          seat_mode: "manual" | "members" | null;
          currency: string;
          unit_amount: number | null;
          current_period_start: string | null;
          current_period_end: string | null;
          next_billing_date: string | null;
          cancel_at_period_end: boolean;
          cancel_at: string | null;
          canceled_at: string | null;
          cancellation_reason: string | null;
          trial_start: string | null;
          trial_end: string | null;
          scheduled_change: {
            plan_id: string | null;
            price_id: string;
            quantity: number;
            effective_at: string;
          } | null;
          payment_action_url: string | null;
          created_at: string;
          customer_email: string | null;
          customer_name: string | null;
        })[];
        history: ({
          id: string;
          at: string;
          source: "mrr" | "audit";
          subscription_id: string | null;
          kind: string;
          plan_id: string | null;
          currency: string | null;
          mrr_delta: number | null;
          mrr_after: number | null;
          object_type: string | null;
          actor_type: string | null;
          outcome: string | null;
        })[];
        invoices: ({
          id: string;
          number: string | null;
          status: string;
          customer_id: string;
          subscription_id: string | null;
          subscription_status: "pending" | "active" | "action_required" | "suspended" | "cancelled" | null;
          currency: string;
          subtotal: number;
          total: number;
          tax: number;
          total_excluding_tax: number;
          amount_due: number;
          amount_paid: number;
          amount_remaining: number;
          period_start: string | null;
          period_end: string | null;
          billing_reason: string | null;
          attempt_count: number;
          next_payment_attempt: string | null;
          hosted_invoice_url: string | null;
          pdf_url: string | null;
          paid_at: string | null;
          created_at: string;
        })[];
        payments: ({
          id: string;
          payment_intent_id: string | null;
          status: string;
          amount: number;
          currency: string;
          amount_refunded: number;
          paid: boolean;
          refunded: boolean;
          failure_code: string | null;
          card: string | null;
          created_at: string;
        })[];
        refunds: ({
          id: string;
          charge_id: string | null;
          payment_intent_id: string | null;
          invoice_id: string | null;
          amount: number;
          currency: string;
          status: string | null;
          reason: string | null;
          created_at: string;
        })[];
        disputes: ({
          id: string;
          charge_id: string;
          payment_intent_id: string | null;
          invoice_id: string | null;
          subscription_id: string | null;
          customer_id: string | null;
          user_id: string | null;
          amount: number;
          currency: string;
          reason: string;
          status: string;
          evidence_due_by: string | null;
          is_charge_refundable: boolean;
          access_frozen: boolean;
          created_at: string;
        })[];
        entitlements: {
          benefits: {
            [key: string]: boolean | number | string;
          };
          sources: {
            [key: string]: string | null;
          };
          subscriptions: ({
            id: string;
            plan_id: string | null;
            organization_id: string | null;
            status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
            stripe_status: string | null;
            access_until: string | null;
          })[];
          purchases: ({
            id: string;
            plan_id: string;
            organization_id: string | null;
          })[];
          usage: {
            [key: string]: {
              limit: number;
              used: number;
              reserved: number;
              balance: number;
              credits: number;
              overage: "block" | "bill" | "credits";
              reset: "day" | "week" | "month" | "year" | "billing_period" | "never";
              period_start: string;
              resets_at: string | null;
            };
          };
        } | null;
        credits: {
          payer: {
            kind: "user" | "organization";
            id: string;
          };
          balances: ({
            feature: string;
            balance: number;
            owed: number;
            next_expiry: string | null;
          })[];
          account_credit: {
            amount: number;
            currency: string;
          } | null;
          ledger: {
            data: ({
              id: string;
              feature: string;
              amount: number;
              movement: "grant" | "usage" | "reserve" | "release" | "expiry" | "revoke" | "settle";
              reason: string | null;
              reference: string | null;
              lot_id: string;
              created_at: string;
            })[];
            next_cursor: string | null;
          };
        } | null;
        events: ({
          id: string;
          stripe_id: string;
          type: string;
          object_id: string | null;
          status: string;
          occurred_at: string;
          payload: unknown;
        })[];
      };
    };
  };
  Organization: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        name: string;
        billing_email: string | null;
        auto_add_seats: boolean;
        invoice_footer: string | null;
        invoice_custom_fields: ({
          name: string;
          value: string;
        })[];
        customer_id: string | null;
        member_count: number;
        created_at: string;
        updated_at: string;
      };
    };
  };
  OrganizationMember: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        user_id: string;
        role: "owner" | "billing_admin" | "member";
        holds_seat: boolean;
        created_at: string;
      };
    };
  };
  SeatPreview: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        kind: "upgrade" | "downgrade" | "quantity" | "interval";
        effective: "now" | "period_end";
        effective_at: string;
        amount_due_now: number;
        currency: string;
        proration_date: number;
        lines: ({
          description: string | null;
          amount: number;
          proration: boolean;
          period_start: string;
          period_end: string;
        })[];
        next_invoice: {
          amount_due: number;
          period_start: string;
          period_end: string;
        };
        subscription_id: string;
        seat_mode: "manual" | "members";
        seats: number;
        paid_seats: number;
        used_seats: number;
      };
    };
  };
  Entitlements: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        user_id: string;
        organization_id: string | null;
        benefits: {
          [key: string]: boolean | number | string;
        };
        sources: {
          [key: string]: string | null;
        };
        subscriptions: ({
          id: string;
          plan_id: string | null;
          organization_id: string | null;
          status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
          stripe_status: string | null;
          access_until: string | null;
        })[];
        purchases: ({
          id: string;
          plan_id: string;
          organization_id: string | null;
        })[];
        usage: {
          [key: string]: {
            limit: number;
            used: number;
            reserved: number;
            balance: number;
            credits: number;
            overage: "block" | "bill" | "credits";
            reset: "day" | "week" | "month" | "year" | "billing_period" | "never";
            period_start: string;
            resets_at: string | null;
          };
        };
        as_of: string;
        sequence: number;
      };
    };
  };
  Credits: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        payer: {
          kind: "user" | "organization";
          id: string;
        };
        balances: ({
          feature: string;
          balance: number;
          owed: number;
          next_expiry: string | null;
        })[];
        account_credit: {
          amount: number;
          currency: string;
        } | null;
        ledger: {
          data: ({
            id: string;
            feature: string;
            amount: number;
            movement: "grant" | "usage" | "reserve" | "release" | "expiry" | "revoke" | "settle";
            reason: string | null;
            reference: string | null;
            lot_id: string;
            created_at: string;
          })[];
          next_cursor: string | null;
        };
      };
    };
  };
  UsageTracked: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        accepted: number;
        duplicates: number;
        events: ({
          idempotency_key: string;
          status: "accepted" | "duplicate";
        })[];
      };
    };
  };
  UsageCheck: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        allowed: boolean;
        balance: number;
        limit: number;
        used: number;
        reserved: number;
        credits: number;
        overage: "block" | "bill" | "credits";
        reset: "day" | "week" | "month" | "year" | "billing_period" | "never";
        period_start: string;
        resets_at: string | null;
        reservation_id?: string;
      };
    };
  };
  UsageReservation: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        user_id: string | null;
        organization_id: string | null;
        feature: string;
        units: number;
        from_credits: number;
        status: "held" | "confirmed" | "released" | "expired";
        period_start: string;
        expires_at: string;
        settled_at: string | null;
      };
    };
  };
  Invoice: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        number: string | null;
        status: string;
        customer_id: string;
        subscription_id: string | null;
        subscription_status: "pending" | "active" | "action_required" | "suspended" | "cancelled" | null;
        currency: string;
        subtotal: number;
        total: number;
        tax: number;
        total_excluding_tax: number;
        amount_due: number;
        amount_paid: number;
        amount_remaining: number;
        period_start: string | null;
        period_end: string | null;
        billing_reason: string | null;
        attempt_count: number;
        next_payment_attempt: string | null;
        hosted_invoice_url: string | null;
        pdf_url: string | null;
        paid_at: string | null;
        created_at: string;
      };
    };
  };
  Error2: {
    headers: { [name: string]: unknown };
    content: {
      "application/pdf": string;
    };
  };
  Refund: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        status: string | null;
        amount: number;
        currency: string;
        charge_id: string | null;
        payment_intent_id: string | null;
        invoice_id: string | null;
        reason: string | null;
      };
    };
  };
  DisputeDetail: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        charge_id: string;
        payment_intent_id: string | null;
        invoice_id: string | null;
        subscription_id: string | null;
        customer_id: string | null;
        user_id: string | null;
        amount: number;
        currency: string;
        reason: string;
        status: string;
        evidence_due_by: string | null;
        is_charge_refundable: boolean;
        access_frozen: boolean;
        created_at: string;
        actions: ({
          action: "access_suspended" | "access_restored" | "subscription_canceled" | "charge_refunded";
          subscription_id: string | null;
          result_id: string | null;
          created_at: string;
        })[];
      };
    };
  };
  CreatedSubscription: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        subscription_id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        next_billing_date: string;
        stripe_status: "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "paused" | null;
        provider: "stripe" | "external";
        customer_id: string;
        plan_id: string;
        price_id: string;
        quantity: number;
        currency: string;
      };
    };
  };
  Subscription: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        status: "pending" | "active" | "action_required" | "suspended" | "cancelled";
        stripe_status: string | null;
        provider: "stripe" | "external";
        customer_id: string;
        organization_id: string | null;
        plan_id: string | null;
        plan_name: string | null;
        price_id: string | null;
        interval: string | null;
        quantity: number;
        seat_mode: "manual" | "members" | null;
        currency: string;
        unit_amount: number | null;
        current_period_start: string | null;
        current_period_end: string | null;
        next_billing_date: string | null;
        cancel_at_period_end: boolean;
        cancel_at: string | null;
        canceled_at: string | null;
        cancellation_reason: string | null;
        trial_start: string | null;
        trial_end: string | null;
        scheduled_change: {
          plan_id: string | null;
          price_id: string;
          quantity: number;
          effective_at: string;
        } | null;
        payment_action_url: string | null;
        created_at: string;
      };
    };
  };
  ChangePreview: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        kind: "upgrade" | "downgrade" | "quantity" | "interval";
        effective: "now" | "period_end";
        effective_at: string;
        amount_due_now: number;
        currency: string;
        proration_date: number;
        lines: ({
          description: string | null;
          amount: number;
          proration: boolean;
          period_start: string;
          period_end: string;
        })[];
        next_invoice: {
          amount_due: number;
          period_start: string;
          period_end: string;
        };
      };
    };
  };
  WebhookEndpoint: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        url: string;
        description: string;
        event_types: (string)[] | null;
        enabled: boolean;
        disabled_reason: string | null;
        failing_since: string | null;
        previous_secret_expires_at: string | null;
        created_at: string;
        updated_at: string;
      };
    };
  };
  WebhookDelivery: {
    headers: { [name: string]: unknown };
    content: {
      "application/json": {
        id: string;
        endpoint_id: string;
        message_id: string;
        type: string;
        subject: string;
        sequence: number;
        status: "pending" | "succeeded" | "failed";
        attempts: number;
        next_attempt_at: string;
        last_attempt_at: string | null;
        last_status_code: number | null;
        delivered_at: string | null;
        created_at: string;
      };
    };
  };
  Error3: {
    headers: { [name: string]: unknown };
    content: {
      "text/csv": string;
    };
  };
}

/** Every route of the API, in the shape openapi-fetch reads. */
export interface paths
  extends HealthPaths,
    ApiKeysPaths,
    PlansPaths,
    CustomersPaths,
    OrganizationsPaths,
    CheckoutPaths,
    BillingPagePaths,
    EntitlementsPaths,
    CreditsPaths,
    UsagePaths,
    InvoicesPaths,
    RefundsPaths,
    DisputesPaths,
    SubscriptionsPaths,
    ReportsPaths,
    PriceMigrationsPaths,
    WebhooksPaths,
    EventsPaths,
    AppWebhooksPaths,
    SyncPaths,
    SettingsPaths,
    AlertsPaths,
    AuditPaths {}
