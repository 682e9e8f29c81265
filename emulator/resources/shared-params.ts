/** Parameter shapes several resources share. */
import { invalidRequest } from '../core/errors.js';
import { p } from '../core/params.js';

export const addressParam = p.object(
  {
    city: p.string({ emptyable: true }),
    country: p.string({ emptyable: true }),
    line1: p.string({ emptyable: true }),
    line2: p.string({ emptyable: true }),
    postal_code: p.string({ emptyable: true }),
    state: p.string({ emptyable: true }),
  },
  { emptyable: true },
);

export interface AddressInput {
  city?: string | null;
  country?: string | null;
  line1?: string | null;
  line2?: string | null;
  postal_code?: string | null;
  state?: string | null;
}

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export function toAddress(input: AddressInput | null | undefined): Address | null {
  if (!input) return null;
  return {
    city: input.city ?? null,
    country: input.country ?? null,
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    postal_code: input.postal_code ?? null,
    state: input.state ?? null,
  };
}

export const EMPTY_ADDRESS: Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

/** Lower-case ISO currency codes, as Stripe stores them. */
export function currencyCode(value: string, param = 'currency'): string {
  const code = value.toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) throw invalidRequest(`Invalid currency: ${value}`, { param });
  return code;
}
