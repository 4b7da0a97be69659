import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';

// A coordinator's first day, with the keyboard alone: enrollment with the code, the charte, the
// file active, a referral, an entry written and read back decrypted; lock, reload, unlock; the
// situation's access report, downloaded and printed. Every screen is checked with axe and kept as a
// screenshot (the access report is not). Refusals show in plain French.

const CODE = process.env.CLSM_ENROLL_CODE ?? '';
const MARKER = process.env.CLSM_MARKER ?? '';
const PASSPHRASE = 'une phrase de passe assez longue';

test('a coordinator enrolls, refers a situation, writes and reads back an entry, by keyboard', async ({
  page,
  browser,
}, info) => {
  const shot = (name: string) => page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });

  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 40')) problems.push(m.text());
  });

  await page.goto('/');
  await expect(page.locator('h1')).toBeVisible();
  expect(problems, 'no script error, no CSP violation').toEqual([]);
  await expect(page).toHaveURL(/\/inscription$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inscription de cet appareil');
  await expectAccessible(page, 'inscription');
  await shot('inscription');

  // A wrong code is refused in plain French, with what to do next.
  await typeInto(page, page.getByLabel('Code d’inscription'), 'CODE-FAUX-000');
  await typeInto(page, page.getByLabel('Phrase de passe', { exact: true }), PASSPHRASE);
  await typeInto(page, page.getByLabel('Confirmez la phrase de passe'), PASSPHRASE);
  await tabTo(page, page.getByRole('button', { name: 'Inscrire cet appareil' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Demandez un nouveau code à la coordination');

  const code = page.getByLabel('Code d’inscription');
  await code.fill('');
  await typeInto(page, code, CODE);
  await tabTo(page, page.getByRole('button', { name: 'Inscrire cet appareil' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Empreinte de vos clés', { timeout: 60_000 });
  // The recovery sheet, to print: ids, fingerprints and what to do; never the passphrase nor the code.
  const sheet = page.getByRole('region', { name: 'Fiche de récupération' });
  await expect(sheet).toContainText('Empreinte de la racine de confiance du CLSM');
  await expect(sheet).toContainText('demandez un code de récupération à la coordination');
  await expect(sheet).not.toContainText(PASSPHRASE);
  await expect(sheet).not.toContainText(CODE);
  await expect(sheet.getByRole('button', { name: 'Imprimer la fiche de récupération' })).toBeVisible();
  await expectAccessible(page, 'inscription faite');
  await tabTo(page, page.getByRole('button', { name: 'Continuer' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Charte éthique');
  await expect(page.getByText('Acceptez la charte éthique')).toBeVisible();
  await expectAccessible(page, 'charte');
  await shot('charte');
  await tabTo(page, page.getByRole('button', { name: 'J’accepte la charte éthique' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('File active');
  await expect(page.getByText('Aucune situation pour le moment.')).toBeVisible();
  await expectAccessible(page, 'file active');
  await tabTo(page, page.getByRole('main').getByRole('link', { name: 'Saisir une situation' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Saisir une situation');
  await expectAccessible(page, 'saisine');
  await tabTo(page, page.getByRole('button', { name: /Motif principal/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox')).toBeVisible();
  await expectAccessible(page, 'saisine, liste des motifs');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /Motif principal/ })).toContainText(
    'Rupture ou refus de soins',
  );
  await tabTo(page, page.getByRole('radio', { name: 'Ordinaire' }));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Urgente' })).toBeChecked();
  await shot('saisine');
  await tabTo(page, page.getByRole('button', { name: 'Saisir la situation' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Situation /);
  await expect(page.getByText('Urgence : Urgente')).toBeVisible();
  const situationUrl = page.url();
  await expectAccessible(page, 'situation');
  await tabTo(page, page.getByLabel('Texte'));
  await page.keyboard.type(MARKER);
  await tabTo(page, page.getByRole('button', { name: 'Enregistrer l’entrée' }));
  await page.keyboard.press('Enter');
  // The first entry creates the compartment's key: its recipients are shown first. Cancelled, nothing is written.
  const ask = page.getByRole('region', { name: /^Une nouvelle clé va être créée/ });
  await expect(ask).toContainText('(vous)', { timeout: 60_000 });
  await expectAccessible(page, 'création de la clé');
  await shot('creation-de-la-cle');
  await tabTo(page, ask.getByRole('button', { name: 'Annuler' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Rien n’a été écrit' })).toBeVisible();
  await expect(page.getByLabel('Texte')).toHaveValue(MARKER);
  await tabTo(page, page.getByRole('button', { name: 'Enregistrer l’entrée' }));
  await page.keyboard.press('Enter');
  await tabTo(page, ask.getByRole('button', { name: 'Confirmer, créer la clé et enregistrer l’entrée' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Entrée enregistrée.')).toBeVisible({ timeout: 60_000 });
  const entry = page.locator('.entry').filter({ hasText: MARKER });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('Signature vérifiée');
  await expectAccessible(page, 'situation avec une entrée');
  await shot('situation');

  // Keys live in memory only: a reload asks for the passphrase again, and a wrong one is refused.
  await page.reload();
  await expect(page).toHaveURL(/\/deverrouiller$/);
  await expectAccessible(page, 'déverrouillage');
  await shot('deverrouiller');
  await typeInto(page, page.getByLabel('Phrase de passe'), 'pas la bonne phrase');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Phrase de passe incorrecte', { timeout: 60_000 });
  const field = page.getByLabel('Phrase de passe');
  await tabTo(page, field);
  await page.keyboard.type(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(situationUrl, { timeout: 60_000 });
  await expect(page.locator('.entry').filter({ hasText: MARKER })).toContainText('Signature vérifiée');

  // "Who looked at my file?": the access report lists the coordinator's own write and reads, in French.
  await tabTo(page, page.getByRole('link', { name: 'Rapport d’accès' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rapport d’accès');
  const report = page.getByRole('table', { name: /^Accès au dossier de la situation / });
  const me = 'Coordination (Coordination, CLSM du navigateur)';
  await expect(report.getByRole('row').filter({ hasText: 'Écriture d’une entrée' })).toContainText(me);
  await expect(
    report.getByRole('row').filter({ hasText: 'Lecture d’un compartiment' }).first(),
  ).toContainText(me);
  await expectAccessible(page, 'rapport d’accès');
  // The CSV comes through the authenticated client and is saved under the server's file name.
  const downloading = page.waitForEvent('download');
  await tabTo(page, page.getByRole('button', { name: 'Télécharger (CSV)' }));
  await page.keyboard.press('Enter');
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^acces-.+\.csv$/);
  const csv = (await readFile(await download.path(), 'utf8')).split('\r\n').filter((l) => l !== '');
  expect(csv[0]).toBe(
    'at,type,outcome,action,compartment,memberId,role,displayName,organisation,legalBasis,legalBasisId',
  );
  expect(csv.length).toBeGreaterThan(1);
  // Printed, the page shows the report alone: no navigation, no buttons.
  const nav = page.getByRole('navigation', { name: 'Navigation principale', includeHidden: true });
  const print = page.getByRole('button', { name: 'Imprimer', exact: true, includeHidden: true });
  await expect(nav).toBeVisible();
  await expect(print).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(nav).toBeHidden();
  await expect(print).toBeHidden();
  await expect(report).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // Locking wipes the keys and asks for the passphrase; it does not forget the device.
  await tabTo(page, page.getByRole('button', { name: 'Verrouiller' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/deverrouiller$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Déverrouiller');

  // A colleague is invited with a code made on this device, enrolls on theirs, and reads out the
  // four-symbol code their screen shows; a wrong one is refused, the right one certifies them.
  await typeInto(page, page.getByLabel('Phrase de passe'), PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page).not.toHaveURL(/\/deverrouiller$/, { timeout: 60_000 });
  await tabTo(page, page.getByRole('link', { name: 'Membres' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Membres du CLSM');
  await expectAccessible(page, 'membres');
  await typeInto(page, page.getByLabel('Structure'), 'CMP secteur 3');
  await typeInto(page, page.getByLabel('Nom affiché'), 'Noé Nouveau');
  await tabTo(page, page.getByRole('button', { name: 'Créer le code d’invitation' }));
  await page.keyboard.press('Enter');
  const invitation = (await page.locator('code.code').textContent({ timeout: 60_000 })) ?? '';
  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto('/');
  await newcomer.getByLabel('Code d’inscription').fill(invitation);
  await newcomer.getByLabel('Phrase de passe', { exact: true }).fill(PASSPHRASE);
  await newcomer.getByLabel('Confirmez la phrase de passe').fill(PASSPHRASE);
  await newcomer.getByRole('button', { name: 'Inscrire cet appareil' }).click();
  const said = newcomer.getByRole('status').getByText('Lisez ce code');
  await expect(said).toBeVisible({ timeout: 60_000 });
  const sas = /: ([A-Z2-9]{4})\./.exec((await said.textContent()) ?? '')?.[1] ?? '';
  expect(sas).toMatch(/^[A-Z2-9]{4}$/);
  await page.reload();
  await typeInto(page, page.getByLabel('Phrase de passe'), PASSPHRASE);
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Certifier les clés de Noé Nouveau' });
  await expect(form).toBeVisible({ timeout: 60_000 });
  const wrong = sas.startsWith('A') ? `B${sas.slice(1)}` : `A${sas.slice(1)}`;
  await typeInto(page, form.getByLabel('Code lu par Noé Nouveau'), wrong);
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('Ce code ne correspond pas');
  await form.getByLabel('Code lu par Noé Nouveau').fill('');
  await typeInto(page, form.getByLabel('Code lu par Noé Nouveau'), sas);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Personne n’attend de certification.')).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page, 'membres, certifié');
  await shot('membres');
  expect(problems, 'no script error, no CSP violation').toEqual([]);
});
