import { expect, test, type Page } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';
import { enrolled, visit } from './people.js';

// The situation's plan and the printed pages, in two browsers: a nurse refers a situation, adds the
// coordinator to its cercle and draws up its plan by keyboard alone (the plan creates the
// synthesis's key, handed to both once shown); the coordinator reads it in her browser, decrypted
// there, and prints it; she then prints the situation's access report. Each print is checked as
// the PDF Chromium makes of it: its pages and its text, the screen around it left out. axe checks
// each new screen; screenshots (test data only) go to test-results/.

const env = (name: string) => process.env[name] ?? '';
const WISHES = env('CLSM_PLAN_WISHES');
const ACTION = 'Rencontrer le bailleur avec la personne';

/** The page as Chromium prints it: the text of each of its pages, whitespace made single. */
async function printed(page: Page): Promise<{ pages: string[]; text: string }> {
  const pdf = await getDocumentProxy(new Uint8Array(await page.pdf({ format: 'A4' })));
  const { text } = await extractText(pdf, { mergePages: false });
  const pages = text.map((t) => t.replace(/\s+/g, ' '));
  return { pages, text: pages.join(' ') };
}

/** Presses a print button by keyboard, `window.print` replaced first by a witness of its call. */
async function pressPrint(page: Page, name: string): Promise<void> {
  await page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }");
  await tabTo(page, page.getByRole('button', { name }));
  await page.keyboard.press('Enter');
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');
}

test('a plan drawn up by keyboard, read and printed by another member; the access report printed', async ({
  browser,
}, info) => {
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const n = nurse.page;

  // The nurse refers a situation and adds the coordinator to its cercle.
  await n.getByRole('main').getByRole('link', { name: 'Saisir une situation' }).click();
  await n.getByRole('button', { name: 'Saisir la situation' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(/^Situation /);
  const reference = ((await n.getByRole('heading', { level: 1 }).textContent()) ?? '').replace(
    'Situation ',
    '',
  );
  const situation = new URL(n.url()).pathname;
  await n.getByRole('link', { name: 'Le cercle' }).click();
  await n.getByRole('button', { name: /Membre/ }).click();
  await n.getByRole('option', { name: /^Camille Coordination/ }).click();
  await n.getByRole('button', { name: 'Ajouter au cercle' }).click();
  await expect(
    n.getByRole('table', { name: 'Participants' }).getByRole('row', { name: /Camille Coordination/ }),
  ).toBeVisible({ timeout: 60_000 });

  // No plan yet: the form, by keyboard alone.
  await visit(n, situation);
  await tabTo(n, n.getByRole('link', { name: 'Plan de coordination' }));
  await n.keyboard.press('Enter');
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(
    `Plan de coordination de la situation ${reference}`,
  );
  await expect(n.getByText('Aucun plan n’a encore été enregistré')).toBeVisible();
  await expectAccessible(n, 'plan, premier');
  await typeInto(n, n.getByLabel('Référent de la situation'), 'Inès Infirmière, CMP secteur 3');
  await typeInto(n, n.getByLabel('Problèmes repérés'), 'Impayés de loyer, refus de soins');
  await typeInto(n, n.getByLabel('Souhaits et attentes de la personne'), WISHES);
  await typeInto(n, n.getByLabel('Objectifs partagés'), 'Éviter l’expulsion\nRenouer avec le CMP');
  await tabTo(n, n.getByRole('button', { name: 'Ajouter une action' }));
  await n.keyboard.press('Enter');
  const action = n.getByRole('group', { name: 'Action 1' });
  await typeInto(n, action.getByLabel('Action à mener'), ACTION);
  await typeInto(n, action.getByLabel('Qui'), 'Sacha Social, CCAS');
  // Native date inputs: reached by Tab, their segments follow the browser's locale.
  await tabTo(n, action.getByLabel('Échéance'));
  await action.getByLabel('Échéance').fill('2027-01-15');
  await tabTo(n, n.getByLabel('Prochaine révision du plan'));
  await n.getByLabel('Prochaine révision du plan').fill('2027-02-01');
  await expectAccessible(n, 'plan, formulaire rempli');
  await tabTo(n, n.getByRole('button', { name: 'Enregistrer le plan' }));
  await n.keyboard.press('Enter');
  // The plan is the synthesis's first entry: its key goes to those shown, once confirmed.
  const ask = n.getByRole('region', { name: /^Une nouvelle clé va être créée/ });
  await expect(ask).toContainText('Inès Infirmière (vous)', { timeout: 60_000 });
  await expect(ask).toContainText('Camille Coordination');
  await expectAccessible(n, 'plan, clé à créer');
  await tabTo(n, ask.getByRole('button', { name: 'Confirmer, créer la clé et enregistrer l’entrée' }));
  await n.keyboard.press('Enter');
  await expect(n.getByRole('status').filter({ hasText: 'Plan enregistré' })).toBeVisible({
    timeout: 60_000,
  });
  const sheet = n.getByRole('article', { name: /^Plan personnalisé de coordination/ });
  await expect(sheet).toContainText(WISHES);
  await expect(sheet.getByRole('table', { name: 'Actions' })).toContainText('15 janvier 2027');
  await expectAccessible(n, 'plan enregistré');
  await nurse.shot('plan-enregistre');

  // The coordinator reads the plan in her browser, prints it: the sheet alone, on one page.
  const c = coordinator.page;
  await visit(c, `${situation}/plan`);
  const read = c.getByRole('article', { name: /^Plan personnalisé de coordination/ });
  await expect(read).toContainText(WISHES, { timeout: 60_000 });
  await expect(read).toContainText('Version enregistrée par Inès Infirmière');
  await expect(read.getByRole('listitem')).toHaveText(['Éviter l’expulsion', 'Renouer avec le CMP']);
  await expect(c.getByLabel('Souhaits et attentes de la personne')).toHaveValue(WISHES);
  await expectAccessible(c, 'plan, lu par la coordination');
  await coordinator.shot('plan-lu');
  await pressPrint(c, 'Imprimer le plan');
  const plan = await printed(c);
  expect(plan.pages).toHaveLength(1);
  for (const text of [
    `situation ${reference}`,
    'Inès Infirmière, CMP secteur 3',
    WISHES,
    'Renouer avec le CMP',
    ACTION,
    'Sacha Social, CCAS',
    '15 janvier 2027',
    '1 février 2027',
  ])
    expect(plan.text).toContain(text);
  for (const screenOnly of ['Modifier le plan', 'Enregistrer le plan', 'Imprimer le plan', 'File active'])
    expect(plan.text).not.toContain(screenOnly);

  // Her situation's page links the plan's version rather than showing its content as text.
  await c.getByRole('link', { name: 'Retour à la situation' }).click();
  const entry = c.locator('.entry').filter({ hasText: 'Nouvelle version du plan de coordination' });
  await expect(entry).toContainText('Signature vérifiée', { timeout: 60_000 });
  await expect(c.getByText(WISHES)).toHaveCount(0);

  // The access report, printed: who, when, what, which compartment, on which basis; nothing else.
  await c.getByRole('link', { name: 'Rapport d’accès' }).click();
  const report = c.getByRole('table', { name: `Accès au dossier de la situation ${reference}` });
  const reads = report.getByRole('row').filter({ hasText: 'Lecture d’un compartiment' });
  const line = reads.filter({ hasText: 'Camille Coordination' }).first();
  await expect(line).toContainText('Synthèse');
  const cells = (await line.getByRole('cell').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  expect(cells).toHaveLength(5);
  expect(cells[4]).toMatch(/^(Équipe de soins|Mission légale du rôle|Consentement de la personne)$/);
  await expectAccessible(c, 'rapport d’accès, coordination');
  await pressPrint(c, 'Imprimer');
  const pdf = await printed(c);
  // Every line, each page headed by the columns' names: a page with none would be blank.
  const lines = (await report.getByRole('row').count()) - 1;
  const at = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/g;
  expect(pdf.text.match(at) ?? []).toHaveLength(lines);
  for (const page of pdf.pages) {
    expect(page).toContain('Date et heure Qui Quoi Compartiment Base légale');
    expect(page).toMatch(at);
  }
  expect(pdf.pages.length).toBeLessThanOrEqual(Math.ceil(lines / 8));
  expect(pdf.pages[0]).toContain(`Accès au dossier de la situation ${reference}`);
  expect(pdf.text).toContain('Saisine de la situation');
  for (const cell of cells) expect(pdf.text).toContain(cell);
  expect(pdf.text).toContain('Inès Infirmière');
  for (const screenOnly of ['Télécharger (CSV)', 'Imprimer', 'Retour à la situation', 'File active'])
    expect(pdf.text).not.toContain(screenOnly);

  const problems = [nurse, coordinator].flatMap((p) => p.problems);
  expect(problems, 'no script error, no CSP violation').toEqual([]);
});
