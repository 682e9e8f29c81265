/**
 * Currencies Recur accepts for plan prices, with Stripe's minimum charge in minor units (from
 * Stripe's "minimum and maximum charge amounts" table). A recurring price below the minimum could
 * never be charged; 0 stays allowed for free plans, which Stripe never charges.
 */
export const MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/** Stripe's maximum amount: eight digits in minor units. */
export const MAXIMUM_AMOUNT = 99_999_999;

export function isSupportedCurrency(currency: string): boolean {
  return Object.hasOwn(MINIMUM_CHARGE, currency);
}
