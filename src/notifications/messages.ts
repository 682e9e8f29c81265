import type { NotificationKind } from '../db/schema/index.js';

/** What a customer reads. Built from the outbox row's data: amounts, dates, links; never card data. */
export interface NotificationContent {
  subject: string;
  text: string;
}

/** Minor units to a display amount, with the currency's own number of decimals (0 for JPY). */
export function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

const day = (iso: unknown) =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleDateString('en-US', { timeZone: 'UTC', dateStyle: 'long' })
    : null;

const str = (value: unknown) => (typeof value === 'string' ? value : null);

export function renderNotification(
  kind: NotificationKind,
  data: Record<string, unknown>,
  name: string | null,
): NotificationContent {
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const amount =
    typeof data.amount === 'number' && typeof data.currency === 'string'
      ? formatAmount(data.amount, data.currency)
      : null;
  const link = str(data.hosted_invoice_url);
  const lines = (...body: Array<string | null | false>) =>
    [greeting, '', ...body.filter((l): l is string => typeof l === 'string'), '', 'Thank you.'].join('\n');

  switch (kind) {
    case 'payment_failed': {
      const next = day(data.next_payment_attempt);
      return {
        subject: amount ? `Your payment of ${amount} failed` : 'Your payment failed',
        text: lines(
          `We could not collect your payment${amount ? ` of ${amount}` : ''}.`,
          next ? `We will try again on ${next}.` : 'We will not retry it automatically.',
          link ? `You can update your card and pay here: ${link}` : null,
        ),
      };
    }
    case 'payment_action_required':
      return {
        subject: amount ? `Confirm your payment of ${amount}` : 'Confirm your payment',
        text: lines(
          `Your bank asks you to confirm your payment${amount ? ` of ${amount}` : ''} (3-D Secure).`,
          'Your subscription stays available for a limited time while you do.',
          link ? `Confirm it here: ${link}` : 'Open your billing page to confirm it.',
        ),
      };
    case 'payment_recovered':
      return {
        subject: amount ? `Your payment of ${amount} went through` : 'Your payment went through',
        text: lines(
          `Your payment${amount ? ` of ${amount}` : ''} was received and your subscription is active again.`,
          link ? `Your invoice: ${link}` : null,
        ),
      };
    case 'trial_will_end': {
      const end = day(data.trial_end);
      return {
        subject: end ? `Your trial ends on ${end}` : 'Your trial ends soon',
        text: lines(
          `Your trial ends${end ? ` on ${end}` : ' soon'}.`,
          'Your subscription continues with your payment method on file after that.',
        ),
      };
    }
    case 'price_change': {
      const from =
        typeof data.amount_before === 'number'
          ? formatAmount(data.amount_before, String(data.currency))
          : null;
      const to = amount;
      const when = day(data.effective_at);
      const interval = str(data.interval);
      const per = interval ? ` per ${interval}` : '';
      return {
        subject: to
          ? `Your subscription's price changes to ${to}${per}`
          : "Your subscription's price changes",
        text: lines(
          `Your subscription's price changes${from ? ` from ${from}` : ''}${to ? ` to ${to}` : ''}${per}.`,
          data.timing === 'renewal'
            ? when
              ? `The new price applies from your renewal on ${when}; until then nothing changes.`
              : 'The new price applies from your next renewal.'
            : `The new price applies from ${when ?? 'today'}.`,
        ),
      };
    }
    case 'subscription_cancelled': {
      const ended = day(data.ended_at);
      return {
        subject: 'Your subscription was cancelled',
        text: lines(`Your subscription was cancelled${ended ? ` on ${ended}` : ''}.`),
      };
    }
  }
}
