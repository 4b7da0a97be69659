import { expect, test, type Page } from '@playwright/test';
import { addByKeyboard, chooseByKeyboard } from './circle.js';
import { expectAccessible, tabTo, typeInto } from './keyboard.js';
import { enrolled, visit } from './people.js';

// A sitting of the cellule, four professionals each in a browser of their own. The coordinator
// refers and accepts a situation and takes the nurse and the social worker into its cercle (the
// landlord takes no part in it); then, by keyboard alone, plans a sitting convening all four, puts
// the situation on the agenda, records attendance, takes the minutes (the committee's key made
// after its recipients were shown), records a decision with the person's adhesion and an action
// for the nurse already past its due date, and closes the sitting; a correction follows as a new
// signed entry, and the person's adhesion once she was asked. The nurse and the social worker read
// the minutes decrypted; the landlord sees the item masked. The minutes print without the forms;
// the overdue action shows in mes actions and in the coordinator's en retard. axe checks every new
// screen; screenshots (test data only) go to test-results/.

const env = (name: string) => process.env[name] ?? '';
const MINUTES = env('CLSM_MINUTES');
const ACTION = env('CLSM_ACTION');
const CORRECTION = env('CLSM_CORRECTION');

/** Days from today, as a native date input takes them. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Presses the button reached with Tab (`limit` presses at most: the sitting's page is long). */
async function pressByKeyboard(page: Page, name: string | RegExp, limit = 80): Promise<void> {
  await tabTo(page, page.getByRole('button', { name, exact: typeof name === 'string' }), limit);
  await page.keyboard.press('Enter');
}

test('a sitting from its agenda to closed minutes, with an overdue action', async ({ browser }, info) => {
  const out = (n: string) => info.outputPath(n);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const social = await enrolled(browser, env('CLSM_CODE_SOCIAL'), 'social', out);
  const landlord = await enrolled(browser, env('CLSM_CODE_LANDLORD'), 'bailleur', out);
  const c = coordinator.page;

  // The coordinator refers a situation, accepts it, and takes the nurse and the social worker in.
  await c.getByRole('main').getByRole('link', { name: 'Saisir une situation' }).click();
  await c.getByRole('button', { name: 'Saisir la situation' }).click();
  await expect(c.getByRole('heading', { level: 1 })).toHaveText(/^Situation /);
  const reference = ((await c.getByRole('heading', { level: 1 }).textContent()) ?? '').replace(
    'Situation ',
    '',
  );
  await c.getByRole('button', { name: 'Accepter la situation' }).click();
  await expect(c.getByText('Statut : Acceptée')).toBeVisible();
  await c.getByRole('link', { name: 'Le cercle' }).click();
  await addByKeyboard(c, 'Inès Infirmière', ['Synthèse', 'Santé', 'Cellule (comptes rendus et décisions)']);
  await addByKeyboard(c, 'Sacha Social', ['Synthèse', 'Social', 'Cellule (comptes rendus et décisions)']);

  // Séances, by keyboard alone: a new sitting convening the four of them.
  await tabTo(c, c.getByRole('link', { name: 'Séances' }));
  await c.keyboard.press('Enter');
  await expect(c.getByRole('heading', { level: 1 })).toHaveText('Séances de la cellule');
  await expect(c.getByText('Aucune séance.')).toBeVisible();
  await expectAccessible(c, 'séances');
  // A native date-time input: reached by Tab, its segments follow the browser's locale.
  await tabTo(c, c.getByLabel('Date et heure'));
  await c.getByLabel('Date et heure').fill(`${day(0)}T14:00`);
  await typeInto(c, c.getByLabel('Lieu'), 'Mairie, salle 2');
  const convened = c.getByRole('group', { name: 'Membres convoqués' });
  await expect(convened.getByRole('checkbox', { name: /^Camille Coordination/ })).toBeChecked();
  for (const who of [/^Inès Infirmière/, /^Sacha Social/, /^Lou Bailleur/]) {
    await tabTo(c, convened.getByRole('checkbox', { name: who }));
    await c.keyboard.press('Space');
    await expect(convened.getByRole('checkbox', { name: who })).toBeChecked();
  }
  await pressByKeyboard(c, 'Planifier la séance');
  await expect(c.getByRole('heading', { level: 1 })).toHaveText(/^Séance du /);
  const sitting = c.url();
  await expect(c.getByText('Aucune situation à l’ordre du jour.')).toBeVisible();
  await expectAccessible(c, 'séance prévue');

  // The agenda, the attendance (the landlord excused), the sitting held.
  await expect(c.getByRole('button', { name: /Situation à inscrire$/ })).toContainText(reference);
  await pressByKeyboard(c, 'Inscrire à l’ordre du jour');
  const item = c.getByRole('region', { name: `1. Situation ${reference}` });
  await expect(item).toBeVisible();
  const excused = c.getByRole('radiogroup', { name: 'Présence de Lou Bailleur' });
  await tabTo(c, excused.getByRole('radio', { name: 'Présent·e' }), 80);
  await c.keyboard.press('ArrowDown');
  await expect(excused.getByRole('radio', { name: 'Excusé·e' })).toBeChecked();
  await pressByKeyboard(c, 'Enregistrer les présences');
  await expect(c.getByRole('status').filter({ hasText: 'Présences enregistrées.' })).toBeVisible();
  await expect(c.getByRole('listitem').filter({ hasText: 'Lou Bailleur : Excusé·e' })).toBeVisible();
  await pressByKeyboard(c, 'Marquer la séance comme tenue');
  await expect(c.getByText('Statut : Tenue')).toBeVisible();

  // Minutes taken live: the first makes the committee's key, its recipients shown first.
  await typeInto(c, item.getByLabel(`Compte rendu — situation ${reference}`), MINUTES, 80);
  await pressByKeyboard(c, 'Ajouter au compte rendu');
  const ask = item.getByRole('region', { name: /^Une nouvelle clé va être créée/ });
  await expect(ask).toBeVisible({ timeout: 60_000 });
  for (const r of ['Camille Coordination', 'Inès Infirmière', 'Sacha Social'])
    await expect(ask).toContainText(r);
  await expect(ask).not.toContainText('Lou Bailleur');
  await expectAccessible(c, 'séance, clé de la cellule');
  await pressByKeyboard(c, 'Confirmer, créer la clé et enregistrer l’entrée');
  await expect(item.locator('.entry').filter({ hasText: MINUTES })).toContainText('Signature vérifiée', {
    timeout: 60_000,
  });

  // A decision, the person agreeing; an action for the nurse, its due date already past.
  await chooseByKeyboard(c, /Décision$/, 'Orientation vers le soin', 80);
  await tabTo(c, item.getByRole('radio', { name: 'Pas encore sollicitée' }), 80);
  await c.keyboard.press('ArrowUp');
  await c.keyboard.press('ArrowUp');
  await expect(item.getByRole('radio', { name: 'Adhère', exact: true })).toBeChecked();
  await pressByKeyboard(c, 'Enregistrer la décision');
  await expect(item.getByRole('listitem').filter({ hasText: 'Orientation vers le soin' })).toContainText(
    'Adhésion de la personne : Adhère',
  );
  await typeInto(c, item.getByLabel('Action à mener'), ACTION, 80);
  await chooseByKeyboard(c, /Confiée à$/, 'Inès Infirmière', 80);
  await tabTo(c, item.getByLabel('Échéance'), 80);
  await item.getByLabel('Échéance').fill(day(-2));
  await pressByKeyboard(c, 'Créer l’action');
  await expect(item.getByRole('listitem').filter({ hasText: ACTION })).toContainText('Inès Infirmière', {
    timeout: 60_000,
  });
  await expectAccessible(c, 'séance tenue');
  await coordinator.shot('seance-tenue');

  // Those party to the situation read the minutes, decrypted in their browser; the landlord, who
  // takes no part in it, sees that an item is there, and nothing of it.
  for (const member of [nurse, social]) {
    await visit(member.page, new URL(sitting).pathname);
    const theirs = member.page.getByRole('region', { name: `1. Situation ${reference}` });
    await expect(theirs.locator('.entry').filter({ hasText: MINUTES })).toContainText('Signature vérifiée', {
      timeout: 60_000,
    });
    await expect(theirs).toContainText('Orientation vers le soin');
    await expect(member.page.getByLabel(`Compte rendu — situation ${reference}`)).toHaveCount(0);
  }
  const l = landlord.page;
  await visit(l, '/seances');
  await expect(l.getByRole('table', { name: 'Séances de la cellule' })).toContainText('Mairie, salle 2');
  await expectAccessible(l, 'séances, partenaire');
  await l.getByRole('table', { name: 'Séances de la cellule' }).getByRole('link').click();
  await expect(l.getByRole('region', { name: '1. Situation masquée' })).toContainText(
    'Vous ne participez pas à cette situation',
  );
  await expect(l.getByText(reference)).toHaveCount(0);
  await expect(l.getByText(MINUTES)).toHaveCount(0);
  await expectAccessible(l, 'séance, situation masquée');
  await landlord.shot('seance-masquee');

  // Closed, by keyboard: the minutes are frozen; a correction is a new entry that refers to them.
  await pressByKeyboard(c, 'Clore la séance');
  const closing = c.getByRole('dialog');
  await expect(closing).toContainText('Le compte rendu et les décisions seront figés');
  await expectAccessible(c, 'séance, clôture');
  await tabTo(c, closing.getByRole('button', { name: 'Clore la séance' }));
  await c.keyboard.press('Enter');
  await expect(c.getByText('Séance close : le compte rendu est figé.')).toBeVisible();
  await expect(item.getByLabel(`Compte rendu — situation ${reference}`)).toHaveCount(0);
  await typeInto(c, item.getByLabel('Correction de ce compte rendu'), CORRECTION, 80);
  await pressByKeyboard(c, 'Ajouter la correction');
  await expect(item.locator('.correction').filter({ hasText: CORRECTION })).toContainText(
    'Signature vérifiée',
    {
      timeout: 60_000,
    },
  );
  // The person, asked after the sitting, disagrees: her adhesion is recorded on the closed sitting.
  await chooseByKeyboard(c, /Adhésion de la personne — Orientation vers le soin$/, 'N’adhère pas', 80);
  await expect(item.getByRole('listitem').filter({ hasText: 'Orientation vers le soin' })).toContainText(
    'Adhésion de la personne : N’adhère pas',
  );
  await expectAccessible(c, 'séance close');
  await coordinator.shot('seance-close');

  // The compte rendu prints from the browser, without the header, the forms and the buttons.
  // The browser's print dialog would wait for a person: counted instead.
  await c.evaluate(() => {
    const counted = globalThis as unknown as { printed: number; print: () => void };
    counted.printed = 0;
    counted.print = () => {
      counted.printed += 1;
    };
  });
  await pressByKeyboard(c, 'Imprimer le compte rendu');
  expect(await c.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1);
  await c.emulateMedia({ media: 'print' });
  await expect(c.locator('header.header')).toBeHidden();
  await expect(c.getByRole('button', { name: 'Imprimer le compte rendu' })).toBeHidden();
  await expect(item.getByLabel('Correction de ce compte rendu')).toBeHidden();
  await expect(item.getByText(MINUTES)).toBeVisible();
  await expect(item.getByText(CORRECTION)).toBeVisible();
  await coordinator.shot('compte-rendu-imprime');
  await c.emulateMedia({ media: 'screen' });

  // Mes actions: the nurse's action, overdue; en retard, for the coordinator.
  const n = nurse.page;
  await n.getByRole('link', { name: 'File active' }).click();
  await n.getByRole('link', { name: '1 de vos actions de suivi est en retard' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText('Mes actions');
  const rows = n.getByRole('table', { name: 'Mes actions' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('En retard');
  await expect(rows.nth(1)).toContainText(ACTION, { timeout: 60_000 });
  await c.getByRole('link', { name: 'Mes actions' }).click();
  await expect(c.getByRole('table', { name: 'En retard' })).toContainText(reference);
  await expectAccessible(c, 'mes actions, en retard');
  await coordinator.shot('en-retard');

  const problems = [coordinator, nurse, social, landlord].flatMap((p) => p.problems);
  expect(problems, 'no script error, no CSP violation').toEqual([]);
});
