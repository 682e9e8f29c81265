import type { CreditService } from '../credits/service.js';
import type { Db } from '../db/client.js';
import type { DisputeService } from '../disputes/service.js';
import type { EntitlementService } from '../entitlements/service.js';
import { redactPayload } from '../events/payload-redaction.js';
import { NotFoundError } from '../http/errors.js';
import type { InvoiceService } from '../invoices/service.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { SubscriptionService } from '../subscriptions/service.js';
import { erasureRepository } from './erasure-repository.js';
import { OVERVIEW_ROWS, overviewRepository as repo } from './overview-repository.js';
import type { CustomerOverview } from './overview-schema.js';
import type { CustomerService } from './service.js';

export type { CustomerOverview };

const iso = (at: Date | string) => new Date(at).toISOString();
const ADMIN = { kind: 'api_key', role: 'admin', keyId: 'customer-overview' } as const;

/**
 * One customer whole, for the console's customer page: every list read from the mirror, at most
 * OVERVIEW_ROWS of each, newest first. Names and emails are decrypted here for the admin who asked
 * and go nowhere else; event payloads are redacted (events/payload-redaction.ts).
 */
export class CustomerOverviewService {
  constructor(
    private readonly deps: {
      db: Db;
      cipher: PiiCipher;
      customers: CustomerService;
      subscriptions: SubscriptionService;
      invoices: InvoiceService;
      disputes: DisputeService;
      entitlements: EntitlementService;
      credits: CreditService;
    },
  ) {}

  /** Null when Recur holds no such customer. */
  async overview(id: string): Promise<CustomerOverview | null> {
    const { db, cipher } = this.deps;
    const row = await this.deps.customers.get(id);
    if (!row) return null;
    const objectIds = await erasureRepository.objectIds(db, id);
    const subscriptionIds = objectIds.filter((o) => o.startsWith('sub_'));
    const page = { limit: OVERVIEW_ROWS };
    const newest = { limit: OVERVIEW_ROWS, sort: { key: 'created', order: 'desc' } } as const;
    const [subscriptions, invoices, disputes, charges, refunds, movements, audit, events, orgName] =
      await Promise.all([
        this.deps.subscriptions.list({ customerId: id }, newest, false),
        this.deps.invoices.list(ADMIN, { customerId: id }, newest),
        this.deps.disputes.list({ customerId: id }, page),
        repo.charges(db, id),
        repo.refunds(db, id),
        repo.movements(db, id),
        repo.audit(db, [id, ...subscriptionIds]),
        repo.events(db, objectIds),
        row.organizationId ? repo.organizationName(db, row.organizationId) : null,
      ]);
    return {
      customer: this.deps.customers.view(row),
      organization_name: orgName ? cipher.decrypt(orgName) : null,
      subscriptions: subscriptions.data,
      history: [
        ...movements.map((m) => ({
          id: `mrr:${m.id}`,
          at: iso(m.at),
          source: 'mrr' as const,
          subscription_id: m.subscription_id,
          kind: m.kind,
          plan_id: m.plan_id,
          currency: m.currency,
          mrr_delta: Number(m.mrr_delta),
          mrr_after: Number(m.mrr_after),
          object_type: null,
          actor_type: null,
          outcome: null,
        })),
        ...audit.map((a) => ({
          id: `audit:${a.id}`,
          at: iso(a.at),
          source: 'audit' as const,
          subscription_id: a.object_type === 'subscription' ? a.object_id : null,
          kind: a.action,
          plan_id: null,
          currency: null,
          mrr_delta: null,
          mrr_after: null,
          object_type: a.object_type,
          actor_type: a.actor_type,
          outcome: a.outcome,
        })),
      ].sort((a, b) => b.at.localeCompare(a.at)),
      invoices: invoices.data,
      payments: charges.map((c) => ({
        id: c.id,
        payment_intent_id: c.payment_intent_id,
        status: c.status,
        amount: c.amount,
        amount_refunded: c.amount_refunded,
        currency: c.currency,
        paid: c.paid,
        refunded: c.refunded,
        failure_code: c.failure_code,
        card: c.card_brand ? `${c.card_brand} •••• ${c.card_last4 ?? '????'}` : null,
        created_at: iso(c.created_at),
      })),
      refunds: refunds.map((r) => ({ ...r, created_at: iso(r.created_at) })),
      disputes: disputes.data,
      ...(await this.payerReads(row.externalId, row.organizationId)),
      events: events.map((e) => ({
        id: e.id,
        stripe_id: e.external_id,
        type: e.type,
        object_id: e.object_id,
        status: e.status,
        occurred_at: iso(e.occurred_at),
        payload: redactPayload(cipher.decryptJson(e.payload)),
      })),
    };
  }

  /** Entitlements, usage and credits of the payer the customer bills: its user or organisation. */
  private async payerReads(
    userId: string | null,
    organizationId: string | null,
  ): Promise<Pick<CustomerOverview, 'entitlements' | 'credits'>> {
    const ledger = { limit: 20 };
    if (userId) {
      const { benefits, sources, subscriptions, purchases, usage } =
        await this.deps.entitlements.forUser(userId);
      return {
        entitlements: { benefits, sources, subscriptions, purchases, usage },
        credits: await this.deps.credits.ofPayer({ user_id: userId }, ledger),
      };
    }
    if (organizationId)
      return {
        entitlements: await this.deps.entitlements.forOrganization(organizationId),
        // An organisation deleted in Recur (its customer stays in Stripe) has no credits to show.
        credits: await this.deps.credits
          .ofPayer({ organization_id: organizationId }, ledger)
          .catch((error: unknown) => {
            if (error instanceof NotFoundError) return null;
            throw error;
          }),
      };
    return { entitlements: null, credits: null };
  }
}
