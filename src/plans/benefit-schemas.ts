import { z } from 'zod';
import {
  type Benefit,
  type BenefitValue,
  OVERAGE_RULES,
  type OverageRule,
  USAGE_RESETS,
  type UsageReset,
} from '../db/schema/plans.js';
import { idText } from '../http/input.js';
import { amountFields, currencyCode, exactlyOneAmount, type TierInput } from './amount-schemas.js';

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
