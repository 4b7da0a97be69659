import { expect, type Locator, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';

/** Moves the focus with Tab (only) until `target` has it: proof that the keyboard reaches it. */
export async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused =
      (await target.and(page.locator(':focus')).count()) + (await target.locator(':focus').count());
    if (focused > 0) return;
  }
  throw new Error(`not reachable with Tab: ${target.toString()}`);
}

/** Types into a field reached with Tab. */
export async function typeInto(page: Page, target: Locator, text: string, limit = 40): Promise<void> {
  await tabTo(page, target, limit);
  await page.keyboard.type(text);
}

/** No WCAG 2.1 A/AA violation on the screen as it is. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `accessibility of ${screen}`,
  ).toEqual([]);
}
