import { z } from 'zod';
import {
  type Benefit,
  type BenefitValue,
  OVERAGE_RULES,
  type OverageRule,
  PLAN_KINDS,
  PRICE_INTERVALS,
  USAGE_RESETS,
  type UsageReset,
} from '../db/schema/plans.js';
import { idParams, idText, text } from '../http/input.js';

export const tierInput = z
  .object({
    up_to: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe('Inclusive upper bound; null for the last, open tier'),
    unit_amount: z.number().int().min(0).optional().describe('Per-unit amount in minor units'),
    flat_amount: z.number().int().min(0).optional().describe('Flat amount for the tier in minor units'),
  })
  .strict();
export type TierInput = z.infer<typeof tierInput>;

const amountFields = {
  unit_amount: z.number().int().min(0).optional().describe('Amount in minor units (e.g. cents)'),
  tiers: z.array(tierInput).min(1).max(250).optional(),
  tiers_mode: z.enum(['graduated', 'volume']).optional(),
};

function exactlyOneAmount(
  price: {
    unit_amount?: number | undefined;
    tiers?: TierInput[] | undefined;
    tiers_mode?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  if ((price.unit_amount === undefined) === (price.tiers === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['unit_amount'],
      message: 'give exactly one of unit_amount or tiers',
    });
  }
  if (price.tiers && !price.tiers_mode) {
    ctx.addIssue({
      code: 'custom',
      path: ['tiers_mode'],
      message: 'is required with tiers (graduated or volume)',
    });
  }
  if (!price.tiers && price.tiers_mode) {
    ctx.addIssue({ code: 'custom', path: ['tiers_mode'], message: 'is only allowed with tiers' });
  }
}

const currencyCode = z
  .string()
  .length(3)
  .regex(/^[a-zA-Z]{3}$/, 'must be a three-letter ISO currency code')
  .transform((c) => c.toLowerCase());

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

const overagePriceInput = z
  .object({
    currency: currencyCode,
    ...amountFields,
  })
  .strict()
  .superRefine(exactlyOneAmount);

/**
 * A benefit as an admin writes it: a flag, number or text (`value`); a metered limit (`limit`, with
 * its `reset` and `overage` rule); or a credit grant (`credits`). Stored as the `Benefit` type says:
 * the limit or the number of credits is its `value`.
 */
export const benefitInput = z
  .object({
    key: idText(64).describe('Entitlement key, a slug such as seats, priority_support or api_calls'),
    value: z
      .union([z.boolean(), z.number().int().min(0), idText(200)])
      .optional()
      .describe('true for a flag, a number for a limit, a text otherwise (not with limit or credits)'),
    limit: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('A metered limit: the units usable per period (POST /api/usage counts them)'),
    reset: z
      .enum(USAGE_RESETS)
      .optional()
      .describe(
        'With limit (required): when the count starts again: UTC calendar day, week (Monday), month, year; the subscription’s own billing_period; or never',
      ),
    overage: z
      .enum(OVERAGE_RULES)
      .optional()
      .describe(
        'With limit: beyond it, `block` (default) refuses, `bill` charges overage_prices through a Stripe meter (reset: billing_period only), `credits` draws from the payer’s credits',
      ),
    overage_prices: z
      .array(overagePriceInput)
      .min(1)
      .max(20)
      .optional()
      .describe('With overage: bill (required): the price of a unit beyond the limit, one per currency'),
    credits: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('A credit grant: the credits given each period (or once, for a one-time purchase)'),
    rollover: z
      .boolean()
      .optional()
      .describe('With credits: unused credits carry over to the next period (default false)'),
    expires_after_days: z
      .number()
      .int()
      .positive()
      .max(36_500)
      .nullable()
      .optional()
      .describe(
        'With credits: the granted credits expire this many days after the grant; null or absent: never',
      ),
  })
  .strict()
  .superRefine(benefitShape)
  .transform(toBenefit);
export type BenefitInput = z.input<typeof benefitInput>;

const LIMIT_FIELDS = ['reset', 'overage', 'overage_prices'] as const;
const CREDIT_FIELDS = ['rollover', 'expires_after_days'] as const;

/** Exactly one of value, limit or credits, and each one's own fields only with it. */
function benefitShape(
  b: {
    value?: unknown;
    limit?: number | undefined;
    reset?: string | undefined;
    overage?: string | undefined;
    overage_prices?: Array<{ currency: string }> | undefined;
    credits?: number | undefined;
    rollover?: boolean | undefined;
    expires_after_days?: number | null | undefined;
  },
  ctx: z.RefinementCtx,
) {
  // `value` beside limit or credits is allowed when it equals it: a benefit as the API shows it.
  const echoed = b.value !== undefined && (b.value === b.limit || b.value === b.credits);
  const given = (['value', 'limit', 'credits'] as const).filter(
    (f) => b[f] !== undefined && !(f === 'value' && echoed),
  );
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: given.length ? [given[1]!] : ['value'],
      message: 'give exactly one of value (flag, number, text), limit (a metered limit) or credits (a grant)',
    });
    return;
  }
  const misplaced = (fields: readonly (keyof typeof b)[], owner: string) => {
    for (const f of fields)
      if (b[f] !== undefined)
        ctx.addIssue({ code: 'custom', path: [f], message: `is only allowed with ${owner}` });
  };
  if (b.limit === undefined) misplaced(LIMIT_FIELDS, 'limit');
  if (b.credits === undefined) misplaced(CREDIT_FIELDS, 'credits');
  if (b.limit === undefined) return;
  if (b.reset === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['reset'],
      message: `is required with limit (${USAGE_RESETS.join(', ')})`,
    });
  if (b.overage === 'bill') {
    if (b.overage_prices === undefined)
      ctx.addIssue({ code: 'custom', path: ['overage_prices'], message: 'is required with overage: bill' });
    if (b.reset !== undefined && b.reset !== 'billing_period')
      ctx.addIssue({
        code: 'custom',
        path: ['reset'],
        message: 'must be billing_period with overage: bill (overage is invoiced with each period)',
      });
  } else if (b.overage_prices !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['overage_prices'], message: 'is only allowed with overage: bill' });
  }
  const currencies = b.overage_prices?.map((p) => p.currency) ?? [];
  const twice = currencies.find((c, i) => currencies.indexOf(c) !== i);
  if (twice)
    ctx.addIssue({ code: 'custom', path: ['overage_prices'], message: `lists currency '${twice}' twice` });
}

function toBenefit(b: {
  key: string;
  value?: BenefitValue | undefined;
  limit?: number | undefined;
  reset?: UsageReset | undefined;
  overage?: OverageRule | undefined;
  overage_prices?:
    | Array<{
        currency: string;
        unit_amount?: number | undefined;
        tiers?: TierInput[] | undefined;
        tiers_mode?: 'graduated' | 'volume' | undefined;
      }>
    | undefined;
  credits?: number | undefined;
  rollover?: boolean | undefined;
  expires_after_days?: number | null | undefined;
}): Benefit {
  if (b.limit !== undefined) {
    const overage = b.overage ?? 'block';
    return {
      key: b.key,
      value: b.limit,
      limit: {
        reset: b.reset ?? 'never',
        overage,
        ...(b.overage_prices
          ? {
              overagePrices: b.overage_prices.map((p) => ({
                currency: p.currency,
                unitAmount: p.unit_amount ?? null,
                tiersMode: p.tiers_mode ?? null,
                tiers:
                  p.tiers?.map((t) => ({
                    upTo: t.up_to,
                    unitAmount: t.unit_amount ?? null,
                    flatAmount: t.flat_amount ?? null,
                  })) ?? null,
              })),
            }
          : {}),
      },
    };
  }
  if (b.credits !== undefined)
    return {
      key: b.key,
      value: b.credits,
      credits: { rollover: b.rollover ?? false, expiresAfterDays: b.expires_after_days ?? null },
    };
  return { key: b.key, value: b.value! };
}

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

/**
 * A benefit as the API shows it: `value` always (the limit or the credits for a usage benefit, as
 * the entitlements merge it), and a metered limit's or a credit grant's own fields as written.
 */
export const benefitView = z.object({
  key: z.string(),
  value: z.union([z.boolean(), z.number(), z.string()]),
  limit: z.number().int().optional().describe('A metered limit: units per period (equals value)'),
  reset: z.enum(USAGE_RESETS).optional(),
  overage: z.enum(OVERAGE_RULES).optional(),
  overage_prices: z
    .array(
      z.object({
        currency: z.string(),
        unit_amount: z.number().int().optional(),
        tiers_mode: z.enum(['graduated', 'volume']).optional(),
        tiers: z
          .array(
            z.object({
              up_to: z.number().int().nullable(),
              unit_amount: z.number().int().optional(),
              flat_amount: z.number().int().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional()
    .describe('With overage: bill, as written'),
  credits: z
    .number()
    .int()
    .optional()
    .describe('A credit grant: credits given each period, or once (equals value)'),
  rollover: z.boolean().optional(),
  expires_after_days: z.number().int().nullable().optional(),
});
export type BenefitView = z.infer<typeof benefitView>;

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
