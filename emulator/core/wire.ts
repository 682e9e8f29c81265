import type Stripe from 'stripe';

/**
 * An SDK type as it travels over the wire and through the emulator. The SDK turns decimal strings
 * (`unit_amount_decimal`) into `Stripe.Decimal` objects when it receives them; the emulator stores
 * and sends the strings. In parameters, the empty string that means "unset" (`Emptyable<T>`)
 * reaches handlers as `null`.
 */
export type Wire<T> = T extends ''
  ? null
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends Stripe.Decimal
      ? string
      : T extends ReadonlyArray<infer U>
        ? Wire<U>[]
        : T extends object
          ? { [K in keyof T]: Wire<T[K]> }
          : T;
