import { z } from 'zod';

/**
 * Text that can reach SQL, logs and Stripe: no NUL (PostgreSQL refuses it in text) and no lone
 * UTF-16 surrogate (it has no UTF-8 form, so Stripe and PostgreSQL refuse it). Pairs are fine.
 * Every string a route takes is built from `text()`, so a new field cannot forget it; the OpenAPI
 * walk in test/input-schemas.test.ts fails on a string input that accepts either.
 */
export const SAFE_TEXT = /^(?:[^\0\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const SAFE_TEXT_MESSAGE = 'must not contain NUL or unpaired surrogate characters';

export const isSafeText = (value: string): boolean => SAFE_TEXT.test(value);

/** Free text of at most `max` characters. */
export const text = (max: number) => z.string().max(max).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE);

/** An identifier (ours, Stripe's or the host app's): non-empty, at most `max` characters. */
export const idText = (max = 200) => text(max).min(1);

/** Path parameters named `id`: every route's is this one. */
export const idParams = z.object({ id: idText() });

/**
 * The instants a query may name: PostgreSQL and JavaScript agree on every one from 1970 to 9999
 * (outside that, `Date` and `timestamptz` disagree or overflow), and no billing record is older.
 */
export const EARLIEST_INSTANT = new Date('1970-01-01T00:00:00Z');
export const LATEST_INSTANT = new Date('9999-12-31T23:59:59.999Z');
export const isInstantInRange = (at: Date): boolean =>
  !Number.isNaN(at.getTime()) && at >= EARLIEST_INSTANT && at <= LATEST_INSTANT;

/** An ISO 8601 date-time with a UTC offset, between 1970 and 9999. */
export const dateTime = () =>
  z.iso
    .datetime({ offset: true })
    .refine((value) => isInstantInRange(new Date(value)), 'must be between 1970-01-01 and 9999-12-31');
