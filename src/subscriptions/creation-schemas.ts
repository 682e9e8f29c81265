import { z } from 'zod';
import { idText, text } from '../http/input.js';
import { RECUR_STATUSES, STRIPE_STATUSES } from './status.js';

export const createSubscriptionBody = z
  .object({
    plan_id: idText().describe('The plan, by id (plan_…) or key'),
    customer_email: text(254)
      .min(1)
      .describe('The customer is found by this email, or created in Stripe with it'),
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
    price_id: idText()
      .optional()
      .describe(
        'Picks one of the plan’s active prices (id or Stripe price id). Default: the monthly price, else the only active one',
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
    if (body.interval !== undefined && body.price_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['price_id'], message: 'give price_id or interval, not both' });
    }
  });
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionBody>;

export const createdSubscription = z
  .object({
    subscription_id: z.string(),
    status: z.enum(RECUR_STATUSES).describe('Recur’s status (see the mapping in the route description)'),
    next_billing_date: z
      .string()
      .describe('UTC date (YYYY-MM-DD) the current period ends and the next payment is due'),
    stripe_status: z.enum(STRIPE_STATUSES).describe('Stripe’s own status of the subscription'),
    provider: z.enum(['stripe', 'external']),
    customer_id: z.string(),
    plan_id: z.string(),
    price_id: z.string().describe('The Stripe price billed'),
    quantity: z.number().int(),
    currency: z.string(),
  })
  .describe('CreatedSubscription');
export type CreatedSubscription = z.infer<typeof createdSubscription>;
