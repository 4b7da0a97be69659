import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Locator, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';

// axe-core, evaluated in a page once: later checks of the same document reuse it.
const AXE_ONCE = `if (typeof window.axe === 'undefined') {${readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)}}`;

/** Moves the focus with Tab (only) until `target` has it: proof that the keyboard reaches it. */
export async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await target.evaluateAll((els) =>
      els.some((el) => el.contains(el.ownerDocument.activeElement)),
    );
    if (focused) return;
  }
  throw new Error(`not reachable with Tab: ${target.toString()}`);
}

/** Types into a field reached with Tab. */
export async function typeInto(page: Page, target: Locator, text: string, limit = 40): Promise<void> {
  await tabTo(page, target, limit);
  await page.keyboard.type(text);
}

/**
 * No WCAG 2.1 A/AA violation on the screen as it is. The app has no frame: axe runs in the page
 * alone (its "legacy" mode), not once per frame and again in a blank page of its own.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page, axeSource: AXE_ONCE })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode()
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `accessibility of ${screen}`,
  ).toEqual([]);
}
