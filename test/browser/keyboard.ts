// Moving through a page with the keyboard alone, as a person without a mouse does: Tab (or
// Shift+Tab) until the wanted control has focus, checking on the way that every control that takes
// focus shows it.

import type { Locator, Page } from 'playwright-core';
import { WAIT } from './admin-steps.js';

/** The focused element in words, or why its focus cannot be seen (null when it can). */
async function unseenFocus(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
    const ring = outline || style.boxShadow !== 'none';
    const rect = el.getBoundingClientRect();
    const onScreen = rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0;
    if (ring && onScreen) return null;
    const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    return `${name}: ${ring ? 'off screen when focused' : 'no visible focus ring'}`;
  });
}

export class Keyboard {
  /** Every control that took focus without showing it, for the test to assert empty. */
  readonly unseen = new Set<string>();

  constructor(private readonly page: Page) {}

  /** Presses Tab (Shift+Tab backwards) until `target` has focus; fails after `max` presses. */
  async tabTo(target: Locator, { backwards = false, max = 80 } = {}): Promise<void> {
    await target.waitFor(WAIT);
    for (let presses = 0; presses < max; presses++) {
      await this.page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const unseen = await unseenFocus(this.page);
      if (unseen) this.unseen.add(unseen);
      if (await target.evaluate((el) => el === document.activeElement)) return;
    }
    throw new Error(`${target} was not reached by ${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`);
  }

  press(key: string): Promise<void> {
    return this.page.keyboard.press(key);
  }

  type(text: string): Promise<void> {
    return this.page.keyboard.type(text);
  }
}

/** Whether `target` has the focus now. */
export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}
