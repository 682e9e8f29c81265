import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import { nextSortCursor, type SortedPage } from '../http/sorting.js';
import { assertOwnerAccess, payerOf } from '../organizations/payer.js';
import type { InvoicePdf, StripeInvoiceDocuments } from '../stripe/invoice-documents.js';
import { type RecurStatus, recurStatus } from '../subscriptions/status.js';
import {
  type InvoiceFilter,
  type InvoiceRow,
  type InvoiceSort,
  invoiceSortColumns,
  invoiceRepository as repo,
} from './repository.js';

export interface InvoiceView {
  id: string;
  number: string | null;
  status: string;
  customer_id: string;
  subscription_id: string | null;
  /** Recur's status of the subscription now: `suspended` while a renewal's payment is failing. */
  subscription_status: RecurStatus | null;
  currency: string;
  subtotal: number;
  total: number;
  /** Stripe Tax's tax inside `total` (0 without tax). */
  tax: number;
  /** `total` less its tax. */
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
  /** Recur's own download route; null until Stripe has made the PDF (a finalized invoice). */
  pdf_url: string | null;
  paid_at: string | null;
  created_at: string;
}

export interface InvoicePage {
  data: InvoiceView[];
  next_cursor: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function invoiceView(row: InvoiceRow): InvoiceView {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    customer_id: row.customerId,
    subscription_id: row.subscriptionId,
    subscription_status: row.subscriptionStatus
      ? recurStatus(row.subscriptionStatus, row.subscriptionPaymentAction)
      : null,
    currency: row.currency,
    subtotal: row.subtotal,
    total: row.total,
    tax: row.tax,
    total_excluding_tax: row.total - row.tax,
    amount_due: row.amountDue,
    amount_paid: row.amountPaid,
    amount_remaining: row.amountRemaining,
    period_start: iso(row.periodStart),
    period_end: iso(row.periodEnd),
    billing_reason: row.billingReason,
    attempt_count: row.attemptCount,
    next_payment_attempt: iso(row.nextPaymentAttempt),
    hosted_invoice_url: row.hostedInvoiceUrl,
    pdf_url: hasPdf(row) ? `/api/invoices/${row.id}/pdf` : null,
    paid_at: iso(row.paidAt),
    created_at: row.createdAt.toISOString(),
  };
}

const hasPdf = (row: InvoiceRow) => row.status !== 'draft' && row.invoicePdf !== null;

/**
 * API keys see all invoices. A user sees their own, or with `organizationId` an organisation's, as
 * its owner or billing admin only (see payerOf).
 */
async function scopeOf(
  db: Db,
  principal: Principal,
  organizationId: string | undefined,
): Promise<InvoiceFilter> {
  if (principal.kind !== 'user') return {};
  const payer = await payerOf(db, principal, organizationId);
  return payer.kind === 'user' ? { userId: payer.userId } : { organizationId: payer.organizationId };
}

/** Billing history, read from the mirror; PDFs are fetched from Stripe when downloaded. */
export class InvoiceService {
  constructor(private readonly deps: { db: Db; documents: StripeInvoiceDocuments }) {}

  async list(
    principal: Principal,
    filter: InvoiceFilter,
    page: SortedPage<InvoiceSort>,
    organizationId?: string,
  ): Promise<InvoicePage> {
    const scope = await scopeOf(this.deps.db, principal, organizationId);
    const rows = await repo.list(this.deps.db, { ...filter, ...scope }, page);
    return {
      data: rows.slice(0, page.limit).map(invoiceView),
      next_cursor: nextSortCursor(invoiceSortColumns, rows, page.limit, page.sort),
    };
  }

  async get(principal: Principal, id: string): Promise<InvoiceView> {
    return invoiceView(await this.find(principal, id));
  }

  async pdf(principal: Principal, id: string): Promise<{ filename: string; pdf: InvoicePdf }> {
    const row = await this.find(principal, id);
    if (!hasPdf(row)) {
      throw new ConflictError(
        'pdf_not_available',
        `Invoice '${id}' is a ${row.status} invoice without a PDF; Stripe makes one when it is finalized`,
      );
    }
    const filename = `${(row.number ?? row.id).replace(/[^\w.-]/g, '_')}.pdf`;
    return { filename, pdf: await this.deps.documents.fetchPdf(row.invoicePdf!) };
  }

  /** Someone else's invoice is "not found", so its existence is not disclosed (see assertOwnerAccess). */
  private async find(principal: Principal, id: string): Promise<InvoiceRow> {
    const { db } = this.deps;
    const notFound = () => new NotFoundError('Invoice', id);
    const row = await repo.findById(db, id);
    if (!row) throw notFound();
    await assertOwnerAccess(db, principal, await repo.ownerOf(db, row.customerId), notFound);
    return row;
  }
}
