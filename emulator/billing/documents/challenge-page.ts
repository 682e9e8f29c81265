// The 3D Secure challenge a card issuer shows, as Stripe's test mode shows it: the tester completes
// or fails it (https://docs.stripe.com/testing#regulatory-cards). Plain HTML with no scripts, one
// form whose two buttons post `outcome=complete` or `outcome=fail` to `action`.

import { escapeHtml } from './hosted-page.js';
import { formatMoney } from './money.js';

export interface Challenge {
  /** Who asks: the business or invoice the payment is for. */
  merchant: string;
  amount: number;
  currency: string;
  /** `Visa •••• 3184` */
  card: string;
  action: string;
  /** Extra form fields carried through the challenge (Checkout's email and card choice). */
  hidden?: Record<string, string>;
}

export function challengePage(challenge: Challenge): string {
  const hidden = Object.entries(challenge.hidden ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>3D Secure authentication</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 30rem; margin: 3rem auto; padding: 0 1rem; color: #1a1f36; }
  .test { background: #fff4e5; border-radius: 6px; padding: .5rem .75rem; font-size: .9rem; }
  button { font: inherit; padding: .55rem 1.2rem; border: 0; border-radius: 6px; background: #635bff; color: #fff; cursor: pointer; margin-right: .5rem; }
  button.fail { background: #e3e8ee; color: #1a1f36; }
</style>
</head>
<body>
<main>
<h1>3D Secure authentication</h1>
<p class="test">Test mode: this page stands in for the card issuer's challenge.</p>
<p>${escapeHtml(challenge.merchant)} asks you to ${
    challenge.amount > 0
      ? `confirm a payment of <strong>${escapeHtml(formatMoney(challenge.amount, challenge.currency))}</strong>`
      : 'confirm that you may be charged later'
  } with ${escapeHtml(challenge.card)}.</p>
<form method="post" action="${escapeHtml(challenge.action)}">
${hidden}
<button type="submit" name="outcome" value="complete">Complete authentication</button>
<button type="submit" name="outcome" value="fail" class="fail">Fail authentication</button>
</form>
</main>
</body>
</html>
`;
}
