import { createHmac, timingSafeEqual } from 'node:crypto';

export const PAYMENT_SIGNATURE_HEADER = 'x-recur-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body>`: how a provider signs, and how tests play one. */
export function signPaymentNotice(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Constant-time: the comparison takes as long whichever byte differs. */
export function paymentSignatureMatches(rawBody: Buffer, header: string, secret: string): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}
