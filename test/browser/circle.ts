import { expect, type Page } from '@playwright/test';
import { tabTo } from './keyboard.js';

// Steps of the cercle that several specs take, by keyboard alone.

/**
 * Picks an option of a React Aria select by keyboard: open, type the first letters of its first
 * word (a space would pick the option under focus and close the list), Enter.
 */
export async function chooseByKeyboard(page: Page, label: RegExp, option: string, limit = 40): Promise<void> {
  await tabTo(page, page.getByRole('button', { name: label }), limit);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox')).toBeVisible();
  await page.keyboard.type((option.split(' ')[0] ?? option).slice(0, 6));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: label })).toContainText(option);
}

/** Adds a member to the cercle with the keyboard alone, keeping only `keep` of the compartments. */
export async function addByKeyboard(page: Page, name: string, keep: string[]): Promise<void> {
  await chooseByKeyboard(page, /Membre/, name);
  for (const c of [
    'Identité',
    'Synthèse',
    'Social',
    'Santé',
    'Cellule (comptes rendus et décisions)',
    'Espace de la personne',
  ]) {
    const box = page
      .getByRole('group', { name: /Compartiments qu’il ou elle doit connaître/ })
      .getByRole('checkbox', {
        name: c,
      });
    if (keep.includes(c) === (await box.isChecked())) continue;
    await tabTo(page, box);
    await page.keyboard.press('Space');
  }
  await tabTo(page, page.getByRole('button', { name: 'Ajouter au cercle' }));
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('table', { name: 'Participants' }).getByRole('row', { name: new RegExp(name) }),
  ).toBeVisible();
}
