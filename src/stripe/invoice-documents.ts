import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UpstreamError } from '../http/errors.js';

/** An invoice PDF as Stripe serves it, streamed through rather than held in memory. */
export interface InvoicePdf {
  body: Readable;
  length: number | null;
}

/**
 * Stripe's invoice documents. The PDF lives at the invoice's `invoice_pdf` URL (a page of Stripe's,
 * not the API), which needs no key: whoever holds the URL may read it, so it is never shown to
 * users, who download through Recur's own route instead.
 */
export class StripeInvoiceDocuments {
  constructor(private readonly options: { timeoutMs?: number } = {}) {}

  async fetchPdf(url: string): Promise<InvoicePdf> {
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'follow',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
    } catch {
      throw new UpstreamError(503, 'stripe_unavailable', 'Stripe could not be reached for the invoice PDF');
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new UpstreamError(
        502,
        'stripe_rejected',
        `Stripe answered ${response.status} for the invoice PDF`,
      );
    }
    const length = Number(response.headers.get('content-length'));
    return {
      body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      length: Number.isFinite(length) && length > 0 ? length : null,
    };
  }
}
