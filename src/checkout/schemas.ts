import { z } from 'zod';
import { idText, text } from '../http/input.js';
import { orgContextField } from '../organizations/context-schemas.js';

const url = text(2048).min(1);

export const createCheckoutBody = z
  .object({
    plan_id: idText().describe('The plan’s id or key'),
    price_id: idText()
      .optional()
      .describe('One of the plan’s active prices (Recur or Stripe id); instead of interval/currency'),
    interval: z
      .enum(['day', 'week', 'month', 'year'])
      .optional()
      .describe('Picks the plan’s price by interval'),
    interval_count: z.number().int().min(1).max(365).optional(),
    currency: z
      .string()
      .length(3)
      .regex(/^[a-zA-Z]{3}$/, 'must be a three-letter ISO currency code')
      .transform((c) => c.toLowerCase())
      .optional(),
    quantity: z.number().int().min(1).max(10_000).default(1).describe('Seats'),
    trial_days: z
      .number()
      .int()
      .min(0)
      .max(730)
      .optional()
      .describe('Days of free trial; defaults to the plan’s trial_days, 0 for none'),
    coupon: idText().optional().describe('A Stripe coupon id'),
    promotion_code: idText().optional().describe('A customer-facing promotion code'),
    organization_id: orgContextField,
    success_url: url.optional().describe('Defaults to the app URL; must be on one of the app’s origins'),
    cancel_url: url.optional().describe('Defaults to the app URL; must be on one of the app’s origins'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.price_id !== undefined) {
      for (const field of ['interval', 'interval_count', 'currency'] as const) {
        if (body[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'is not allowed with price_id' });
      }
    }
    if (body.coupon !== undefined && body.promotion_code !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['promotion_code'], message: 'is not allowed with coupon' });
    }
  });
export type CreateCheckoutInput = z.infer<typeof createCheckoutBody>;

export const checkoutSessionView = z.object({
  id: z.string(),
  url: z.string().describe('The hosted payment page to send the user to'),
  expires_at: z.string(),
});
export type CheckoutSessionView = z.infer<typeof checkoutSessionView>;

export const createPortalBody = z
  .object({
    return_url: url.optional().describe('Defaults to the app URL; must be on one of the app’s origins'),
    organization_id: orgContextField,
  })
  .strict()
  .nullish();

export const portalSessionView = z.object({ url: z.string() });
