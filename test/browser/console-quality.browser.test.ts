// The quality bar over every console page, the page list read from the console's router: against
// `recur serve` with a seeded history, each page at 1280 px (desktop) and 375 px (mobile) shows
// its main heading, has no serious or critical axe violation, scores at least 95 in Lighthouse's
// accessibility category, and leaves a screenshot in test-results/ for review. One browser, the
// pages in sequence; Lighthouse joins that browser through its DevTools port.

import { join } from 'node:path';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { freePort, type RecurProcess, startRecurServe } from '../support/serve.js';
import { planCard, signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';
import { consolePages, consoleRoutes, pageReady, sidewaysOverflow } from './console-pages.js';
import { type SeededConsole, seedConsole } from './console-seed.js';
import { hasFocus, Keyboard } from './keyboard.js';
import { connectLighthouse, type FormFactor, type Lighthouse } from './lighthouse.js';

const MIN_SCORE = 95;

const WIDTHS: Array<{ formFactor: FormFactor; context: BrowserContextOptions }> = [
  { formFactor: 'desktop', context: { viewport: { width: 1280, height: 900 } } },
  {
    formFactor: 'mobile',
    context: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
  },
];

describe.skipIf(skipBrowserTests)('every console page, at 1280 and 375 px', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let lighthouse: Lighthouse;
  let seeded: SeededConsole;

  beforeAll(async () => {
    recur = await startRecurServe();
    seeded = await seedConsole(recur);
    const debuggingPort = await freePort();
    browser = await launchChromium({ debuggingPort });
    lighthouse = await connectLighthouse(debuggingPort);
  }, 240_000);

  afterAll(async () => {
    await lighthouse?.close();
    await browser?.close();
    await recur?.stop();
  });

  it('reads the page list from the router, detail pages included', async () => {
    const routes = await consoleRoutes();
    expect(routes).toContain('/');
    expect(routes).toContain('/plans');
    expect(routes).toContain('/subscriptions/$id');
    expect(routes.length).toBeGreaterThanOrEqual(14);
  });

  // One test per width, each with its own ceiling: on a busy 2-core machine a page takes up to ~15 s.
  for (const { formFactor, context: options } of WIDTHS) {
    const width = options.viewport!.width;
    it(`shows each page’s heading at ${width} px, no serious axe violation, Lighthouse ≥ ${MIN_SCORE}`, async () => {
      const problems: string[] = [];
      const scores: string[] = [];
      const context = await browser.newContext(options);
      const page = await context.newPage();
      expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
      const pages = await consolePages(page, recur.url, {
        '/subscriptions/$id': {
          id: seeded.subscriptionIds[0]!,
          heading: `Subscription ${seeded.subscriptionIds[0]}`,
        },
        '/webhooks/$id': { id: seeded.endpointId, heading: 'Webhook endpoint' },
        '/customers/$id': { id: seeded.customerIds[0]!, heading: 'Ada Lovelace' },
      });
      for (const { route, path, heading } of pages) {
        if (path === null) {
          problems.push(`${route}: no id to open it with (state one above, or link to it from its list)`);
          continue;
        }
        const started = Date.now();
        await page.goto(`${recur.url}/admin${path}`);
        try {
          await pageReady(page, heading);
        } catch (error) {
          problems.push(
            `${route} at ${width}px: heading "${heading}" not shown (${(error as Error).message.split('\n')[0]})`,
          );
          continue;
        }
        const name = `quality-${route === '/' ? 'dashboard' : route.slice(1).replaceAll(/[/$]+/g, '-')}-${width}.png`;
        await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
        for (const overflow of await sidewaysOverflow(page))
          problems.push(`${route} at ${width}px: runs past the right edge: ${overflow}`);
        for (const v of await seriousViolations(page))
          problems.push(
            `${route} at ${width}px: axe ${v.impact} ${v.id} (${v.help}) on ${v.targets.join(', ')}`,
          );
        const audit = await lighthouse.accessibility(page.url(), formFactor);
        scores.push(`${route} ${formFactor}: ${audit.score} (page checked in ${Date.now() - started} ms)`);
        if (audit.score < MIN_SCORE)
          problems.push(
            `${route} at ${width}px: Lighthouse ${audit.score} < ${MIN_SCORE}; ${audit.failures.join('; ')}`,
          );
      }
      await context.close();
      console.log(`Lighthouse accessibility scores (${formFactor}):\n${scores.join('\n')}`);
      expect(problems).toEqual([]);
    }, 600_000);
  }

  it('signs in, moves by the nav, opens, closes and uses dialogs by keyboard alone, focus always seen', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const keys = new Keyboard(page);
    await page.goto(`${recur.url}/admin`);
    await keys.tabTo(page.getByLabel('Admin key'));
    await keys.type(recur.adminKey);
    await keys.press('Enter');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const navLink = (name: string) => nav.getByRole('link', { name, exact: true });
    await nav.waitFor(WAIT);

    // The first Tab reaches the skip link, which moves focus past the navigation.
    await keys.tabTo(page.getByRole('link', { name: 'Skip to content' }), { max: 1 });
    await keys.press('Enter');
    expect(await hasFocus(page.getByRole('main'))).toBe(true);

    await keys.tabTo(navLink('Plans'), { backwards: true });
    await keys.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor(WAIT);

    // A plan's dialog opens with Space, closes with Escape, and gives focus back to its button.
    const edit = page.getByRole('button', { name: 'Edit Pro', exact: true });
    await keys.tabTo(edit);
    await keys.press(' ');
    const dialog = page.getByRole('dialog', { name: 'Edit Pro' });
    await dialog.waitFor(WAIT);
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await keys.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await hasFocus(edit)).toBe(true);

    // And used: the plan renamed from the keyboard.
    await keys.press('Enter');
    const name = dialog.getByLabel('Name', { exact: true });
    if (!(await hasFocus(name))) await keys.tabTo(name);
    await keys.press('ControlOrMeta+A');
    await keys.type('Pro Plus');
    await keys.tabTo(dialog.getByRole('button', { name: 'Save changes' }));
    await keys.press('Enter');
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    await planCard(page, 'Pro Plus').waitFor(WAIT);

    // A list's row leads to its object; the object's action asks first, and Escape backs out.
    await keys.tabTo(navLink('Subscriptions'), { backwards: true });
    await keys.press('Enter');
    const id = seeded.subscriptionIds[1]!;
    await keys.tabTo(page.getByRole('link', { name: id, exact: true }));
    await keys.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Subscription ${id}` }).waitFor(WAIT);
    const cancel = page.getByRole('button', { name: 'Cancel at period end' });
    await keys.tabTo(cancel);
    await keys.press('Enter');
    const ask = page.getByRole('dialog');
    await ask.waitFor(WAIT);
    await keys.press('Escape');
    await ask.waitFor({ state: 'hidden', ...WAIT });
    expect(await hasFocus(cancel)).toBe(true);
    await keys.press('Enter');
    await keys.tabTo(ask.getByRole('button', { name: 'Cancel at period end' }));
    await keys.press(' ');
    await page.getByRole('button', { name: 'Resume' }).waitFor(WAIT);

    // A row's own action in a table, opened from the keyboard and backed out of with Escape: behind
    // the row's actions menu where the list has one (Enter opens it on its first item), else a button.
    await keys.tabTo(navLink('Events'), { backwards: true });
    await keys.press('Enter');
    await pageReady(page, 'Events');
    const menu = page.getByRole('button', { name: /^Actions for invoice\.paid / }).first();
    const inMenu = (await menu.count()) > 0;
    const opener = inMenu ? menu : page.getByRole('button', { name: /^Replay invoice\.paid / }).first();
    await keys.tabTo(opener);
    await keys.press('Enter');
    if (inMenu) {
      await expect.poll(() => hasFocus(page.getByRole('menuitem', { name: 'Replay' })), WAIT).toBe(true);
      await keys.press('Enter');
    }
    await ask.waitFor(WAIT);
    await keys.press('Escape');
    await ask.waitFor({ state: 'hidden', ...WAIT });
    expect(await hasFocus(opener)).toBe(true);

    await keys.tabTo(page.getByRole('button', { name: 'Sign out' }), { backwards: true });
    await keys.press('Enter');
    await page.getByLabel('Admin key').waitFor(WAIT);
    expect([...keys.unseen]).toEqual([]);
  }, 180_000);
});
