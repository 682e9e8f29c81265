import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { recordAudit } from '../audit/record.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { AppError, ValidationError } from '../http/errors.js';
import type { Cursor } from '../http/pagination.js';
import type { SortOrder } from '../http/sorting.js';
import { payerOf } from '../organizations/payer.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { InvoiceBranding, NewCustomer, StripeCustomers } from '../stripe/customers.js';
import { eraseCustomer } from './erasure.js';
import { type CustomerFilter, type CustomerRow, customerRepository as repo } from './repository.js';
import { searchCustomers } from './search.js';

/** A user of the host app, as its token or its backend names them. */
export interface AppUser {
  userId: string;
  email?: string;
  name?: string;
}

/** An organisation of the host app, as its customer in Stripe needs it. */
export interface AppOrganization {
  organizationId: string;
  name: string;
  billingEmail: string | null;
  invoice: InvoiceBranding;
}

/** A customer as the API shows it: personal data decrypted for its rightful reader only. */
export interface CustomerView {
  id: string;
  external_id: string | null;
  organization_id: string | null;
  email: string | null;
  name: string | null;
  currency: string | null;
  default_payment_method_id: string | null;
  deleted: boolean;
  /** When the personal data was erased on request (name, email and user link are then null). */
  erased_at: string | null;
  created_at: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * One Stripe customer per user, made on first need. Concurrent first requests in one process share
 * one creation; across processes and retries the idempotency key, derived from the user, makes
 * Stripe answer every creation with the same customer, and the mirror row is keyed by its id.
 */
export class CustomerService {
  private readonly creating = new Map<string, Promise<CustomerRow>>();

  constructor(
    private readonly deps: { db: Db; stripe: StripeCustomers; cipher: PiiCipher; logger: Logger },
  ) {}

  async forUser(user: AppUser): Promise<CustomerRow> {
    const existing = await repo.findByExternalId(this.deps.db, user.userId);
    if (existing) return existing;
    const email = user.email ? normaliseEmail(user.email) : undefined;
    return this.once(`user:${user.userId}`, () =>
      this.create({
        userId: user.userId,
        ...(email ? { email } : {}),
        ...(user.name ? { name: user.name } : {}),
      }),
    );
  }

  /** The organisation's customer, made on first need exactly like a user's (see the class comment). */
  async forOrganization(org: AppOrganization): Promise<CustomerRow> {
    const existing = await repo.findByOrganizationId(this.deps.db, org.organizationId);
    if (existing) return existing;
    return this.once(`organization:${org.organizationId}`, () =>
      this.create({
        organizationId: org.organizationId,
        name: org.name,
        ...(org.billingEmail ? { email: org.billingEmail } : {}),
        invoice: org.invoice,
      }),
    );
  }

  /** The organisation's customer if one was made already; never creates one. */
  async findForOrganization(organizationId: string): Promise<CustomerRow | null> {
    return repo.findByOrganizationId(this.deps.db, organizationId);
  }

  /**
   * The customer with this email: from the mirror, else from Stripe (one Recur has not seen yet),
   * else a new one. Throws a ValidationError for an address that is not one.
   */
  async forEmail(rawEmail: string, name?: string): Promise<CustomerRow> {
    const email = normaliseEmail(rawEmail);
    const hash = this.deps.cipher.emailHash(email);
    const existing = await repo.findByEmailHash(this.deps.db, hash);
    if (existing) return existing;
    return this.once(`email:${hash}`, async () => {
      const inStripe = await this.deps.stripe.findByEmail(email);
      if (inStripe) return repo.saveFromStripe(this.deps.db, inStripe, this.deps.cipher);
      return this.create({ email, ...(name ? { name } : {}) }, hash);
    });
  }

  /** The mirror's customer with this email, if there is one; never asks Stripe, never creates. */
  async findByEmail(rawEmail: string): Promise<CustomerRow | null> {
    return repo.findByEmailHash(this.deps.db, this.deps.cipher.emailHash(normaliseEmail(rawEmail)));
  }

  async get(id: string): Promise<CustomerRow | null> {
    return repo.findById(this.deps.db, id);
  }

  /** The user's customer if one was made already; never creates one. */
  async findForUser(userId: string): Promise<CustomerRow | null> {
    return repo.findByExternalId(this.deps.db, userId);
  }

  /** The customer of the user, or of an organisation whose billing they manage; never creates one. */
  async findForPayer(principal: Principal, organizationId: string | undefined): Promise<CustomerRow | null> {
    const payer = await payerOf(this.deps.db, principal, organizationId);
    return payer.kind === 'user'
      ? this.findForUser(payer.userId)
      : this.findForOrganization(payer.organizationId);
  }

  /** Admin list: an email filter is matched by its keyed hash, so no plaintext is ever scanned. */
  async list(
    filter: Omit<CustomerFilter, 'emailHash'> & { email?: string | undefined },
    page: { limit: number; before?: Cursor | undefined; order?: SortOrder | undefined },
  ): Promise<CustomerRow[]> {
    const { email, ...rest } = filter;
    const emailHash = email === undefined ? undefined : this.deps.cipher.emailHash(normaliseEmail(email));
    return repo.list(this.deps.db, { ...rest, emailHash }, page);
  }

  /** `q` of the admin list: an id or a whole email looked up at once, else a partial match. */
  async search(
    term: string,
    filter: Omit<CustomerFilter, 'emailHash'>,
    page: { limit: number; before?: Cursor | undefined; order?: SortOrder | undefined },
  ): Promise<{ rows: CustomerRow[]; next: Cursor | null }> {
    if (/^cus_\w+$/.test(term)) {
      const row = await repo.findById(this.deps.db, term);
      return { rows: row && !page.before ? [row] : [], next: null };
    }
    if (EMAIL.test(term)) {
      const rows = await this.list({ ...filter, email: term }, page);
      const shown = rows.slice(0, page.limit);
      const last = shown.at(-1);
      return {
        rows: shown,
        next: rows.length > page.limit && last ? { at: last.createdAt, id: last.id } : null,
      };
    }
    return searchCustomers(this.deps, term, filter, page);
  }

  /** Erases the customer's personal data (see erasure.ts); null when Recur has no such customer. */
  async erase(id: string): Promise<{ row: CustomerRow; eventsScrubbed: number } | null> {
    if (!(await repo.findById(this.deps.db, id))) return null;
    const { eventsScrubbed } = await eraseCustomer(this.deps, id);
    const row = await repo.findById(this.deps.db, id);
    return row && { row, eventsScrubbed };
  }

  view(row: CustomerRow): CustomerView {
    const { cipher } = this.deps;
    return {
      id: row.id,
      external_id: row.externalId,
      organization_id: row.organizationId,
      email: row.emailEncrypted ? cipher.decrypt(row.emailEncrypted) : null,
      name: row.nameEncrypted ? cipher.decrypt(row.nameEncrypted) : null,
      currency: row.currency,
      default_payment_method_id: row.defaultPaymentMethodId,
      deleted: row.deleted,
      erased_at: row.erasedAt?.toISOString() ?? null,
      created_at: row.createdAt.toISOString(),
    };
  }

  private async create(customer: NewCustomer, emailHash?: string): Promise<CustomerRow> {
    const { db, stripe, cipher, logger } = this.deps;
    // Derived from the user, the organisation (or the email's keyed hash), never random: a retry or
    // a race in another process replays Stripe's first answer instead of making a second customer.
    // The count of the subject's customers deleted since moves the key on, or Stripe would replay a
    // deleted one.
    const hashed = (id: string) => createHash('sha256').update(id).digest('base64url');
    const [by, subject] = customer.userId
      ? [{ externalId: customer.userId }, `user:${hashed(customer.userId)}`]
      : customer.organizationId
        ? [{ organizationId: customer.organizationId }, `organization:${hashed(customer.organizationId)}`]
        : [{ emailHash: emailHash! }, `email:${emailHash}`];
    const deleted = await repo.countDeleted(db, by);
    const created = await stripe.create(customer, `recur:customer:${subject}:${deleted}`);
    logger.info(
      { customerId: created.id, userId: customer.userId, organizationId: customer.organizationId },
      'customer created in Stripe',
    );
    return db.transaction(async (tx) => {
      const saved = await repo.saveFromStripe(tx, created, cipher);
      await recordAudit(tx, {
        action: 'customer.create',
        objectType: 'customer',
        objectId: saved.id,
        after: {
          user_id: customer.userId ?? null,
          organization_id: customer.organizationId ?? null,
          email: customer.email ?? null,
          name: customer.name ?? null,
        },
      });
      return saved;
    });
  }

  private once(key: string, make: () => Promise<CustomerRow>): Promise<CustomerRow> {
    const running = this.creating.get(key);
    if (running) return running;
    const promise = make().finally(() => this.creating.delete(key));
    this.creating.set(key, promise);
    return promise;
  }
}

export function customerNotFound(message = 'No customer exists for this user yet'): AppError {
  return new AppError(404, 'customer_not_found', message);
}

export function normaliseEmail(email: string): string {
  const trimmed = email.trim();
  if (trimmed.length > 254 || !EMAIL.test(trimmed))
    // The address itself stays out of the message: error messages reach logs.
    throw new ValidationError('invalid_email', 'The email is not a valid address');
  return trimmed.toLowerCase();
}
