/**
 * What an erasure removes from the copies of Stripe objects Recur keeps (the event inbox): the
 * fields that name, reach or locate a person. Amounts, ids, dates, statuses and invoice numbers
 * stay, so the history still adds up; the legal invoice itself is kept by Stripe.
 */

/** On any object: Stripe's copies of the customer's details on invoices, charges and sessions. */
const COPIED_DETAILS = new Set([
  'customer_email',
  'customer_name',
  'customer_phone',
  'customer_address',
  'customer_shipping',
  'customer_tax_ids',
  'customer_details',
  'billing_details',
  'receipt_email',
  'shipping',
  'shipping_details',
]);

/** On the customer object itself (also a deleted customer's last snapshot). */
const CUSTOMER_FIELDS = new Set(['email', 'name', 'phone', 'address', 'description']);

/**
 * The same value with every personal field set to null, at any depth (the customer inside an
 * event, an expanded customer inside an invoice). Null rather than absent keeps Stripe's shape, so
 * whatever reads it later reads "not known". `metadata` loses the host app's user id. Linear in the
 * size of the value; never changes its input.
 */
export function scrubPersonalData(value: unknown, userIdKey: string): unknown {
  if (Array.isArray(value)) return value.map((item) => scrubPersonalData(item, userIdKey));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const isCustomer = source.object === 'customer';
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(source)) {
    if (COPIED_DETAILS.has(key) || (isCustomer && CUSTOMER_FIELDS.has(key))) out[key] = null;
    else if (key === 'metadata' && field !== null && typeof field === 'object' && !Array.isArray(field)) {
      const { [userIdKey]: _userId, ...rest } = field as Record<string, unknown>;
      out[key] = rest;
    } else out[key] = scrubPersonalData(field, userIdKey);
  }
  return out;
}
