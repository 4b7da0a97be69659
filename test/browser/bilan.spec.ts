import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, tabTo } from './keyboard.js';
import { enrolled, visit } from './people.js';

// The bilan of last year: the coordinator asks for its release, which waits for a second person
// (she cannot approve it herself); the DPO approves it. An elected official then reads it: charts
// with their tables, n.d. explained, a table downloaded as CSV by keyboard; the navigation offers
// nothing else, and a situation's address shows that it is not for her role. A statistics reader
// of the ARS reads the CLSM's bilan and the regional one, whose first version sums no CLSM yet (it
// takes three). axe checks each screen.

const env = (name: string) => process.env[name] ?? '';
const YEAR = String(new Date().getFullYear() - 1);

async function openBilan(page: Page): Promise<void> {
  // From wherever the focus is: past the file active's thirty situations, around to the header.
  await tabTo(page, page.getByRole('link', { name: 'Bilan annuel' }), 60);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bilan annuel');
}

test('the bilan released with a second approval, read by an elected official', async ({ browser }, info) => {
  const out = (n: string) => info.outputPath(n);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const dpo = await enrolled(browser, env('CLSM_CODE_DPO'), 'dpo', out, 'Protection des données');
  const official = await enrolled(browser, env('CLSM_CODE_OFFICIAL'), 'elue', out, 'Bilan annuel');
  const reader = await enrolled(browser, env('CLSM_CODE_READER'), 'ars', out, 'Bilan annuel');
  const c = coordinator.page;
  const d = dpo.page;
  const o = official.page;

  // The coordinator asks; the release waits for a second person, and she cannot be that person.
  await openBilan(c);
  await expect(c.getByText(`Le bilan de ${YEAR} n’a pas encore été diffusé.`)).toBeVisible();
  await expectAccessible(c, 'bilan, avant diffusion');
  await tabTo(c, c.getByRole('button', { name: `Diffuser le bilan de ${YEAR}` }));
  await c.keyboard.press('Enter');
  await expect(
    c.getByRole('heading', { name: `La diffusion du bilan de ${YEAR} attend une seconde personne.` }),
  ).toBeFocused();
  await expect(c.getByRole('status')).toContainText(
    'chaque diffusion demande l’approbation d’une seconde personne',
  );
  await c.getByRole('button', { name: `Approuver la diffusion du bilan de ${YEAR}` }).click();
  await expect(c.getByRole('alert')).toContainText('Vous avez demandé cette diffusion');
  await expectAccessible(c, 'bilan, diffusion en attente');
  await coordinator.shot('bilan-en-attente');

  // The DPO approves: the year is released and frozen.
  await openBilan(d);
  await expect(d.getByRole('button', { name: `Diffuser le bilan de ${YEAR}` })).toHaveCount(0);
  await d.getByRole('button', { name: `Approuver la diffusion du bilan de ${YEAR}` }).click();
  const done = d.getByRole('status');
  await expect(done).toContainText(`Le bilan de ${YEAR} est diffusé et figé.`, { timeout: 60_000 });
  await expect(done).toContainText(/Empreinte SHA-256 du bilan, vérifiée à la réception : [0-9a-f]{64}\./);
  await expectAccessible(d, 'bilan, diffusion approuvée');

  // The elected official: the bilan and the charte, nothing else.
  await expect(o.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link')).toHaveText([
    'Bilan annuel',
    'Charte éthique',
  ]);
  await visit(o, '/bilan');
  const origin = o.getByRole('region', { name: 'Origine des saisines' });
  const chart = origin.getByRole('img', { name: 'Origine des saisines' });
  await expect(chart).toBeVisible({ timeout: 60_000 });
  await expect(chart).toHaveAccessibleDescription(/^Diagramme en barres/);
  const table = origin.getByRole('table', { name: 'Origine des saisines' });
  await expect(table.getByRole('row', { name: /^Bailleur 20$/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /^Psychiatrie n\.d\.$/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /^Total 30$/ })).toBeVisible();
  await expect(o.getByRole('region', { name: 'Que signifie « n.d. » ?' })).toContainText(
    'Un chiffre n’est pas publié quand il compte de 1 à 10 situations',
  );
  await expectAccessible(o, 'bilan, lecture');
  await official.shot('bilan');
  await origin.screenshot({ path: out('elue-bilan-origine.png') });

  // A table downloaded as the statistics server's CSV, by keyboard.
  const download = o.waitForEvent('download');
  await tabTo(o, origin.getByRole('button', { name: 'Télécharger (CSV) : Origine des saisines' }), 80);
  await o.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toBe(`bilan-${YEAR}-saisines_origine.csv`);
  const csv = await readFile(await file.path(), 'utf8');
  expect(csv.split(/\r?\n/)[0]).toBe('key,label,value');
  expect(csv).toContain('bailleur,Bailleur,20');
  expect(csv).toContain('psychiatrie,Psychiatrie,n.d.');

  // A situation's address, and the list: not for her role.
  for (const path of [`/situations/${env('CLSM_SITUATION_ID')}`, '/situations']) {
    await visit(o, path);
    await expect(o.getByRole('heading', { level: 1 })).toHaveText('Page non accessible');
    await expect(o.getByRole('link', { name: 'Voir le bilan annuel' })).toBeVisible();
  }
  await expectAccessible(o, 'page non accessible');

  // The ARS: the CLSM's bilan, then the regional one, version 1, every table still withheld.
  const r = reader.page;
  await visit(r, '/bilan');
  await expect(r.getByRole('table', { name: 'Origine des saisines' })).toBeVisible({ timeout: 60_000 });
  await r.getByRole('button', { name: /^Bilan du CLSM/ }).click();
  await r.getByRole('option', { name: 'Bilan régional' }).click();
  await expect(r.getByText('Version 1 du bilan régional. Aucun CLSM n’y est encore additionné.')).toBeVisible(
    {
      timeout: 60_000,
    },
  );
  await expect(r.getByRole('region', { name: 'Origine des saisines' })).toContainText(
    'Ce tableau n’est pas diffusé.',
  );
  await expectAccessible(r, 'bilan régional');
  await reader.shot('bilan-regional');

  expect(
    [...coordinator.problems, ...dpo.problems, ...official.problems, ...reader.problems],
    'no script error',
  ).toEqual([]);
});
