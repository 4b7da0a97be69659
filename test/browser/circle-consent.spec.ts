import { expect, test, type Page } from '@playwright/test';
import { ClsmClient } from '../../src/client/client.js';
import { addByKeyboard } from './circle.js';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';
import { enrolled, visit, writeEntry } from './people.js';

// Four professionals, each in a browser of their own: a nurse refers a situation and writes in it;
// the cercle grows by keyboard alone, each key handed over after its recipients were shown; the
// person's consent opens the synthesis to the landlord, who reads it, then is withdrawn, and the
// landlord's page says they lost access; the coordinator removes the social worker and hands the
// new key to those who remain; a legal exception is requested, approved by another member and
// closed; a coordinator's script gives the nurse two actions, and mes actions shows the overdue one
// first and marks it done. axe checks every new screen; screenshots (test data only) go to
// test-results/.

const env = (name: string) => process.env[name] ?? '';
const ENTRY = env('CLSM_MARKER');
const JUSTIFICATION = env('CLSM_JUSTIFICATION');
const ACTION = env('CLSM_ACTION');
const EVIDENCE = env('CLSM_EVIDENCE');

/** Days from today, as the API's calendar dates. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * A coordinator's script: accepts the situation, puts it on a sitting's agenda and gives the
 * nurse two actions, one overdue, each described in an encrypted entry of the committee.
 */
async function followUpActions(script: ClsmClient, caseId: string, nurseId: string): Promise<void> {
  await script.cases.transition(caseId, 'accept');
  const sitting = await script.sittings.create(new Date(), 'Mairie, salle 2', [
    script.identity.memberId,
    nurseId,
  ]);
  const item = await script.sittings.addToAgenda(sitting, caseId);
  const what = (text: string) => new TextEncoder().encode(text);
  await script.sittings.action(sitting, item, caseId, nurseId, day(20), what('Rappeler le bailleur'));
  await script.sittings.action(sitting, item, caseId, nurseId, day(-3), what(ACTION));
}

/** Confirms the handover of keys by keyboard, after checking who receives them. */
async function handOver(page: Page, recipients: string[], absent: string[] = []): Promise<void> {
  const panel = page.getByRole('region', { name: 'Transmission des clés' });
  await expect(panel).toBeVisible();
  for (const r of recipients) await expect(panel).toContainText(r);
  for (const r of absent) await expect(panel).not.toContainText(r);
  await tabTo(page, panel.getByRole('button', { name: 'Confirmer et transmettre les clés' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Clés transmises' })).toBeVisible({
    timeout: 60_000,
  });
}

test('the cercle, consent given then withdrawn, a removal and its key rotation', async ({
  browser,
}, info) => {
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const social = await enrolled(browser, env('CLSM_CODE_SOCIAL'), 'social', out);
  const landlord = await enrolled(browser, env('CLSM_CODE_LANDLORD'), 'bailleur', out);
  const n = nurse.page;

  // The nurse refers a situation and writes the first entry of its synthesis.
  await n.getByRole('main').getByRole('link', { name: 'Saisir une situation' }).click();
  await n.getByRole('button', { name: 'Saisir la situation' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(/^Situation /);
  const situation = n.url();
  await writeEntry(n, 'Synthèse', ENTRY, ['Inès Infirmière (vous)']);

  // Le cercle, by keyboard alone: the coordinator and the social worker, then the landlord for the synthesis.
  await tabTo(n, n.getByRole('link', { name: 'Le cercle' }));
  await n.keyboard.press('Enter');
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(/^Le cercle de la situation /);
  await expect(
    n.getByRole('table', { name: 'Participants' }).getByRole('row', { name: /Inès Infirmière \(vous\)/ }),
  ).toBeVisible();
  await expectAccessible(n, 'cercle');
  await addByKeyboard(n, 'Camille Coordination', ['Synthèse', 'Cellule (comptes rendus et décisions)']);
  await expectAccessible(n, 'cercle, transmission des clés');
  await nurse.shot('cercle-transmission');
  await handOver(n, ['Camille Coordination', 'Coordination', 'CLSM']);
  await addByKeyboard(n, 'Sacha Social', ['Synthèse', 'Social']);
  await handOver(n, ['Sacha Social', 'CCAS']);
  await addByKeyboard(n, 'Lou Bailleur', ['Synthèse']);
  // Without the person's consent, the landlord is entitled to nothing: no key is offered.
  await expect(n.getByRole('region', { name: 'Transmission des clés' })).toHaveCount(0);
  await expect(
    n.getByRole('table', { name: 'Participants' }).getByRole('row', { name: /Lou Bailleur/ }),
  ).toContainText('Aucun');
  await nurse.shot('cercle');

  // The landlord's page says why the synthesis stays closed.
  await visit(landlord.page, situation);
  const landlordSynthesis = landlord.page.getByRole('region', { name: 'Synthèse' });
  await expect(landlordSynthesis).toContainText('Le consentement de la personne ne couvre pas');

  // Le panneau du consentement, by keyboard alone: consent given, the synthesis opened to partners.
  await visit(n, situation);
  await tabTo(n, n.getByRole('link', { name: 'Consentement' }));
  await n.keyboard.press('Enter');
  await expect(n.getByRole('heading', { level: 1 })).toHaveText(/^Consentement de la personne/);
  await expect(n.getByText('Aucun consentement recueilli.')).toBeVisible();
  await expectAccessible(n, 'consentement');
  await expect(n.getByRole('radio', { name: 'Consentement donné' })).toBeChecked();
  const record = n.getByRole('region', { name: 'Enregistrer la position de la personne' });
  await tabTo(n, record.getByRole('checkbox', { name: 'Partenaire : Synthèse' }));
  await n.keyboard.press('Space');
  await expect(record.getByRole('checkbox', { name: 'Partenaire : Synthèse' })).toBeChecked();
  await tabTo(n, n.getByRole('radio', { name: 'Oralement' }));
  await n.keyboard.press('ArrowDown');
  await expect(n.getByRole('radio', { name: 'Par écrit' })).toBeChecked();
  await typeInto(n, record.getByLabel('Trace du recueil (facultatif)'), EVIDENCE);
  // The review date is a native date input: reached by Tab, its segments follow the browser's locale.
  await tabTo(n, n.getByLabel('À revoir le (facultatif)'));
  await n.getByLabel('À revoir le (facultatif)').fill('2027-12-31');
  await tabTo(n, n.getByRole('button', { name: 'Enregistrer', exact: true }));
  await n.keyboard.press('Enter');
  await expect(n.getByRole('status').filter({ hasText: 'Position enregistrée' })).toBeVisible();
  await expect(n.getByText('Consentement donné.')).toBeVisible();
  await expect(n.getByText('Il couvre : Partenaire : Synthèse.')).toBeVisible();
  await expect(
    n.getByRole('table', { name: 'Historique' }).getByRole('cell', { name: '31 déc. 2027' }),
  ).toBeVisible();
  await expectAccessible(n, 'consentement donné');
  await nurse.shot('consentement-donne');
  await handOver(n, ['Lou Bailleur', 'Office HLM']);

  // The landlord reads the synthesis, decrypted and verified in their browser.
  await visit(landlord.page, situation);
  await expect(landlord.page.locator('.entry').filter({ hasText: ENTRY })).toContainText(
    'Signature vérifiée',
    {
      timeout: 60_000,
    },
  );
  await landlord.shot('synthese-lue');

  // Consent withdrawn, by keyboard: the landlord loses the synthesis at once, and is told so.
  await tabTo(n, n.getByRole('radio', { name: 'Consentement donné' }));
  await n.keyboard.press('ArrowDown');
  await n.keyboard.press('ArrowDown');
  await expect(n.getByRole('radio', { name: 'Retrait du consentement' })).toBeChecked();
  await tabTo(n, n.getByRole('button', { name: 'Enregistrer le retrait du consentement' }));
  await n.keyboard.press('Enter');
  await expect(n.getByText('La personne a retiré son consentement.')).toBeVisible();
  await expect(n.getByRole('status').filter({ hasText: /1 accès retiré/ })).toBeVisible();
  await expect(n.getByRole('table', { name: 'Historique' }).getByRole('row')).toHaveCount(3);
  await nurse.shot('consentement-retire');
  await visit(landlord.page, situation);
  await expect(landlord.page.getByText('La personne a retiré son consentement')).toBeVisible();
  await expect(landlordSynthesis).toContainText('ne couvre pas (ou plus) ce compartiment');
  await expect(landlord.page.getByText(ENTRY)).toHaveCount(0);
  await expectAccessible(landlord.page, 'situation, accès retiré');
  await landlord.shot('acces-retire');

  // The coordinator removes the social worker; the new synthesis key goes to those who remain.
  const c = coordinator.page;
  await visit(c, `${situation}/cercle`);
  await expect(
    c.getByRole('table', { name: 'Participants' }).getByRole('row', { name: /Sacha Social/ }),
  ).toBeVisible();
  // Narrowing, by keyboard: the nurse no longer needs the social compartment.
  await tabTo(c, c.getByRole('button', { name: 'Restreindre : Inès Infirmière' }));
  await c.keyboard.press('Enter');
  const narrow = c.getByRole('dialog');
  await expect(narrow).toContainText('Restreindre ce que Inès Infirmière doit connaître');
  await expectAccessible(c, 'cercle, restreindre');
  await tabTo(c, narrow.getByRole('checkbox', { name: 'Social' }));
  await c.keyboard.press('Space');
  await tabTo(c, narrow.getByRole('button', { name: 'Restreindre', exact: true }));
  await c.keyboard.press('Enter');
  await expect(narrow).toHaveCount(0);
  await expect(
    c.getByRole('table', { name: 'Participants' }).getByRole('row', { name: /Inès Infirmière/ }),
  ).not.toContainText('Social');
  await tabTo(c, c.getByRole('button', { name: 'Retirer : Sacha Social' }));
  await c.keyboard.press('Enter');
  await expect(c.getByRole('dialog')).toContainText('Retirer Sacha Social de la situation ?');
  await expectAccessible(c, 'cercle, retrait');
  await tabTo(c, c.getByRole('button', { name: 'Retirer de la situation' }));
  await c.keyboard.press('Enter');
  await expect(
    c.getByRole('table', { name: 'Participants' }).getByRole('row', { name: /Sacha Social/ }),
  ).toHaveCount(0);
  await expect(c.getByText('Synthèse : nouvelle clé')).toBeVisible();
  await coordinator.shot('rotation');
  await handOver(c, ['Inès Infirmière', 'Camille Coordination'], ['Sacha Social', 'Lou Bailleur']);
  await visit(c, situation);
  await expect(c.locator('.entry').filter({ hasText: ENTRY })).toContainText('Signature vérifiée', {
    timeout: 60_000,
  });

  // The removed social worker no longer sees the situation, and is told what to do.
  await visit(social.page, situation);
  await expect(social.page.getByRole('alert')).toContainText('vous n’y participez pas');

  // A legal exception: requested by the nurse, approved by the coordinator, closed by the nurse.
  await visit(n, `${situation}/consentement`);
  const request = n.getByRole('region', { name: 'Demander une exception légale' });
  await request.locator('label', { has: n.getByRole('checkbox', { name: 'Partenaire : Synthèse' }) }).click();
  await request.getByLabel('Justification').fill(JUSTIFICATION);
  await request.getByRole('button', { name: 'Demander l’exception' }).click();
  await expect(n.getByText('Exception demandée.')).toBeVisible({ timeout: 60_000 });
  await expect(n.getByRole('table', { name: 'Exceptions légales' })).toContainText(
    'en attente d’approbation',
  );
  await expectAccessible(n, 'exception demandée');
  // Nobody approves their own request: the refusal says who may.
  await n
    .getByRole('table', { name: 'Exceptions légales' })
    .getByRole('button', { name: 'Approuver' })
    .click();
  await expect(n.getByRole('table', { name: 'Exceptions légales' }).getByRole('alert')).toContainText(
    'par un second membre',
  );
  await visit(c, `${situation}/consentement`);
  await c.getByRole('button', { name: 'Approuver' }).click();
  await expect(c.getByRole('table', { name: 'Exceptions légales' })).toContainText('En vigueur jusqu’au');
  await coordinator.shot('exception-approuvee');
  await visit(n, `${situation}/consentement`);
  await n.getByRole('table', { name: 'Exceptions légales' }).getByRole('button', { name: 'Clore' }).click();
  await expect(n.getByRole('table', { name: 'Exceptions légales' })).toContainText('Close');

  // Mes actions: a coordinator working from a script (the SDK, as the CLI does) holds a sitting that
  // gives the nurse two follow-up actions, one overdue; the nurse sees it first and marks it done.
  const { identity, anchor } = await ClsmClient.enroll(info.project.use.baseURL ?? '', env('CLSM_CODE_SEED'));
  const script = new ClsmClient(identity, { anchor });
  await script.acceptCharter((await script.charter()).version);
  await visit(n, `${situation}/cercle`);
  await addByKeyboard(n, 'Dominique Séance', ['Cellule (comptes rendus et décisions)']);
  const caseId = new URL(situation).pathname.split('/').at(-1) ?? '';
  await followUpActions(script, caseId, env('CLSM_NURSE_ID'));
  await n.getByRole('link', { name: 'Mes actions' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText('Mes actions');
  const rows = n.getByRole('table', { name: 'Mes actions' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('En retard');
  await expect(rows.nth(1)).toContainText(ACTION, { timeout: 60_000 });
  await expect(rows.nth(2)).toContainText('À venir');
  await expectAccessible(n, 'mes actions');
  await nurse.shot('mes-actions');
  await tabTo(n, rows.nth(1).getByRole('button', { name: /^Marquer comme faite/ }));
  await n.keyboard.press('Enter');
  await expect(n.getByRole('status').filter({ hasText: 'Action mise à jour.' })).toBeVisible();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('À venir');

  const problems = [nurse, coordinator, social, landlord].flatMap((p) => p.problems);
  expect(problems, 'no script error, no CSP violation').toEqual([]);
});
