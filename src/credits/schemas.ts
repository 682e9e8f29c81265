import { z } from 'zod';
import { CREDIT_MOVEMENTS } from '../db/schema/index.js';
import { dateTime, idText, text } from '../http/input.js';
import { cursorParam } from '../http/pagination.js';
import { exactlyOnePayer } from '../organizations/context-schemas.js';
import { currencyCode } from '../plans/amount-schemas.js';
import { isSupportedCurrency, MAXIMUM_AMOUNT } from '../plans/currencies.js';

const feature = idText(64).describe('The usage feature (a benefit key, such as ai_credits)');

export const adminGrantBody = z
  .object({
    user_id: idText().optional().describe('The host app’s user who receives the credits'),
    organization_id: idText().optional().describe('Instead of user_id: the organisation'),
    feature,
    amount: z.number().int().positive().max(1_000_000_000).describe('Credits to grant (> 0)'),
    reason: text(500).trim().min(1).describe('Why: kept in the ledger and the audit trail'),
    expires_at: dateTime().optional().describe('When the credits expire (in the future); absent: never'),
  })
  .strict()
  .superRefine(exactlyOnePayer);
export type AdminGrantInput = z.infer<typeof adminGrantBody>;

export const adminAccountCreditBody = z
  .object({
    user_id: idText().optional().describe('The host app’s user whose customer receives the credit'),
    organization_id: idText().optional().describe('Instead of user_id: the organisation'),
    amount: z
      .number()
      .int()
      .positive()
      .max(MAXIMUM_AMOUNT)
      .describe('Money to credit, in minor units of `currency` (> 0): 500 is $5.00'),
    currency: currencyCode
      .refine(isSupportedCurrency, 'is not a currency Recur bills in')
      .describe('Three-letter ISO code; the customer’s own currency once it has one'),
    reason: text(350).trim().min(1).describe('Why: Stripe shows it on the balance transaction; audited'),
  })
  .strict()
  .superRefine(exactlyOnePayer);
export type AdminAccountCreditInput = z.infer<typeof adminAccountCreditBody>;

/** Money on the payer's Stripe invoice balance, as the payer reads it. */
export const accountCreditView = z
  .object({
    amount: z
      .number()
      .int()
      .describe(
        'Minor units: a credit the next invoices take when positive, owed and added to them when negative',
      ),
    currency: z.string(),
  })
  .describe('The payer’s account credit in Stripe (its customer’s invoice balance)');

export const accountCreditGrantView = z.object({
  transaction_id: z.string().describe('Stripe’s customer balance transaction'),
  customer_id: z.string(),
  amount: z.number().int().describe('The credit granted, in minor units'),
  currency: z.string(),
  account_credit: accountCreditView.describe('The account credit after the grant'),
});
export type AccountCreditGrantView = z.infer<typeof accountCreditGrantView>;

const ledgerPage = {
  feature: feature.optional().describe('One feature’s movements only'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: cursorParam(),
};

export const adminCreditsQuery = z
  .object({
    user_id: idText().optional(),
    organization_id: idText().optional(),
    ...ledgerPage,
  })
  .strict()
  .superRefine(exactlyOnePayer);

export const meCreditsQuery = z
  .object({
    org: idText().optional().describe('One organisation’s credits (its id); absent: the user’s own'),
    ...ledgerPage,
  })
  .strict();

export const ledgerEntryView = z.object({
  id: z.string(),
  feature: z.string(),
  amount: z
    .number()
    .int()
    .describe('Positive for a grant or a release, negative for a draw, an expiry or a revocation'),
  movement: z.enum(CREDIT_MOVEMENTS),
  reason: z.string().nullable(),
  reference: z
    .string()
    .nullable()
    .describe('What caused it: an invoice, a Checkout Session, a reservation …'),
  lot_id: z.string(),
  created_at: z.string(),
});

export const creditsView = z
  .object({
    payer: z.object({ kind: z.enum(['user', 'organization']), id: z.string() }),
    balances: z
      .array(
        z.object({
          feature: z.string(),
          balance: z
            .number()
            .int()
            .describe('Credits usable now (unexpired); negative while more is owed than held'),
          owed: z
            .number()
            .int()
            .describe('Credits used beyond the balance, paid first from the next credits granted or bought'),
          next_expiry: z.string().nullable().describe('When the soonest of them expire; null: none expire'),
        }),
      )
      .describe('Per feature the payer ever held credits of'),
    account_credit: accountCreditView
      .nullable()
      .describe('Money on the payer’s invoice balance in Stripe; null when there is none'),
    ledger: z.object({
      data: z.array(ledgerEntryView).describe('Every movement, newest first'),
      next_cursor: z.string().nullable(),
    }),
  })
  .describe('Credits');
export type CreditsView = z.infer<typeof creditsView>;

export const grantView = z.object({
  lot_id: z.string(),
  feature: z.string(),
  amount: z.number().int(),
  expires_at: z.string().nullable(),
  balance: z.number().int().describe('The payer’s balance of the feature after the grant'),
});
export type GrantView = z.infer<typeof grantView>;
