/**
 * A Checkout Session's `branding_settings`: the look it overrides for this session only (display
 * name, logo or icon, button and background colours), added in API version 2025-09-30.clover
 * (https://docs.stripe.com/changelog/clover/2025-09-30/checkout-sessions-branding-settings,
 * https://docs.stripe.com/payments/checkout/customization/appearance). The emulator keeps no File
 * uploads, so an image is taken by URL only.
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { p } from '../../core/params.js';

type BrandingParams = Stripe.Checkout.SessionCreateParams.BrandingSettings;
type Image = { type: string; url?: string };

const image = p.object({ type: p.enum(['url'], { required: true }), url: p.string({ maxLength: 5000 }) });

export const brandingSettingsField = p.object({
  background_color: p.string({ emptyable: true }),
  button_color: p.string({ emptyable: true }),
  display_name: p.string({ maxLength: 5000 }),
  icon: image,
  logo: image,
});

const HEX = /^#[0-9a-fA-F]{6}$/;

/** What the account's own branding would give where the session sets nothing. */
const ACCOUNT = {
  background_color: '#ffffff',
  border_style: 'rounded',
  button_color: '#0074d4',
  display_name: 'Recur emulator',
  font_family: 'default',
} as const;

function checkedImage(
  given: Image | undefined,
  param: string,
): Stripe.Checkout.Session.BrandingSettings.Logo | null {
  if (!given) return null;
  if (!given.url) throw invalidRequest(`Missing required param: ${param}[url].`, { param: `${param}[url]` });
  if (!/^https:\/\//i.test(given.url)) {
    throw invalidRequest(`Invalid URL: ${param}[url] must be an https URL.`, { param: `${param}[url]` });
  }
  return { type: 'url', url: given.url };
}

/** The session's branding as Stripe returns it, or undefined when the request set none. */
export function sessionBranding(
  params: BrandingParams | undefined,
): Stripe.Checkout.Session.BrandingSettings | undefined {
  if (!params) return undefined;
  for (const key of ['background_color', 'button_color'] as const) {
    const value = params[key];
    if (value && !HEX.test(value)) {
      throw invalidRequest(`Invalid hex color: branding_settings[${key}].`, {
        param: `branding_settings[${key}]`,
      });
    }
  }
  if (params.logo && params.icon) {
    throw invalidRequest('You cannot set both `logo` and `icon`.', { param: 'branding_settings[logo]' });
  }
  return {
    background_color: params.background_color || ACCOUNT.background_color,
    border_style: ACCOUNT.border_style,
    button_color: params.button_color || ACCOUNT.button_color,
    display_name: params.display_name || ACCOUNT.display_name,
    font_family: ACCOUNT.font_family,
    icon: checkedImage(params.icon, 'branding_settings[icon]'),
    logo: checkedImage(params.logo, 'branding_settings[logo]'),
  };
}
