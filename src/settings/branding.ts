import { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { text } from '../http/input.js';
import { settingsRepository } from './repository.js';

/** A logo sent inline stays small: it travels with every billing page's branding read. */
export const MAX_LOGO_DATA_URL_CHARS = 100_000;
const MAX_URL_CHARS = 2048;

const IMAGE_DATA_URL = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$/;

const httpsUrl = (value: string, protocols: string[]): boolean => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const productName = text(80)
  .trim()
  .min(1)
  .refine((value) => !/\p{Cc}/u.test(value), 'A product name has no control characters')
  .describe('Shown in the billing page’s header and on Stripe’s Checkout page');

const logoUrl = text(MAX_LOGO_DATA_URL_CHARS)
  .refine(
    (value) =>
      value.startsWith('data:')
        ? value.length <= MAX_LOGO_DATA_URL_CHARS && IMAGE_DATA_URL.test(value)
        : value.length <= MAX_URL_CHARS && httpsUrl(value, ['https:']),
    `A logo is an https URL (at most ${MAX_URL_CHARS} characters) or a base64 data: URL of a PNG, JPEG, GIF, WebP or SVG image (at most ${MAX_LOGO_DATA_URL_CHARS} characters)`,
  )
  .describe(
    'An https URL or a base64 `data:image/…` URL; Stripe’s Checkout page gets it only as an https URL',
  );

const accentColor = text(7)
  .regex(/^#[0-9a-fA-F]{6}$/, 'An accent colour is #rrggbb')
  .transform((value) => value.toLowerCase())
  .describe('#rrggbb: the billing page’s buttons and links, and Checkout’s button');

const supportEmail = z.email().max(254).describe('Shown in the billing page’s footer');

const supportUrl = text(MAX_URL_CHARS)
  .refine((value) => httpsUrl(value, ['https:', 'http:']), 'A support URL is an http or https URL')
  .describe('Shown in the billing page’s footer');

/** What each field must be to be stored (and, read back, to be used). */
const fieldSchemas = z.object({
  product_name: productName.nullable(),
  logo_url: logoUrl.nullable(),
  accent_color: accentColor.nullable(),
  support_email: supportEmail.nullable(),
  support_url: supportUrl.nullable(),
});

/** The deployment's branding as the API shows it; nothing in it is secret. */
export const brandingSchema = z.object({
  product_name: z.string().nullable(),
  logo_url: z.string().nullable(),
  accent_color: z.string().nullable().describe('#rrggbb'),
  support_email: z.string().nullable(),
  support_url: z.string().nullable(),
});

export type Branding = z.infer<typeof brandingSchema>;

/** A change: any fields; null clears one. */
export const brandingPatchSchema = fieldSchemas
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one branding field');

export type BrandingPatch = z.infer<typeof brandingPatchSchema>;

const FIELDS = Object.keys(fieldSchemas.shape) as Array<keyof Branding>;

export const NO_BRANDING: Branding = {
  product_name: null,
  logo_url: null,
  accent_color: null,
  support_email: null,
  support_url: null,
};

/** `over`'s fields on `base`; a stored field that is no longer valid reads as unset. */
function merge(base: Branding, over: unknown): Branding {
  const given = over && typeof over === 'object' ? (over as Record<string, unknown>) : {};
  const merged = { ...base };
  for (const field of FIELDS) {
    if (!(field in given)) continue;
    const parsed = fieldSchemas.shape[field].safeParse(given[field]);
    Object.assign(merged, { [field]: parsed.success ? parsed.data : null });
  }
  return merged;
}

/** An inline logo is recorded in the audit trail by its size, not its bytes. */
function auditable(branding: Branding): Branding {
  const logo = branding.logo_url;
  return logo?.startsWith('data:')
    ? { ...branding, logo_url: `${logo.slice(0, logo.indexOf(',') + 1)}…(${logo.length} characters)` }
    : branding;
}

/** Reads within this long of the last may use the in-process copy (every billing page asks). */
const MEMO_MS = 5_000;

/**
 * The deployment's branding: product name, logo, accent colour and support contact, kept in the
 * settings table (every instance reads the same) and changed by admins without a restart.
 */
export class BrandingStore {
  private memo: { value: Branding; at: number } | null = null;

  constructor(private readonly deps: { db: Db }) {}

  private static readonly KEY = 'branding';

  async current(options: { fresh?: boolean } = {}): Promise<Branding> {
    if (!options.fresh && this.memo && Date.now() - this.memo.at < MEMO_MS) return this.memo.value;
    const stored = await settingsRepository.read(this.deps.db, [BrandingStore.KEY]);
    const value = merge(NO_BRANDING, stored.get(BrandingStore.KEY));
    this.memo = { value, at: Date.now() };
    return value;
  }

  forget(): void {
    this.memo = null;
  }

  /** The origin an https logo is loaded from, for the billing page's content security policy. */
  async imageOrigins(): Promise<string[]> {
    const logo = (await this.current()).logo_url;
    return logo?.startsWith('https:') ? [new URL(logo).origin] : [];
  }

  async update(patch: BrandingPatch): Promise<Branding> {
    const key = BrandingStore.KEY;
    const next = await this.deps.db.transaction(async (tx) => {
      // Under the row's lock, so two admins' changes to different fields both stay.
      await settingsRepository.insertIfAbsent(tx, key, {});
      const [stored] = await settingsRepository.readForUpdate(tx, key);
      const before = merge(NO_BRANDING, stored);
      const after = merge(before, patch);
      await settingsRepository.write(tx, { [key]: after });
      await recordAudit(tx, {
        action: 'branding.update',
        objectType: 'setting',
        objectId: key,
        before: auditable(before),
        after: auditable(after),
      });
      return after;
    });
    this.memo = { value: next, at: Date.now() };
    return next;
  }
}
