import { z } from 'zod';
import { idText, text } from '../http/input.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (YYYY-MM-DD) that exists, or an ISO 8601 date-time with a UTC offset. */
function paymentInstant(value: string): Date | null {
  if (DATE_ONLY.test(value)) {
    const at = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value) ? at : null;
  }
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The body a payment provider posts: the generic contract. */
export const paymentNoticeBody = z.object({
  subscription_id: idText(),
  event: z.enum(['payment_success', 'payment_failed']),
  amount: z.number().int().positive().max(99_999_999_999).describe('Minor units (cents)'),
  date: text(40)
    .refine((v) => paymentInstant(v) !== null, 'expected an ISO date (YYYY-MM-DD) or date-time')
    .describe('When the payment happened: YYYY-MM-DD (UTC) or an ISO 8601 date-time'),
  reason: text(500).optional().describe('Why a payment failed'),
  currency: z
    .string()
    .length(3)
    .regex(/^[a-zA-Z]{3}$/, 'expected a three-letter ISO currency code')
    .optional()
    .describe('Must be the subscription’s currency when given'),
});
export type PaymentNoticeBody = z.infer<typeof paymentNoticeBody>;

/** What the inbox event about a reported payment carries, for the worker's handler. */
export interface PaymentNotice {
  id: string;
  object: 'subscription';
  provider: 'stripe' | 'external';
  outcome: 'success' | 'failed';
  amount: number;
  currency: string;
  /** The UTC day of the payment, and its instant (midnight UTC for a bare date). */
  paid_on: string;
  paid_at: string;
  reason: string | null;
  /** The open invoice a success pays, for a Stripe-managed subscription. */
  invoice_id: string | null;
}

export const PAYMENT_EVENT_TYPES = {
  success: 'payment_provider.payment_success',
  failed: 'payment_provider.payment_failed',
} as const;

export function paymentInstantOf(date: string): Date {
  const at = paymentInstant(date);
  if (!at) throw new Error(`not a payment date: ${date}`);
  return at;
}
