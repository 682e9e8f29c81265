import { z } from 'zod';
import { PLAN_KINDS, PRICE_INTERVALS } from '../db/schema/plans.js';
import { idParams, idText, text } from '../http/input.js';
import { amountFields, currencyCode, exactlyOneAmount } from './amount-schemas.js';
import { benefitInput, benefitView } from './benefit-schemas.js';

export { type TierInput, tierInput } from './amount-schemas.js';
export { type BenefitInput, type BenefitView, benefitInput, benefitView } from './benefit-schemas.js';

export const priceInput = z
  .object({
    currency: currencyCode,
    ...amountFields,
    interval: z
      .enum(PRICE_INTERVALS)
      .optional()
      .describe('Required for a recurring plan; absent for a one_time plan, whose prices are charged once'),
    interval_count: z.number().int().min(1).default(1),
    lookup_key: idText(200).optional().describe('At most 200 characters, as Stripe allows'),
  })
  .strict()
  .superRefine(exactlyOneAmount);
export type PriceInput = z.infer<typeof priceInput>;

export const priceAmountChange = z
  .object({ ...amountFields, force: z.boolean().default(false) })
  .strict()
  .superRefine(exactlyOneAmount);
export type PriceAmountChange = z.infer<typeof priceAmountChange>;

const planKind = z
  .enum(PLAN_KINDS)
  .describe(
    '`base`: at most one live per payer; `add_on`: bought on top, each at most once live per payer; `one_time`: bought once through Checkout in payment mode (a credit pack, a lifetime deal), never subscribed to: no trial, not per seat, prices without interval',
  );
const requiresPlans = z
  .array(idText())
  .max(50)
  .describe(
    'Add-ons only: the base plans (ids or keys) it may be bought with; the payer must hold one of them. Empty: none required',
  );

export const createPlanBody = z
  .object({
    key: idText(64).describe('Unique slug of the plan'),
    name: text(250).trim().min(1),
    description: text(1000).optional(),
    benefits: z.array(benefitInput).max(50).default([]),
    trial_days: z.number().int().min(0).default(0),
    kind: planKind.default('base'),
    requires_plans: requiresPlans.default([]),
    prices: z.array(priceInput).min(1).max(20),
    per_seat: z
      .boolean()
      .optional()
      .describe(
        'The price is per seat: a subscription’s quantity is its number of seats (per-unit prices only)',
      ),
    force: z.boolean().default(false).describe('Create even if it looks like a duplicate of another plan'),
  })
  .strict();
export type CreatePlanInput = z.infer<typeof createPlanBody>;

export const updatePlanBody = z
  .object({
    key: idText(64).optional(),
    name: text(250).trim().min(1).optional(),
    description: text(1000).nullable().optional(),
    benefits: z.array(benefitInput).max(50).optional(),
    trial_days: z.number().int().min(0).optional(),
    per_seat: z.boolean().optional().describe('Refused (409) while a subscription to the plan has not ended'),
    kind: planKind.optional().describe('Refused while the plan has subscriptions that have not ended'),
    requires_plans: requiresPlans.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });
export type UpdatePlanInput = z.infer<typeof updatePlanBody>;

export const addPriceBody = priceInput.safeExtend({ force: z.boolean().default(false) });

export const tierView = z.object({
  up_to: z.number().int().nullable(),
  unit_amount: z.number().int().nullable(),
  flat_amount: z.number().int().nullable(),
});

export const priceView = z.object({
  id: z.string(),
  stripe_price_id: z.string(),
  currency: z.string(),
  unit_amount: z.number().int().nullable(),
  billing_scheme: z.enum(['per_unit', 'tiered']),
  tiers_mode: z.enum(['graduated', 'volume']).nullable(),
  tiers: z.array(tierView).nullable(),
  interval: z.enum(PRICE_INTERVALS).nullable().describe('Null for a one-time price'),
  interval_count: z.number().int(),
  lookup_key: z.string().nullable(),
  active: z.boolean(),
  replaces_price_id: z.string().nullable(),
  created_at: z.string(),
  archived_at: z.string().nullable(),
});
export type PriceView = z.infer<typeof priceView>;

export const planView = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(['active', 'archived']),
    trial_days: z.number().int(),
    per_seat: z.boolean().describe('A subscription’s quantity is its number of seats'),
    kind: z.enum(PLAN_KINDS),
    requires_plans: z.array(z.string()).describe('For an add-on, the base plan ids one of which it needs'),
    benefits: z.array(benefitView),
    stripe_product_id: z.string(),
    prices: z.array(priceView),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('Plan');
export type PlanView = z.infer<typeof planView>;

export const planList = z.object({ data: z.array(planView) });

export const planIdParams = idParams;
export const planPriceParams = idParams.extend({ priceId: idText() });

export const listPlansQuery = z.object({
  status: z.enum(['active', 'archived', 'all']).default('active').describe('archived and all are for admins'),
});

export const deletePlanResult = z.object({
  id: z.string(),
  result: z.enum(['deleted', 'archived']),
  plan: planView.nullable(),
});
