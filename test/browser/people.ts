import { expect, type Browser, type Page } from '@playwright/test';

// Professionals, each in a browser of their own: enrolled with their code, the charte accepted;
// their script errors and CSP violations collected; screenshots (test data only) kept.

export const PASSPHRASE = 'une phrase de passe assez longue';

export interface Person {
  page: Page;
  shot(name: string): Promise<unknown>;
  problems: string[];
}

/** A page of a fresh browser context whose errors (other than refused requests) are collected. */
export async function freshPage(browser: Browser, who: string, problems: string[]): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 40')) problems.push(`${who}: ${m.text()}`);
  });
  return page;
}

export async function enrolled(
  browser: Browser,
  code: string,
  who: string,
  outputPath: (n: string) => string,
  /** The heading of the screen a member lands on once the charte is accepted. */
  home = 'File active',
): Promise<Person> {
  const problems: string[] = [];
  const page = await freshPage(browser, who, problems);
  await page.goto('/');
  await page.getByLabel('Code d’inscription').fill(code);
  await page.getByLabel('Phrase de passe', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirmez la phrase de passe').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Inscrire cet appareil' }).click();
  await expect(page.getByRole('status')).toContainText('Empreinte de vos clés', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('button', { name: 'J’accepte la charte éthique' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(home);
  const shot = (name: string) => page.screenshot({ path: outputPath(`${who}-${name}.png`), fullPage: true });
  return { page, shot, problems };
}

/** Opens a path: a new page load locks the keys away, so the passphrase is asked for first. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/deverrouiller$/);
  await page.getByLabel('Phrase de passe').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(path, { timeout: 60_000 });
}

/** Writes an entry; the first of a compartment creates its key, confirmed once its recipients are checked. */
export async function writeEntry(
  page: Page,
  compartment: string,
  text: string,
  recipients: string[] = [],
): Promise<void> {
  await page.locator('label.radio', { hasText: compartment }).click();
  await page.getByLabel('Texte').fill(text);
  await page.getByRole('button', { name: 'Enregistrer l’entrée' }).click();
  const ask = page.getByRole('region', { name: /^Une nouvelle clé va être créée/ });
  await expect(ask).toBeVisible({ timeout: 60_000 });
  for (const r of recipients) await expect(ask).toContainText(r);
  await ask.getByRole('button', { name: 'Confirmer, créer la clé et enregistrer l’entrée' }).click();
  await expect(page.locator('.entry').filter({ hasText: text })).toContainText('Signature vérifiée', {
    timeout: 60_000,
  });
}
