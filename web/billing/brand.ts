import { useQuery } from '@tanstack/react-query';
import type { CSSProperties } from 'react';
import { unwrap } from '../src/api/client.js';
import { api } from './api.js';

export function useBranding() {
  return useQuery({
    queryKey: ['branding'],
    queryFn: () => unwrap(api.GET('/api/branding')),
    // The page keeps its own look when the branding cannot be read.
    retry: false,
    staleTime: 5 * 60_000,
  });
}

const channels = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/** WCAG's relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG's contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** Black or white, whichever reads better on `hex` (one of them always reaches 4.5:1). */
export const textOn = (hex: string): string =>
  contrast(hex, '#000000') >= contrast(hex, '#ffffff') ? '#000000' : '#ffffff';

const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The page's grey (billing.css `--page`), the darkest background text in the accent sits on. */
const PAGE_BACKGROUND = '#f4f5f7';

/** `hex` darkened just enough to be read as text on the page and its white cards (4.5:1). */
export function readableOnPage(hex: string): string {
  const rgb = channels(hex);
  for (let share = 1; share >= 0; share -= 0.05) {
    const candidate = toHex(rgb.map((c) => c * share));
    if (contrast(candidate, PAGE_BACKGROUND) >= 4.5) return candidate;
  }
  return '#000000';
}

/**
 * The stylesheet's accent variables for a brand colour: buttons filled with it carry black or white
 * text by its luminance; links, outlines and hovers use a shade of it dark enough on the page.
 */
export function accentStyle(accent: string | null | undefined): CSSProperties {
  if (!accent) return {};
  return {
    '--accent': accent,
    '--on-accent': textOn(accent),
    '--accent-dark': readableOnPage(accent),
  } as CSSProperties;
}
