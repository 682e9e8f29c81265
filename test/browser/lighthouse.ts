// Lighthouse's accessibility category, run on the very tab a Playwright test has open: Lighthouse
// joins the test's Chromium through its DevTools port (see `launchChromium({ debuggingPort })`),
// finds the tab by its address and takes a snapshot of it as it stands, signed in and loaded.
// Snapshot mode navigates nowhere and fetches nothing: the closed network is never asked.

import { snapshot } from 'lighthouse';
import puppeteer, { type Browser } from 'puppeteer-core';

export type FormFactor = 'desktop' | 'mobile';

export interface AccessibilityAudit {
  /** 0 to 100, as Lighthouse's report shows it. */
  score: number;
  /** The failing audits, each with the elements it names, for a failing test's message. */
  failures: string[];
}

export interface Lighthouse {
  accessibility(url: string, formFactor: FormFactor): Promise<AccessibilityAudit>;
  close(): Promise<void>;
}

export async function connectLighthouse(debuggingPort: number): Promise<Lighthouse> {
  const browser: Browser = await puppeteer.connect({
    browserURL: `http://127.0.0.1:${debuggingPort}`,
    defaultViewport: null,
  });
  const tabAt = async (url: string) => {
    const tabs = await Promise.all(
      browser.targets().map(async (target) => (target.type() === 'page' ? target.page() : null)),
    );
    const found = tabs.filter((tab) => tab?.url() === url);
    if (found.length !== 1) throw new Error(`expected one tab at ${url}, found ${found.length}`);
    return found[0]!;
  };
  return {
    async accessibility(url, formFactor) {
      const result = await snapshot(await tabAt(url), {
        config: {
          extends: 'lighthouse:default',
          settings: {
            onlyCategories: ['accessibility'],
            formFactor,
            // The test's browser context already has the width (and touch) of the form factor.
            screenEmulation: { disabled: true },
            disableFullPageScreenshot: true,
          },
        },
      });
      const category = result?.lhr.categories.accessibility;
      if (!result || !category || category.score === null)
        throw new Error(`Lighthouse gave no accessibility score for ${url}`);
      const failures = category.auditRefs
        .map((ref) => result.lhr.audits[ref.id]!)
        .filter((audit) => audit.score === 0)
        .map((audit) => {
          const items = (audit.details as { items?: Array<{ node?: { selector?: string } }> } | undefined)
            ?.items;
          const nodes = (items ?? []).map((item) => item.node?.selector).filter(Boolean);
          return `${audit.id}: ${nodes.join(', ')}`;
        });
      return { score: Math.round(category.score * 100), failures };
    },
    close: () => browser.disconnect(),
  };
}
