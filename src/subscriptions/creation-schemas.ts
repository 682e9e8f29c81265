import { z } from 'zod';
import { idText, text } from '../http/input.js';
import { RECUR_STATUSES, STRIPE_STATUSES } from './status.js';

export const createSubscriptionBody = z
  .object({
    plan_id: idText().describe('The plan, by id (plan_…) or key'),
    customer_email: text(254)
      .min(1)
      .optional()
      .describe('The customer is found by this email, or created in Stripe with it'),
    organization_id: idText()
      .optional()
      .describe(
        'Instead of customer_email: the organisation (the host app’s id) that pays; its customer is made on first need',
      ),
    provider: z
      .enum(['stripe', 'external'])
      .default('stripe')
      .describe(
        '`stripe` (default): Stripe bills it. `external`: another provider collects the payments and reports them to POST /api/webhooks/payment',
      ),
    interval: z
      .enum(['day', 'week', 'month', 'year'])
      .optional()
      .describe('Picks the plan’s active price with this billing interval'),
    currency: text(3)
      .regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO currency code')
      .transform((c) => c.toLowerCase())
      .optional()
      .describe('Picks the plan’s active price in this currency (ISO code, e.g. `usd`)'),
    price_id: idText()
      .optional()
      .describe(
        'Picks one of the plan’s active prices (id or Stripe price id). Default: the monthly price (in `currency` when given), else the only active one',
      ),
    quantity: z.number().int().min(1).max(10_000).default(1).describe('Seats or units'),
    trial_days: z
      .number()
      .int()
      .min(0)
      .max(730)
      .optional()
      .describe('Free days before the first payment; default: the plan’s trial_days'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.customer_email === undefined) === (body.organization_id === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['customer_email'],
        message: 'give exactly one of customer_email and organization_id',
      });
    }
    if (body.price_id !== undefined && (body.interval !== undefined || body.currency !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['price_id'],
        message: 'give price_id, or interval and currency, not both',
      });
    }
  });
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionBody>;

export const createdSubscription = z
  .object({
    subscription_id: z.string(),
    status: z
      .enum(RECUR_STATUSES)
      .describe(
        'Recur’s status: `active` when a trial applies (`stripe_status` `trialing`), else `pending` until the first payment',
      ),
    next_billing_date: z
      .string()
      .describe('UTC date (YYYY-MM-DD) the current period ends and the next payment is due'),
    stripe_status: z
      .enum(STRIPE_STATUSES)
      .nullable()
      .describe(
        'Stripe’s own status of the subscription; null for an external one, which Stripe does not hold',
      ),
    provider: z.enum(['stripe', 'external']),
    customer_id: z.string(),
    plan_id: z.string(),
    price_id: z.string().describe('The Stripe price billed'),
    quantity: z.number().int(),
    currency: z.string(),
  })
  .describe('CreatedSubscription');
export type CreatedSubscription = z.infer<typeof createdSubscription>;
