import type Stripe from 'stripe';
import { callStripe } from './errors.js';

/**
 * The Stripe half of turning Stripe Tax on: whether the account would calculate tax for the
 * prices Recur sells. Each reason is one thing Stripe would refuse, in words an operator can act on.
 */
export class StripeTax {
  constructor(private readonly stripe: Stripe) {}

  /**
   * Why a price Recur creates now (it sets no tax behaviour of its own) could not be taxed: the
   * account has no default tax behaviour. Null when it has one.
   */
  async newPriceRefusal(): Promise<string | null> {
    const settings = await callStripe(() => this.stripe.tax.settings.retrieve());
    return settings.defaults.tax_behavior === null
      ? "New prices have no tax behavior and the Stripe account has no default one: set a default tax behavior in Stripe's tax settings, or turn Stripe Tax off, before adding a price"
      : null;
  }

  async refusals(stripePriceIds: string[]): Promise<string[]> {
    const settings = await callStripe(() => this.stripe.tax.settings.retrieve());
    const reasons: string[] = [];
    // https://docs.stripe.com/tax/settings-api: tax is calculated only while the settings are active.
    if (settings.status !== 'active') {
      const missing = settings.status_details.pending?.missing_fields ?? [];
      reasons.push(
        `Stripe Tax is not active on the Stripe account (tax settings ${settings.status}${
          missing.length ? `, missing ${missing.join(', ')}` : ''
        }): set the head office address in Stripe's tax settings first`,
      );
    }
    // https://docs.stripe.com/tax/products-prices-tax-codes-tax-behavior: a price's tax behaviour,
    // or the account's default, must say whether its amount includes tax.
    if (settings.defaults.tax_behavior === null) {
      const unspecified: string[] = [];
      for (const id of stripePriceIds) {
        const price = await callStripe(() => this.stripe.prices.retrieve(id));
        if (price.tax_behavior === null || price.tax_behavior === 'unspecified') unspecified.push(id);
      }
      if (unspecified.length > 0)
        reasons.push(
          `Prices ${unspecified.join(', ')} have no tax behavior and the Stripe account has no default one: set a default tax behavior in Stripe's tax settings`,
        );
    }
    return reasons;
  }
}
