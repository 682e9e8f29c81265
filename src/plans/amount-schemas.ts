import { z } from 'zod';

/** A price's amount as an admin writes it: per unit, or tiered (graduated or volume), in minor units. */
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

export const amountFields = {
  unit_amount: z.number().int().min(0).optional().describe('Amount in minor units (e.g. cents)'),
  tiers: z.array(tierInput).min(1).max(250).optional(),
  tiers_mode: z.enum(['graduated', 'volume']).optional(),
};

export function exactlyOneAmount(
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

export const currencyCode = z
  .string()
  .length(3)
  .regex(/^[a-zA-Z]{3}$/, 'must be a three-letter ISO currency code')
  .transform((c) => c.toLowerCase());
