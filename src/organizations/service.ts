import type { Logger } from 'pino';
import { recordAudit } from '../audit/record.js';
import { type CustomerService, normaliseEmail } from '../customers/service.js';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { InvoiceCustomField, OrganizationRole } from '../db/schema/index.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { InvoiceBranding, StripeCustomers } from '../stripe/customers.js';
import { stripeIdempotencyKey } from '../stripe/index.js';
import { type MemberRow, type OrganizationRow, organizationRepository as repo } from './repository.js';

export interface OrganizationInput {
  name: string;
  billing_email?: string | null | undefined;
  auto_add_seats?: boolean | undefined;
  invoice_footer?: string | null | undefined;
  invoice_custom_fields?: InvoiceCustomField[] | undefined;
}

export interface OrganizationView {
  id: string;
  name: string;
  billing_email: string | null;
  auto_add_seats: boolean;
  invoice_footer: string | null;
  invoice_custom_fields: InvoiceCustomField[];
  /** Its Stripe customer, once the first billing need made one. */
  customer_id: string | null;
  member_count: number;
  created_at: string;
  updated_at: string;
}

export type MemberView = {
  user_id: string;
  role: OrganizationRole;
  holds_seat: boolean;
  created_at: string;
};

/**
 * Reacts to membership changes inside their transaction, with the organisation's row locked: the
 * seat rules refuse a member beyond the seats paid for, and keep a `members`-mode quantity in step.
 */
export interface MembershipHooks {
  beforeChange(
    tx: Tx,
    change: { organization: OrganizationRow; before: MemberRow | null; after: MemberRow | null },
  ): Promise<void>;
  /** After the write, in its transaction: what the change made (an announcement) is written with it. */
  afterChange?(
    tx: DbOrTx,
    change: { organization: OrganizationRow; before: MemberRow | null; after: MemberRow | null },
  ): Promise<void>;
  afterCommit?(organizationId: string): Promise<void>;
}

interface OrganizationServiceDeps {
  db: Db;
  cipher: PiiCipher;
  customers: CustomerService;
  stripe: StripeCustomers;
  logger: Logger;
}

/**
 * The host app's organisations and their members, kept in step by its backend. An organisation's
 * Stripe customer is made on first billing need (`customerOf`) and brought in step on each change of
 * the name, billing email or invoice branding.
 */
export class OrganizationService {
  private readonly hooks: MembershipHooks[] = [];

  constructor(private readonly deps: OrganizationServiceDeps) {}

  /**
   * The seat rules and the entitlement announcements plug in here (they need the subscriptions,
   * which need this service); each runs in the order added.
   */
  useMembershipHooks(hooks: MembershipHooks): void {
    this.hooks.push(hooks);
  }

  async get(id: string): Promise<OrganizationView> {
    return this.view(await this.found(id));
  }

  async put(id: string, input: OrganizationInput): Promise<{ view: OrganizationView; created: boolean }> {
    const { db, cipher } = this.deps;
    const billingEmail =
      input.billing_email === undefined
        ? undefined
        : input.billing_email === null
          ? null
          : normaliseEmail(input.billing_email);
    const { row, created } = await db.transaction(async (tx) => {
      // Read under its lock: what this PUT leaves out is kept from the row it replaces, not from one
      // a concurrent PUT has since changed.
      const existing = await repo.lock(tx, id);
      const saved = await repo.upsert(tx, {
        id,
        nameEncrypted: cipher.encrypt(input.name),
        billingEmailEncrypted:
          billingEmail === undefined
            ? (existing?.billingEmailEncrypted ?? null)
            : billingEmail && cipher.encrypt(billingEmail),
        autoAddSeats: input.auto_add_seats ?? existing?.autoAddSeats ?? false,
        invoiceFooter:
          input.invoice_footer === undefined
            ? (existing?.invoiceFooter ?? null)
            : input.invoice_footer || null,
        invoiceCustomFields: input.invoice_custom_fields ?? existing?.invoiceCustomFields ?? [],
      });
      await recordAudit(tx, {
        action: saved.created ? 'organization.create' : 'organization.update',
        objectType: 'organization',
        objectId: id,
        before: existing && this.auditedFields(existing),
        after: this.auditedFields(saved.row),
      });
      return saved;
    });
    await this.pushToStripe(row);
    return { view: await this.view(row), created };
  }

  /** Refused while a subscription of the organisation has not ended: cancel it first. */
  async delete(id: string): Promise<void> {
    const { db } = this.deps;
    const before = await this.found(id);
    const live = await repo.liveSubscription(db, id);
    if (live) {
      throw new ConflictError(
        'organization_has_live_subscription',
        `Organisation '${id}' has subscription '${live}', which has not ended; cancel it first`,
        { subscription_id: live },
      );
    }
    await db.transaction(async (tx) => {
      await repo.delete(tx, id);
      await recordAudit(tx, {
        action: 'organization.delete',
        objectType: 'organization',
        objectId: id,
        before: this.auditedFields(before),
      });
    });
  }

  async members(id: string): Promise<MemberView[]> {
    await this.found(id);
    return (await repo.members(this.deps.db, id)).map(memberView);
  }

  /** Adds the user, or changes their role or seat; the seat rules may refuse (409). */
  async putMember(
    id: string,
    userId: string,
    input: { role: OrganizationRole; holds_seat?: boolean | undefined },
  ): Promise<{ view: MemberView; created: boolean }> {
    const { row, before } = await this.deps.db.transaction(async (tx) => {
      const organization = await this.locked(tx, id);
      const current = await repo.member(tx, id, userId);
      const next = {
        organizationId: id,
        userId,
        role: input.role,
        holdsSeat: input.holds_seat ?? current?.holdsSeat ?? true,
      };
      const change = {
        organization,
        before: current,
        after: { ...next, createdAt: current?.createdAt ?? new Date(), updatedAt: new Date() },
      };
      for (const hooks of this.hooks) await hooks.beforeChange(tx, change);
      const written = await repo.putMember(tx, next);
      for (const hooks of this.hooks) await hooks.afterChange?.(tx, { ...change, after: written.row });
      await recordAudit(tx, {
        action: current ? 'organization.member_update' : 'organization.member_add',
        objectType: 'organization',
        objectId: id,
        before: current && memberView(current),
        after: memberView(written.row),
      });
      return written;
    });
    for (const hooks of this.hooks) await hooks.afterCommit?.(id);
    return { view: memberView(row), created: before === null };
  }

  async removeMember(id: string, userId: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const organization = await this.locked(tx, id);
      const current = await repo.member(tx, id, userId);
      if (!current) throw new NotFoundError(`Member '${userId}' of organisation`, id);
      const change = { organization, before: current, after: null };
      for (const hooks of this.hooks) await hooks.beforeChange(tx, change);
      await repo.removeMember(tx, id, userId);
      for (const hooks of this.hooks) await hooks.afterChange?.(tx, change);
      await recordAudit(tx, {
        action: 'organization.member_remove',
        objectType: 'organization',
        objectId: id,
        before: memberView(current),
      });
    });
    for (const hooks of this.hooks) await hooks.afterCommit?.(id);
  }

  /** The organisations a user belongs to, with their role: the billing page's switcher. */
  async ofUser(userId: string): Promise<Array<{ id: string; name: string; role: OrganizationRole }>> {
    const memberships = await repo.membershipsOf(this.deps.db, userId);
    return memberships.map((m) => ({
      id: m.organization.id,
      name: this.deps.cipher.decrypt(m.organization.nameEncrypted),
      role: m.role,
    }));
  }

  /** The organisation's Stripe customer, made on first need (one, however many requests race). */
  async customerOf(id: string) {
    const org = await this.found(id);
    return this.deps.customers.forOrganization({
      organizationId: id,
      name: this.deps.cipher.decrypt(org.nameEncrypted),
      billingEmail: org.billingEmailEncrypted && this.deps.cipher.decrypt(org.billingEmailEncrypted),
      invoice: branding(org),
    });
  }

  private async found(id: string): Promise<OrganizationRow> {
    const row = await repo.find(this.deps.db, id);
    if (!row) throw new NotFoundError('Organization', id);
    return row;
  }

  private async locked(tx: DbOrTx, id: string): Promise<OrganizationRow> {
    const row = await repo.lock(tx, id);
    if (!row) throw new NotFoundError('Organization', id);
    return row;
  }

  /** Brings the Stripe customer, if there is one yet, in step with the organisation. */
  private async pushToStripe(org: OrganizationRow): Promise<void> {
    const customerId = await repo.customerId(this.deps.db, org.id);
    if (!customerId) return;
    const { cipher } = this.deps;
    const fields = {
      name: cipher.decrypt(org.nameEncrypted),
      email: org.billingEmailEncrypted && cipher.decrypt(org.billingEmailEncrypted),
      invoice: branding(org),
    };
    // Keyed by the version written, so a retried PUT replays and a later change writes again.
    const key = stripeIdempotencyKey(`customer.${customerId}`, `${org.updatedAt.getTime()}`, 'update');
    await this.deps.stripe.update(customerId, fields, key);
  }

  /** What the audit trail keeps of an organisation: no name or email in the clear. */
  private auditedFields(row: OrganizationRow) {
    return {
      auto_add_seats: row.autoAddSeats,
      invoice_footer: row.invoiceFooter,
      invoice_custom_fields: row.invoiceCustomFields,
      has_billing_email: row.billingEmailEncrypted !== null,
    };
  }

  private async view(row: OrganizationRow): Promise<OrganizationView> {
    const { db, cipher } = this.deps;
    return {
      id: row.id,
      name: cipher.decrypt(row.nameEncrypted),
      billing_email: row.billingEmailEncrypted && cipher.decrypt(row.billingEmailEncrypted),
      auto_add_seats: row.autoAddSeats,
      invoice_footer: row.invoiceFooter,
      invoice_custom_fields: row.invoiceCustomFields,
      customer_id: await repo.customerId(db, row.id),
      member_count: await repo.memberCount(db, row.id),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }
}

function branding(org: OrganizationRow): InvoiceBranding {
  return { footer: org.invoiceFooter, customFields: org.invoiceCustomFields };
}

function memberView(row: MemberRow): MemberView {
  return {
    user_id: row.userId,
    role: row.role,
    holds_seat: row.holdsSeat,
    created_at: row.createdAt.toISOString(),
  };
}
