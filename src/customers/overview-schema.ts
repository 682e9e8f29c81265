import { z } from 'zod';
import { creditsView } from '../credits/schemas.js';
import { disputeView } from '../disputes/routes.js';
import { entitlementsView } from '../entitlements/routes.js';
import { invoiceViewSchema } from '../invoices/routes.js';
import { subscriptionListItem } from '../subscriptions/views.js';
import { customerView } from './routes.js';

const nullableText = z.string().nullable();
const money = { amount: z.number().int().describe('Minor units'), currency: z.string() };

/** GET /api/admin/customers/:id/overview: one customer whole, as the customer page shows it. */
export const overviewView = z
  .object({
    customer: customerView,
    organization_name: nullableText.describe('The organisation’s name, for an organisation’s customer'),
    subscriptions: z.array(subscriptionListItem),
    history: z
      .array(
        z.object({
          id: z.string(),
          at: z.string(),
          source: z.enum(['mrr', 'audit']).describe('`mrr`: a movement of MRR; `audit`: an audited write'),
          subscription_id: nullableText,
          kind: z.string().describe('The movement (new, expansion, …) or the audited action'),
          plan_id: nullableText,
          currency: nullableText,
          mrr_delta: z.number().int().nullable(),
          mrr_after: z.number().int().nullable(),
          object_type: nullableText,
          actor_type: nullableText,
          outcome: nullableText,
        }),
      )
      .describe('Status and plan changes of the customer and its subscriptions, newest first'),
    invoices: z.array(invoiceViewSchema),
    payments: z.array(
      z.object({
        id: z.string(),
        payment_intent_id: nullableText,
        status: z.string(),
        ...money,
        amount_refunded: z.number().int(),
        paid: z.boolean(),
        refunded: z.boolean(),
        failure_code: nullableText,
        card: nullableText.describe('Brand and last four digits'),
        created_at: z.string(),
      }),
    ),
    refunds: z.array(
      z.object({
        id: z.string(),
        charge_id: nullableText,
        payment_intent_id: nullableText,
        invoice_id: nullableText.describe('The invoice the refunded payment paid'),
        ...money,
        status: nullableText,
        reason: nullableText,
        created_at: z.string(),
      }),
    ),
    disputes: z.array(disputeView),
    entitlements: entitlementsView
      .pick({ benefits: true, sources: true, subscriptions: true, purchases: true, usage: true })
      .nullable()
      .describe('What the customer’s user or organisation may do now, with usage; null for neither'),
    credits: creditsView.nullable(),
    events: z
      .array(
        z.object({
          id: z.string(),
          stripe_id: z.string(),
          type: z.string(),
          object_id: nullableText,
          status: z.string(),
          occurred_at: z.string(),
          payload: z.unknown().describe('Redacted: personal fields, secrets and card identifiers removed'),
        }),
      )
      .describe('Stored events about the customer and its objects, newest first'),
  })
  .describe('CustomerOverview');

export type CustomerOverview = z.infer<typeof overviewView>;
