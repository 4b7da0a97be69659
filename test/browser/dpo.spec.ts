import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';
import { enrolled, visit } from './people.js';

// The DPO's errands, by keyboard: a nurse refers a situation and tells its reference; the DPO, who
// lands on their own screen, finds that situation's access report by it and downloads the CSV, is
// still refused the situation itself, downloads today's checkpoints and checks the audit log
// against them (intact), against a copy altered at one checkpoint, and against a file that vouches
// for more than the log now holds (each break shown where it is). axe checks each state;
// screenshots (test data only) go to test-results/.

const env = (name: string) => process.env[name] ?? '';
const PRIVACY = 'Protection des données';

test('the DPO finds an access report by its reference and checks the audit log', async ({
  browser,
}, info) => {
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const n = nurse.page;
  await n.getByRole('main').getByRole('link', { name: 'Saisir une situation' }).click();
  await n.getByRole('button', { name: 'Saisir la situation' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(/^Situation \d{4}-\d{4,}$/);
  const reference = ((await n.getByRole('heading', { level: 1 }).textContent()) ?? '').replace(
    'Situation ',
    '',
  );
  const situation = new URL(n.url()).pathname;

  const dpo = await enrolled(browser, env('CLSM_CODE_DPO'), 'dpo', out, PRIVACY);
  const d = dpo.page;
  const nav = d.getByRole('navigation', { name: 'Navigation principale' });
  // Their own screen, the bilan whose releases they approve, the charte: no situation screen.
  await expect(nav.getByRole('link')).toHaveText([PRIVACY, 'Bilan annuel', 'Charte éthique']);
  await expectAccessible(d, 'protection des données');
  await dpo.shot('protection-des-donnees');

  // An unknown reference is said in plain words; the one the person gave opens the report.
  await typeInto(d, d.getByLabel('Référence de la situation'), '1999-0001');
  await d.keyboard.press('Enter');
  await expect(d.getByRole('alert')).toContainText('Aucune situation de votre CLSM ne porte cette référence');
  await d.getByLabel('Référence de la situation').fill(reference);
  await d.keyboard.press('Enter');
  await expect(d).toHaveURL(`${situation}/acces`);
  const report = d.getByRole('table', { name: `Accès au dossier de la situation ${reference}` });
  await expect(report.getByRole('row').filter({ hasText: 'Saisine de la situation' })).toContainText(
    'Inès Infirmière',
  );
  await expectAccessible(d, 'rapport d’accès, DPO');
  const downloading = d.waitForEvent('download');
  await tabTo(d, d.getByRole('button', { name: 'Télécharger (CSV)' }));
  await d.keyboard.press('Enter');
  const csv = await downloading;
  expect(csv.suggestedFilename()).toBe(`acces-${reference}.csv`);
  const lines = (await readFile(await csv.path(), 'utf8')).split('\r\n').filter((l) => l !== '');
  expect(lines[0]).toMatch(/^at,type,outcome,/);
  expect(lines.some((l) => l.includes('case.referred'))).toBe(true);

  // The report is all the DPO sees of the situation: its content stays refused.
  await visit(d, situation);
  await expect(d.getByRole('alert')).toContainText('Cette situation n’existe pas ou vous n’y participez pas');
  await expect(d.getByRole('heading', { name: `Situation ${reference}` })).toHaveCount(0);

  // Today's checkpoints, downloaded, then checked: intact.
  await nav.getByRole('link', { name: PRIVACY }).click();
  const exporting = d.waitForEvent('download');
  await tabTo(d, d.getByRole('button', { name: 'Télécharger les points de contrôle actuels' }));
  await d.keyboard.press('Enter');
  const exported = await exporting;
  const path = await exported.path();
  const file = JSON.parse(await readFile(path, 'utf8')) as {
    checkpoints: { seq: number; hash: string }[];
  };
  expect(file.checkpoints.length).toBeGreaterThan(0);
  const input = d.getByLabel('Fichier de points de contrôle (JSON)');
  // Listening first: the browser only hands its file dialog over once the listener is in place.
  const choosing = d.waitForEvent('filechooser');
  await tabTo(d, input);
  await d.keyboard.press('Space');
  await (await choosing).setFiles(path);
  await tabTo(d, d.getByRole('button', { name: 'Vérifier le journal' }));
  await d.keyboard.press('Enter');
  await expect(d.getByRole('status')).toContainText('Journal intact', { timeout: 60_000 });
  await expectAccessible(d, 'journal intact');
  await dpo.shot('journal-intact');

  // A copy whose last checkpoint was altered: the break is shown where it is.
  const last = file.checkpoints.at(-1);
  if (last === undefined) throw new Error('no checkpoint');
  last.hash = Buffer.alloc(32, 7).toString('base64');
  await input.setInputFiles({
    name: 'points-de-controle-modifies.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await d.getByRole('button', { name: 'Vérifier le journal' }).press('Enter');
  await expect(d.getByRole('alert')).toContainText(
    `Le fichier a été altéré au point de contrôle n° ${last.seq}`,
    {
      timeout: 60_000,
    },
  );
  await expect(d.getByRole('status')).not.toContainText('Journal intact');
  await expectAccessible(d, 'fichier altéré');
  await dpo.shot('fichier-altere');

  // A file kept from before the log's tail was cut: the break is shown where the log now ends.
  await input.setInputFiles(env('CLSM_CUT_FILE'));
  await d.getByRole('button', { name: 'Vérifier le journal' }).press('Enter');
  const cut = d.getByRole('alert');
  await expect(cut).toContainText(/Le journal est rompu à l’événement n° \d+/, { timeout: 60_000 });
  await expect(cut).toContainText('garantit l’événement n° 100000 : sa fin a été coupée');
  await expectAccessible(d, 'journal coupé');
  await dpo.shot('journal-coupe');

  const problems = [nurse, dpo].flatMap((p) => p.problems);
  expect(problems, 'no script error, no CSP violation').toEqual([]);
});
