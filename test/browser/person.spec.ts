import { expect, test, type Browser, type Request } from '@playwright/test';
import { ClsmClient } from '../../src/client/client.js';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';
import { enrolled, freshPage, PASSPHRASE, visit } from './people.js';

// The person's own space. A coordinator working from a script (the SDK, as the CLI does) refers a
// situation, takes in the nurse and the landlord, records the person's consent that opens the
// synthesis to partners, and holds a sitting that decides about the situation; the landlord reads
// the synthesis. The nurse invites the person, who enrolls a phone (390x844) with the code shown;
// the nurse certifies them with the code they read out, adds them with their space alone, and
// shares the decision in plain words. The person reads it and, by keyboard alone, disagrees in
// their own words, then takes the landlord's access away. The landlord is refused at once by the
// server, and told so by the app; the nurse's next synthesis entry is under a new key; the
// person's access report shows the landlord's read, the refusal and their own choice. axe checks
// every screen of the person; screenshots (test data only) go to test-results/.

const env = (name: string) => process.env[name] ?? '';
const ENTRY = env('CLSM_MARKER');
const AFTER = env('CLSM_AFTER');
const WORDS = env('CLSM_WORDS');
const DECISION = 'Une infirmière viendra chez vous une fois par semaine.';

/** The coordinator's script: the situation, its cercle, the consent, a sitting's decision. */
async function situation(script: ClsmClient, nurseId: string, landlordId: string): Promise<string> {
  const { id } = await script.cases.refer('incurie', 'soon');
  await script.cases.transition(id, 'accept');
  await script.cases.write(id, 'synthesis', new TextEncoder().encode(ENTRY));
  await script.cases.addParticipant(id, nurseId);
  await script.cases.addParticipant(id, landlordId, ['synthesis']);
  await script.consent.record(id, { decision: 'given', scope: ['partner:synthesis'], obtained: 'oral' });
  await script.cases.shareKeys(id);
  const sitting = await script.sittings.create(new Date(), 'Mairie, salle 2', [
    script.identity.memberId,
    nurseId,
  ]);
  const item = await script.sittings.addToAgenda(sitting, id);
  await script.sittings.hold(sitting);
  await script.sittings.decide(sitting, item, 'visite_conjointe');
  return id;
}

/** The person enrolls a phone with the code, by keyboard alone; returns their page and the code to read out. */
async function personEnrolls(browser: Browser, code: string, problems: string[]) {
  const page = await freshPage(browser, 'personne', problems);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await typeInto(page, page.getByLabel('Code d’inscription'), code);
  await typeInto(page, page.getByLabel('Phrase de passe', { exact: true }), PASSPHRASE);
  await typeInto(page, page.getByLabel('Confirmez la phrase de passe'), PASSPHRASE);
  await tabTo(page, page.getByRole('button', { name: 'Inscrire cet appareil' }));
  await page.keyboard.press('Enter');
  const status = page.getByRole('status');
  await expect(status).toContainText('Cet appareil est inscrit.', { timeout: 60_000 });
  const sas = /Lisez ce code à la personne qui vous aide : (.+?)\./.exec(
    (await status.textContent()) ?? '',
  )?.[1];
  if (sas === undefined) throw new Error('no code to read out');
  return { page, sas };
}

test('the person enrolls, disagrees with a decision and takes the landlord’s access away', async ({
  browser,
}, info) => {
  // Three enrollments (each an Argon2id derivation), a key rotation and two browsers' reads: on the
  // embedded database and two cores this runs past the 150 s every other spec fits in.
  test.setTimeout(300_000);
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const landlord = await enrolled(browser, env('CLSM_CODE_LANDLORD'), 'bailleur', out);
  const { identity, anchor } = await ClsmClient.enroll(info.project.use.baseURL ?? '', env('CLSM_CODE_SEED'));
  const script = new ClsmClient(identity, { anchor });
  await script.acceptCharter((await script.charter()).version);
  // Each colleague is certified by the CLSM's root once enrolled: wait for the directory to say so.
  await expect
    .poll(async () => (await script.members()).filter((x) => x.certifiedBy !== undefined).length, {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(4);
  const caseId = await situation(script, env('CLSM_NURSE_ID'), env('CLSM_LANDLORD_ID'));
  const path = `/situations/${caseId}`;

  // The landlord reads the synthesis; the request their app made is kept, to make it again later.
  const l = landlord.page;
  const reads: Request[] = [];
  l.on('request', (r) => {
    if (r.method() === 'GET' && r.url().includes(`/v1/cases/${caseId}/compartments/synthesis/entries`))
      reads.push(r);
  });
  await visit(l, path);
  await expect(l.locator('.entry').filter({ hasText: ENTRY })).toContainText('Signature vérifiée', {
    timeout: 60_000,
  });
  const read = reads.at(-1);
  if (read === undefined) throw new Error('the landlord’s app read nothing');

  // The nurse invites the person, who is there with their phone.
  const n = nurse.page;
  await visit(n, path);
  const side = n.getByRole('region', { name: 'Espace de la personne' });
  await side.getByRole('button', { name: 'Créer un code d’inscription pour la personne' }).click();
  const code = (await side.locator('code.code').textContent()) ?? '';
  await expect(side.getByRole('img', { name: 'Le même code en QR code' })).toBeVisible();
  await expectAccessible(n, 'situation, code de la personne');
  await nurse.shot('personne-invitee');
  const problems: string[] = [];
  const person = await personEnrolls(browser, code, problems);
  const p = person.page;
  await expectAccessible(p, 'inscription de la personne');
  const shot = (name: string) => p.screenshot({ path: out(`personne-${name}.png`), fullPage: true });
  await shot('inscrite');

  // The nurse types the code the person reads out, adds them, and shares the decision.
  await side.getByRole('button', { name: 'La personne s’est inscrite ? Actualiser' }).click();
  await side.getByLabel(/^Code lu par /).fill(person.sas);
  await side.getByRole('button', { name: 'Certifier' }).click();
  await side.getByRole('button', { name: 'Ajouter la personne et lui donner la clé de son espace' }).click();
  await expect(side.getByRole('status').filter({ hasText: 'La personne a accès à son espace.' })).toBeVisible(
    {
      timeout: 60_000,
    },
  );
  await side.getByLabel('La décision en mots simples').fill(DECISION);
  await side.getByRole('button', { name: 'Partager la décision' }).click();
  const ask = n.getByRole('region', { name: /^Une nouvelle clé va être créée/ });
  await expect(ask).toBeVisible({ timeout: 60_000 });
  await expect(ask).not.toContainText('Lou Bailleur');
  await ask.getByRole('button', { name: 'Confirmer, créer la clé et enregistrer l’entrée' }).click();
  await expect(side.getByRole('status').filter({ hasText: 'Partagé avec la personne.' })).toBeVisible({
    timeout: 60_000,
  });

  // The person opens their space: no charte, nothing but their space.
  await tabTo(p, p.getByRole('button', { name: 'Aller à mon espace' }), 80);
  await p.keyboard.press('Enter');
  await expect(p).toHaveURL(/\/mon-espace$/);
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Mon espace');
  await expect(p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link')).toHaveText([
    'Mon espace',
  ]);
  const decisions = p.getByRole('region', { name: 'Ce que l’équipe a décidé' });
  await expect(decisions).toContainText(DECISION, { timeout: 60_000 });
  await expectAccessible(p, 'mon espace');
  await shot('mon-espace');

  // By keyboard alone: not agreeing, in their own words.
  await tabTo(p, decisions.getByRole('radio', { name: 'Je suis d’accord' }), 60);
  await p.keyboard.press('ArrowDown');
  await expect(decisions.getByRole('radio', { name: 'Je ne suis pas d’accord' })).toBeChecked();
  await typeInto(p, decisions.getByLabel('Dites-le avec vos mots'), WORDS);
  await tabTo(p, decisions.getByRole('button', { name: 'Envoyer ma réponse' }));
  await p.keyboard.press('Enter');
  await expect(decisions.getByRole('status')).toHaveText(
    'Votre réponse est envoyée. L’équipe peut la lire.',
    {
      timeout: 60_000,
    },
  );
  await expect(decisions).toContainText('Vous avez dit : je ne suis pas d’accord.');
  await expect(decisions).toContainText(WORDS);
  await expectAccessible(p, 'mon espace, réponse envoyée');

  // By keyboard alone: the landlord's access taken away, after a confirmation.
  const consent = p.getByRole('region', { name: 'Qui peut voir mon dossier' });
  await expect(consent).toContainText(
    'Les partenaires (Office HLM) peuvent voir : le résumé de votre situation.',
  );
  await tabTo(p, consent.getByRole('button', { name: 'Retirer l’accès : Les partenaires (Office HLM)' }), 80);
  await p.keyboard.press('Enter');
  const dialog = p.getByRole('dialog');
  await expect(dialog).toContainText(
    'Les partenaires (Office HLM) ne pourront plus voir : le résumé de votre situation.',
  );
  await expectAccessible(p, 'mon espace, retirer l’accès');
  await shot('retirer');
  await tabTo(p, dialog.getByRole('button', { name: 'Oui, retirer l’accès' }));
  await p.keyboard.press('Enter');
  await expect(consent.getByRole('status')).toHaveText(
    'C’est noté. Les partenaires (Office HLM) ne peuvent plus voir : le résumé de votre situation.',
    { timeout: 60_000 },
  );
  await expect(consent).toContainText(
    'Les partenaires (Office HLM) ne peuvent pas voir : qui vous êtes, le résumé de votre situation',
  );
  await expect(consent).toContainText('vous avez retiré votre accord');

  // The landlord's app makes its read again: the server refuses it at once.
  const again = await l.request.get(read.url(), { headers: await read.allHeaders() });
  expect([403, 404], 'the landlord’s read refused by the server').toContain(again.status());
  await visit(l, path);
  await expect(l.getByRole('region', { name: 'Synthèse' })).toContainText('ne couvre pas (ou plus)');
  await expect(l.getByText(ENTRY)).toHaveCount(0);
  await landlord.shot('acces-retire-par-la-personne');

  // The nurse hands the synthesis's new key to those who remain, then writes under it.
  await visit(n, `${path}/cercle`);
  const panel = n.getByRole('region', { name: 'Transmission des clés' });
  await expect(panel).toContainText('Synthèse : nouvelle clé');
  await expect(panel).not.toContainText('Lou Bailleur');
  await panel.getByRole('button', { name: 'Confirmer et transmettre les clés' }).click();
  await expect(n.getByRole('status').filter({ hasText: 'Clés transmises' })).toBeVisible({ timeout: 60_000 });
  await visit(n, path);
  await n.locator('label.radio', { hasText: 'Synthèse' }).click();
  await n.getByLabel('Texte').fill(AFTER);
  await n.getByRole('button', { name: 'Enregistrer l’entrée' }).click();
  // Sealed and sent from the nurse's browser: a refusal would show as an alert, and say why.
  const write = n.getByRole('region', { name: 'Écrire une entrée' });
  await expect(write.getByRole('status').or(write.getByRole('alert'))).toBeVisible({ timeout: 120_000 });
  await expect(write.getByRole('alert'), 'the entry is saved').toHaveCount(0);
  await expect(n.locator('.entry').filter({ hasText: AFTER })).toContainText('Signature vérifiée', {
    timeout: 60_000,
  });
  const synthesis = await script.cases.timeline(caseId, 'synthesis');
  expect(
    synthesis.map((e) => e.keyVersion),
    'the first entry under the first key, the one after the withdrawal under a new one',
  ).toEqual([1, 2]);
  // The nurse reads what the person wrote, signed by them.
  await expect(side.getByRole('region', { name: 'Ce que la personne a écrit' })).toContainText(WORDS);
  await nurse.shot('personne-a-repondu');

  // The person's access report: the landlord's read, the refusal, their own choice.
  await visit(p, '/mon-espace');
  const report = p.getByRole('region', { name: 'Qui a consulté mon dossier' });
  await expect(report.getByRole('listitem').first()).toBeVisible({ timeout: 60_000 });
  // The latest lines first; the older ones behind a button, opened by keyboard.
  const older = report.getByRole('button', { name: /^Voir les \d+ lignes plus anciennes$/ });
  if ((await older.count()) > 0) {
    await tabTo(p, older, 120);
    await p.keyboard.press('Enter');
    await expect(older).toHaveCount(0);
  }
  const refused = report
    .locator('.person-refused')
    .filter({ hasText: 'Lou Bailleur (partenaire) a voulu voir : le résumé de votre situation.' });
  await expect(refused.first()).toContainText('Ce n’était pas permis.');
  await expect(report).toContainText('Lou Bailleur (partenaire) a lu : le résumé de votre situation.');
  await expect(report).toContainText(/Vous avez (choisi qui peut voir votre dossier|retiré votre accord)\./);
  await expectAccessible(p, 'mon espace, accès');
  await shot('acces');

  // Nothing else is theirs: the professionals' screens send them back to their space.
  await p.goto(path);
  await p.getByLabel('Phrase de passe').fill(PASSPHRASE);
  await p.keyboard.press('Enter');
  await expect(p).toHaveURL(/\/mon-espace$/, { timeout: 60_000 });

  expect([...nurse.problems, ...landlord.problems, ...problems], 'no script error, no CSP violation').toEqual(
    [],
  );
});
