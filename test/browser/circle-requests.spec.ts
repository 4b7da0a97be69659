import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, tabTo } from './keyboard.js';
import { enrolled, visit } from './people.js';

// Four eyes on an addition, in two browsers: the coordinator adds herself to a situation a nurse
// referred; the addition waits (she cannot approve it herself, and is told who may); the nurse
// approves it in the cercle, by keyboard, and the coordinator is then a participant. axe checks
// each state of the screen; screenshots (test data only) go to test-results/.

const env = (name: string) => process.env[name] ?? '';
const participants = (page: Page) => page.getByRole('table', { name: 'Participants' });
const REQUESTS = 'Ajouts en attente d’une seconde personne';
const APPROVE = 'Approuver l’ajout de Camille Coordination';

test('a coordinator’s addition of herself waits for a second participant, who approves it', async ({
  browser,
}, info) => {
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const n = nurse.page;
  const c = coordinator.page;

  // The nurse refers a situation: she is its first participant.
  await n.getByRole('main').getByRole('link', { name: 'Saisir une situation' }).click();
  await n.getByRole('button', { name: 'Saisir la situation' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(/^Situation /);
  const situation = n.url();

  // The coordinator, who sees every situation, adds herself: the addition only asks.
  await visit(c, `${situation}/cercle`);
  await c.getByRole('button', { name: /Membre/ }).click();
  await c.getByRole('option', { name: /^Camille Coordination/ }).click();
  await c.getByRole('button', { name: 'Ajouter au cercle' }).click();
  await expect(c.getByRole('status').filter({ hasText: 'Ajout demandé' })).toBeVisible({ timeout: 60_000 });
  await expect(participants(c).getByRole('row', { name: /Camille Coordination/ })).toHaveCount(0);
  const asked = c.getByRole('table', { name: REQUESTS });
  await expect(asked.getByRole('row', { name: /Camille Coordination/ })).toBeVisible();
  await expectAccessible(c, 'cercle, ajout demandé');
  await coordinator.shot('ajout-demande');
  // Nobody approves their own request: the refusal says who may.
  await asked.getByRole('button', { name: APPROVE }).click();
  await expect(c.getByRole('alert')).toContainText('Seul un autre participant tenu au secret');
  await expect(participants(c).getByRole('row', { name: /Camille Coordination/ })).toHaveCount(0);

  // The nurse sees the request in the cercle and approves it, by keyboard.
  await visit(n, `${situation}/cercle`);
  const pending = n.getByRole('region', { name: REQUESTS });
  await expect(pending.getByRole('row', { name: /Camille Coordination/ })).toContainText('Coordination');
  await expectAccessible(n, 'cercle, ajout en attente');
  await nurse.shot('ajout-en-attente');
  await tabTo(n, pending.getByRole('button', { name: APPROVE }));
  await n.keyboard.press('Enter');
  await expect(participants(n).getByRole('row', { name: /Camille Coordination/ })).toBeVisible({
    timeout: 60_000,
  });
  await expect(pending).toHaveCount(0);
  await expectAccessible(n, 'cercle, ajout approuvé');
  await nurse.shot('ajout-approuve');

  // The coordinator is now a participant.
  await visit(c, `${situation}/cercle`);
  await expect(participants(c).getByRole('row', { name: /Camille Coordination \(vous\)/ })).toBeVisible();
  await expect(c.getByRole('table', { name: REQUESTS })).toHaveCount(0);

  const problems = [nurse, coordinator].flatMap((p) => p.problems);
  expect(problems, 'no script error, no CSP violation').toEqual([]);
});
