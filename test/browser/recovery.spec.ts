import { expect, test } from '@playwright/test';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';
import { enrolled, freshPage, PASSPHRASE, visit } from './people.js';

// A nurse loses her device. The coordinator gives her a recovery code from the members screen; on
// a new browser she opens « J'ai perdu mon appareil », types the code and her passphrase, and her
// new fingerprint is shown, with a new recovery sheet; the coordinator certifies the new keys by
// that fingerprint. Refusals show in plain French; axe checks each screen.

const env = (name: string) => process.env[name] ?? '';

test('a lost device replaced with a recovery code, its new keys certified by fingerprint', async ({
  browser,
}, info) => {
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const c = coordinator.page;

  // Both are certified (by the test's certifier) before anything else.
  await expect(async () => {
    await visit(c, '/membres');
    await expect(c.getByText('Personne n’attend de certification.')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  // The coordinator makes a recovery code for the nurse, in her row of the directory.
  const row = c.getByRole('article', { name: 'Inès Infirmière' });
  await row
    .getByRole('button', { name: 'Appareil perdu : code de récupération pour Inès Infirmière' })
    .click();
  const issued = row.getByRole('status');
  await expect(issued).toContainText('Code de récupération pour Inès Infirmière', { timeout: 60_000 });
  const code = (await issued.locator('code.code').textContent()) ?? '';
  expect(code.length).toBeGreaterThan(7);
  await expectAccessible(c, 'membres, code de récupération');

  // On a new browser, by keyboard: the recovery screen, reached from the enrollment screen.
  const problems: string[] = [];
  const page = await freshPage(browser, 'infirmiere-nouvel-appareil', problems);
  await page.goto('/');
  await expect(page).toHaveURL(/\/inscription$/);
  await tabTo(page, page.getByRole('link', { name: 'J’ai perdu mon appareil' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/recuperation$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Récupération sur un nouvel appareil');
  await expectAccessible(page, 'récupération');
  await page.screenshot({ path: out('recuperation.png'), fullPage: true });

  // A wrong code is refused in plain French, with what to do next.
  await typeInto(page, page.getByLabel('Code de récupération'), 'CODE-FAUX-0000');
  await typeInto(page, page.getByLabel('Phrase de passe'), PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Ce code de récupération n’est pas valide', {
    timeout: 60_000,
  });
  await page.getByLabel('Code de récupération').fill(code);
  await page.getByLabel('Phrase de passe').fill(PASSPHRASE);
  await page.keyboard.press('Enter');

  // The new fingerprint, focused, to read to the coordinator; a new recovery sheet, without secrets.
  const done = page.getByRole('status');
  await expect(done).toContainText('Cet appareil remplace l’ancien.', { timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Cet appareil remplace l’ancien.' })).toBeFocused();
  const said = /nouvelles clés : ([0-9A-Z ]+)\./.exec((await done.textContent()) ?? '')?.[1] ?? '';
  expect(said).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){5}$/);
  await expect(done).toContainText('pour qu’elle certifie vos nouvelles clés');
  const sheet = page.getByRole('region', { name: 'Fiche de récupération' });
  await expect(sheet).toContainText(said);
  await expect(sheet).not.toContainText(PASSPHRASE);
  await expect(sheet).not.toContainText(code);
  await expectAccessible(page, 'récupération faite');
  await page.screenshot({ path: out('recuperation-faite.png'), fullPage: true });

  // The coordinator certifies the new keys by the fingerprint read to her, in the nurse's row; a
  // wrong one is refused.
  await visit(c, '/membres');
  await expect(c.getByRole('article', { name: 'Inès Infirmière' })).toContainText(
    'Nouvel appareil : clés à certifier',
    { timeout: 60_000 },
  );
  const form = c
    .getByRole('article', { name: 'Inès Infirmière' })
    .getByRole('form', { name: 'Certifier les nouvelles clés de Inès Infirmière' });
  await expect(form).toBeVisible({ timeout: 60_000 });
  await expectAccessible(c, 'membres, nouvelles clés');
  const wrong = said.startsWith('A') ? `B${said.slice(1)}` : `A${said.slice(1)}`;
  await typeInto(c, form.getByLabel('Empreinte lue par Inès Infirmière'), wrong);
  await c.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('Cette empreinte ne correspond pas');
  await form.getByLabel('Empreinte lue par Inès Infirmière').fill(said);
  await c.keyboard.press('Enter');
  await expect(form).toHaveCount(0, { timeout: 60_000 });
  await expect(c.getByRole('article', { name: 'Inès Infirmière' })).toContainText('Accès actif');
  await coordinator.shot('nouvelles-cles-certifiees');

  // The new device carries on, unlocked with its new keys.
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('File active');

  expect([...nurse.problems, ...coordinator.problems, ...problems], 'no script error').toEqual([]);
});
