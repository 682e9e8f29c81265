import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { loadTestTargets } from '../../src/config.js';

/** Debian's Chromium, installed by `.ci/run` (`apt-get install chromium`). */
export const CHROMIUM = '/usr/bin/chromium';
const chromiumInstalled = existsSync(CHROMIUM);

/**
 * Browser tests skip where Chromium is missing, except under CI: there they run and fail on it, so
 * that a CI run without a browser cannot pass having looked at no page.
 */
export const skipBrowserTests = !chromiumInstalled && !loadTestTargets().ci;

/** Screenshots for review land here (ignored by git). */
export const SCREENSHOTS = join(process.cwd(), 'test-results');

/**
 * Headless Chromium with the flags this machine needs: no sandbox as root, and none of the
 * background connections that a closed network refuses. `debuggingPort` opens the DevTools port
 * besides Playwright's own pipe, for a second client (Lighthouse) on the same browser.
 */
export async function launchChromium(options: { debuggingPort?: number } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the browser tests need it (apt-get install chromium)`,
    );
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.debuggingPort === undefined ? [] : [`--remote-debugging-port=${options.debuggingPort}`]),
    ],
  });
}
