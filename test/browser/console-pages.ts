// Every page of the admin console, read from its router, so that a page added later is walked by
// the quality test without editing it. A page in the main navigation must carry its label as its
// main heading; a detail page (`/x/$id`) is opened with a real id, and must carry the heading the
// table below states (one found by following the first link to it from its list when none is stated).

import type { Page } from 'playwright-core';
import { WAIT } from './admin-steps.js';

export interface ConsolePage {
  /** The route as the router declares it, e.g. `/subscriptions/$id`. */
  route: string;
  /** Where to open it, under /admin; null for a detail page with no id to open it with. */
  path: string | null;
  /** The main heading's words; null where the test knows none (a detail page it has no table entry for). */
  heading: string | null;
}

// The console's modules are compiled by web/'s TypeScript project (JSX, bundler resolution), not
// the tests' one: they are imported by a name the tests' compiler does not follow.
const ROUTER = '../../web/admin/app/router.js';
const SHELL = '../../web/admin/app/Shell.js';

export async function consoleRoutes(): Promise<string[]> {
  const { router } = (await import(ROUTER)) as { router: { routesByPath: Record<string, unknown> } };
  return Object.keys(router.routesByPath).sort();
}

async function navLabels(): Promise<Map<string, string>> {
  const { NAV } = (await import(SHELL)) as { NAV: ReadonlyArray<readonly [string, string]> };
  return new Map(NAV);
}

export type DetailPages = Record<string, { id: string; heading: string }>;

/**
 * The pages to visit, in the router's order. `details` gives the id and heading of the detail pages
 * the seeded data has; any other detail page is opened through the first link to it on its list.
 */
export async function consolePages(
  page: Page,
  baseUrl: string,
  details: DetailPages,
): Promise<ConsolePage[]> {
  const labels = await navLabels();
  const pages: ConsolePage[] = [];
  for (const route of await consoleRoutes()) {
    if (!route.includes('$')) {
      const heading = labels.get(route);
      if (!heading) throw new Error(`${route} is a console page missing from the main navigation`);
      pages.push({ route, path: route, heading });
      continue;
    }
    const known = details[route];
    if (known) {
      pages.push({
        route,
        path: route.replace(/\$[^/]+/, encodeURIComponent(known.id)),
        heading: known.heading,
      });
      continue;
    }
    const list = route.slice(0, route.indexOf('/$'));
    await page.goto(`${baseUrl}/admin${list}`);
    await pageReady(page, labels.get(list) ?? null);
    const link = page.locator(`main a[href^="/admin${list}/"]`).first();
    const href = (await link.count()) ? await link.getAttribute('href') : null;
    pages.push({ route, path: href ? href.slice('/admin'.length) : null, heading: null });
  }
  return pages;
}

/**
 * Waits until the page has its main heading and has finished loading what it shows: no "Loading …"
 * line and nothing marked busy is left.
 */
export async function pageReady(page: Page, heading: string | null): Promise<void> {
  const h1 = heading
    ? page.getByRole('heading', { level: 1, name: heading, exact: true })
    : page.getByRole('heading', { level: 1 });
  await h1.waitFor(WAIT);
  await page
    .getByText(/^Loading .*…$/)
    .first()
    .waitFor({ state: 'detached', ...WAIT });
  await page
    .locator('[aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached', ...WAIT });
}

/**
 * What runs past the right edge of the window (the page scrolls sideways): the outermost such
 * elements, by tag, class and text, none if the page fits.
 */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    // A box past the edge, or text running out of a box that lets it show (not a clipped one).
    const over = (el: Element) =>
      el.getBoundingClientRect().right > width + 1 ||
      (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible');
    const outermost = Array.from(document.querySelectorAll('main *, header *')).filter(
      (el) =>
        over(el) && !(el.parentElement && over(el.parentElement) && el.parentElement.closest('main, header')),
    );
    const named = outermost.map(
      (el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
    );
    return named.length ? named.slice(0, 5) : [`the page is ${document.documentElement.scrollWidth}px wide`];
  });
}
