// Generated from openapi.json by `npm run openapi`; do not edit by hand.

import type { responses } from './responses.gen.js';

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
