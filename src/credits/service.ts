import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { recordAudit } from '../audit/record.js';
import { customerRepository } from '../customers/repository.js';
import type { Db } from '../db/client.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { decodeCursor, pageOf } from '../http/pagination.js';
import { organizationRepository } from '../organizations/repository.js';
import { newId } from '../shared/ids.js';
import { stripeIdempotencyKey } from '../stripe/client.js';
import type { StripeCustomers } from '../stripe/customers.js';
import { creditLedgerRepository, type PayerKey } from '../usage/credits-ledger.js';
import { creditReadRepository } from './repository.js';
import type {
  AccountCreditGrantView,
  AdminAccountCreditInput,
  AdminGrantInput,
  CreditsView,
  GrantView,
} from './schemas.js';

interface LedgerQuery {
  feature?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Credits as people see and grant them: balances with the ledger, and an admin's grant with a reason. */
export class CreditService {
  constructor(
    private readonly deps: { db: Db; logger: Logger; stripe: Pick<StripeCustomers, 'creditBalance'> },
  ) {}

  /** The payer's live Stripe customer, as mirrored; null when it has none (yet). */
  private customerOf(payer: PayerKey) {
    return payer.payerKind === 'user'
      ? customerRepository.findByExternalId(this.deps.db, payer.payerId)
      : customerRepository.findByOrganizationId(this.deps.db, payer.payerId);
  }

  /** The payer an admin names: a user of the host app, or an organisation Recur knows (else 404). */
  private async named(input: { user_id?: string | undefined; organization_id?: string | undefined }) {
    if (input.organization_id === undefined) return { payerKind: 'user', payerId: input.user_id! } as const;
    if (!(await organizationRepository.find(this.deps.db, input.organization_id)))
      throw new NotFoundError('Organization', input.organization_id);
    return { payerKind: 'organization', payerId: input.organization_id } as const;
  }

  /**
   * Grants credits by hand, with the reason kept in the ledger and the audit trail (in the grant's
   * transaction). A retried request with its Idempotency-Key is answered from the first.
   */
  async grant(input: AdminGrantInput, now = new Date()): Promise<GrantView> {
    const payer = await this.named(input);
    const expiresAt = input.expires_at === undefined ? null : new Date(input.expires_at);
    if (expiresAt && expiresAt <= now)
      throw new ValidationError('expires_at_past', 'expires_at must be in the future', {
        field: 'expires_at',
      });
    return this.deps.db.transaction(async (tx) => {
      const { lot } = await creditLedgerRepository.grant(tx, {
        ...payer,
        feature: input.feature,
        amount: input.amount,
        source: 'admin',
        sourceRef: newId('cgr'),
        expiresAt,
        reason: input.reason,
      });
      const balance = await creditLedgerRepository.balance(tx, payer, input.feature, now);
      await recordAudit(tx, {
        action: 'credits.grant',
        objectType: 'credit_lot',
        objectId: lot.id,
        after: {
          payer_kind: payer.payerKind,
          payer_id: payer.payerId,
          feature: input.feature,
          amount: input.amount,
          reason: input.reason,
          expires_at: expiresAt?.toISOString() ?? null,
        },
      });
      this.deps.logger.info(
        { lotId: lot.id, feature: input.feature, amount: input.amount },
        'credits granted',
      );
      return {
        lot_id: lot.id,
        feature: lot.feature,
        amount: lot.granted,
        expires_at: lot.expiresAt?.toISOString() ?? null,
        balance,
      };
    });
  }

  /**
   * Credits money to the payer's Stripe customer, with a reason: a customer balance transaction,
   * which Stripe takes off the next invoices it finalizes. Stripe first, then the audit trail
   * records what Stripe answered; the mirror's balance follows with the `customer.updated` event.
   * A retried request with its Idempotency-Key is answered from the first, and Stripe is asked once.
   */
  async grantAccountCredit(
    input: AdminAccountCreditInput,
    options: { idempotencyKey?: string | undefined } = {},
  ): Promise<AccountCreditGrantView> {
    const payer = await this.named(input);
    const customer = await this.customerOf(payer);
    if (!customer)
      throw new AppError(
        404,
        'no_customer',
        `The ${payer.payerKind} '${payer.payerId}' has no Stripe customer yet: it gets one with its first checkout or subscription`,
      );
    const billed = await customerRepository.billedCurrency(this.deps.db, customer);
    if (billed && billed !== input.currency)
      throw new ConflictError(
        'currency_mismatch',
        `The customer is billed in ${billed.toUpperCase()}: its credit must be in that currency`,
        { currency: billed },
      );
    const audit = { action: 'credits.account_credit', objectType: 'customer', objectId: customer.id };
    let transaction: Stripe.CustomerBalanceTransaction;
    try {
      transaction = await this.deps.stripe.creditBalance(
        customer.id,
        { amount: input.amount, currency: input.currency, description: input.reason },
        stripeIdempotencyKey('account-credit', options.idempotencyKey, customer.id),
      );
    } catch (error) {
      await recordAudit(this.deps.db, {
        ...audit,
        outcome: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    await recordAudit(this.deps.db, {
      ...audit,
      before: { balance: transaction.ending_balance - transaction.amount },
      after: {
        balance: transaction.ending_balance,
        transaction_id: transaction.id,
        amount: input.amount,
        currency: transaction.currency,
        reason: input.reason,
      },
    });
    this.deps.logger.info(
      { customerId: customer.id, transactionId: transaction.id, amount: input.amount },
      'account credit granted in Stripe',
    );
    return {
      transaction_id: transaction.id,
      customer_id: customer.id,
      amount: input.amount,
      currency: transaction.currency,
      account_credit: { amount: -transaction.ending_balance, currency: transaction.currency },
    };
  }

  /** An admin's read of a payer's credits. */
  async ofPayer(
    input: { user_id?: string | undefined; organization_id?: string | undefined },
    query: LedgerQuery,
  ): Promise<CreditsView> {
    return this.read(await this.named(input), query);
  }

  /** The user's own credits, or one organisation's of which they are a member (else 404). */
  async ofUser(userId: string, organizationId: string | undefined, query: LedgerQuery): Promise<CreditsView> {
    if (organizationId === undefined) return this.read({ payerKind: 'user', payerId: userId }, query);
    if (!(await organizationRepository.member(this.deps.db, organizationId, userId)))
      throw new NotFoundError('Organization', organizationId);
    return this.read({ payerKind: 'organization', payerId: organizationId }, query);
  }

  private async read(payer: PayerKey, query: LedgerQuery): Promise<CreditsView> {
    const { db } = this.deps;
    const page = { limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined };
    const [balances, rows, customer] = await Promise.all([
      creditReadRepository.balances(db, payer),
      creditReadRepository.ledger(db, payer, { feature: query.feature }, page),
      this.customerOf(payer),
    ]);
    return {
      payer: { kind: payer.payerKind, id: payer.payerId },
      account_credit:
        customer?.currency && customer.balance !== 0
          ? { amount: -customer.balance, currency: customer.currency }
          : null,
      balances: balances.map((b) => ({
        feature: b.feature,
        balance: b.balance,
        owed: b.owed,
        next_expiry: b.nextExpiry?.toISOString() ?? null,
      })),
      ledger: pageOf(
        rows,
        query.limit,
        (row) => ({ at: row.createdAt, id: row.id }),
        (row) => ({
          id: row.id,
          feature: row.feature,
          amount: row.amount,
          movement: row.movement,
          reason: row.reason,
          reference: row.reference,
          lot_id: row.lotId,
          created_at: row.createdAt.toISOString(),
        }),
      ),
    };
  }
}
