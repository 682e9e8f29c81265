import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const ORGANIZATION_ROLES = ['owner', 'billing_admin', 'member'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

/** A custom field Stripe prints on the organisation's invoices (a PO number, a tax id). */
export interface InvoiceCustomField {
  name: string;
  value: string;
}

/**
 * The host app's organisations, kept in step by the host app over the API: an organisation pays
 * (one Stripe customer, linked by `customers.organization_id`), its members use. The id is the host
 * app's own; name and billing email are sealed like a user's personal data.
 */
export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  nameEncrypted: text('name_encrypted').notNull(),
  billingEmailEncrypted: text('billing_email_encrypted'),
  /** A member beyond the seats paid for adds a seat (and is charged for it) instead of being refused. */
  autoAddSeats: boolean('auto_add_seats').notNull().default(false),
  /** Printed at the foot of every invoice (Stripe's customer `invoice_settings.footer`). */
  invoiceFooter: text('invoice_footer'),
  invoiceCustomFields: jsonb('invoice_custom_fields').$type<InvoiceCustomField[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const organizationMembers = pgTable(
  'organization_members',
  {
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role', { enum: ORGANIZATION_ROLES }).notNull(),
    /** Counts towards a per-seat subscription in `members` seat mode. */
    holdsSeat: boolean('holds_seat').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    // A user's organisations, for the billing page's switcher and the merged entitlements.
    index('organization_members_user').on(t.userId),
  ],
);
