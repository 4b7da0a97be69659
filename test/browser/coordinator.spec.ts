import { expect, test, type Locator } from '@playwright/test';
import jsqr from 'jsqr';
import { expectAccessible, tabTo } from './keyboard.js';
import { enrolled, PASSPHRASE } from './people.js';

// The coordination's screens. The coordinator invites someone: the code shows as text and as a QR
// code that reads back to the same text. She suspends a nurse with the keyboard alone: the nurse's
// next request is refused, in plain French; once reinstated, the nurse carries on. She publishes
// the next version of the charte: the nurse, on her next visit, is asked to accept it first. Axe
// checks each screen, and the CLSM's settings, which nobody edits in the app.

const env = (name: string) => process.env[name] ?? '';
const NURSE = 'Inès Infirmière';

/** The text a QR code drawn as SVG modules holds, read by a QR decoder from its pixels. */
async function decodeQr(svg: Locator): Promise<string | undefined> {
  const { side, cells } = await svg.evaluate((el) => ({
    side: Number(el.getAttribute('viewBox')?.split(' ')[2]),
    cells: [...el.querySelectorAll('rect[fill="#000"]')].map((r) => [
      Number(r.getAttribute('x')),
      Number(r.getAttribute('y')),
    ]),
  }));
  const scale = 4;
  const width = side * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [x = 0, y = 0] of cells)
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale; dx++) {
        const at = ((y * scale + dy) * width + x * scale + dx) * 4;
        pixels.fill(0, at, at + 3);
      }
  // The package's CommonJS build: its default export is a property of the module.
  return jsqr.default(pixels, width, width)?.data;
}

test('invite with a QR code, suspend and reinstate by keyboard, publish a new charte', async ({
  browser,
}, info) => {
  const out = (n: string) => info.outputPath(n);
  const nurse = await enrolled(browser, env('CLSM_CODE_NURSE'), 'infirmiere', out);
  const coordinator = await enrolled(browser, env('CLSM_CODE_COORDINATOR'), 'coordination', out);
  const c = coordinator.page;
  const n = nurse.page;

  // Both are certified (by the test's certifier) before anything else; the directory says so.
  await c.getByRole('link', { name: 'Membres' }).click();
  const row = c.getByRole('article', { name: NURSE });
  await expect(async () => {
    await c.getByRole('link', { name: 'Charte éthique' }).click();
    await c.getByRole('link', { name: 'Membres' }).click();
    await expect(row).toContainText('Accès actif', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(row).toContainText('Professionnel de santé · CMP secteur 3');
  await expectAccessible(c, 'membres, annuaire');

  // The invitation's code, as text and as a QR code that holds the very same text.
  await c.getByLabel('Structure').fill('Office HLM');
  await c.getByLabel('Nom affiché').fill('Lou Bailleur');
  await c.getByRole('button', { name: 'Créer le code d’invitation' }).click();
  const code = (await c.locator('code.code').textContent({ timeout: 60_000 })) ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);
  const qr = c.getByRole('img', {
    name: 'Le même code d’invitation en QR code, à scanner avec l’appareil de la personne',
  });
  await expect(qr).toBeVisible();
  expect(await decodeQr(qr), 'the QR code reads back to the code shown').toBe(code);
  await expectAccessible(c, 'membres, invitation');
  await coordinator.shot('invitation-qr');

  // Suspending, with the keyboard alone: the row's button, then the confirmation.
  await tabTo(c, row.getByRole('button', { name: `Suspendre l’accès de ${NURSE}` }), 80);
  await c.keyboard.press('Enter');
  const dialog = c.getByRole('dialog', { name: `Suspendre l’accès de ${NURSE} ?` });
  await expect(dialog).toBeVisible();
  await expectAccessible(c, 'membres, suspension');
  await tabTo(c, dialog.getByRole('button', { name: 'Confirmer la suspension' }));
  await c.keyboard.press('Enter');
  await expect(row).toContainText('Accès suspendu', { timeout: 60_000 });
  await expect(row.getByRole('button', { name: `Rétablir l’accès de ${NURSE}` })).toBeVisible();
  await expectAccessible(c, 'membres, suspendu');

  // The nurse's next request is refused, and she is told why in plain words.
  await n.getByRole('link', { name: 'Mes actions' }).click();
  await expect(n.getByRole('alert')).toContainText('Si votre accès a été suspendu', { timeout: 60_000 });
  await expectAccessible(n, 'accès suspendu');
  await nurse.shot('acces-suspendu');

  // Reinstated: she carries on.
  await row.getByRole('button', { name: `Rétablir l’accès de ${NURSE}` }).click();
  await expect(row).toContainText('Accès actif', { timeout: 60_000 });
  await n.getByRole('link', { name: 'File active' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText('File active');
  await n.getByRole('link', { name: 'Mes actions' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText('Mes actions');
  await expect(n.getByRole('alert')).toHaveCount(0);

  // The charte's versions; the next one published, which the coordinator accepts first.
  await c.getByRole('link', { name: 'Charte éthique' }).click();
  const versions = c.getByRole('region', { name: 'Versions de la charte' });
  await expect(versions).toContainText('Version 1 : en vigueur, publiée le');
  await expect(versions).toContainText('acceptée par 3 membres');
  await expect(versions).toContainText('Version 2 : livrée avec le service, pas encore publiée');
  await expectAccessible(c, 'charte, versions');
  await versions.getByRole('button', { name: 'Publier la version 2' }).click();
  const publish = c.getByRole('dialog', { name: 'Publier la version 2 de la charte ?' });
  await publish.getByRole('button', { name: 'Publier', exact: true }).click();
  await expect(c.getByText('Acceptez la charte éthique pour accéder aux situations.')).toBeVisible({
    timeout: 60_000,
  });
  await expect(c.getByText('Version 2', { exact: true })).toBeVisible();
  await expectAccessible(c, 'charte, nouvelle version');
  await c.getByRole('button', { name: 'J’accepte la charte éthique' }).click();
  await expect(c.getByRole('heading', { level: 1 })).toHaveText('File active');

  // The nurse's next visit asks her to accept the new version before anything else.
  await n.goto('/situations');
  await n.getByLabel('Phrase de passe').fill(PASSPHRASE);
  await n.keyboard.press('Enter');
  await expect(n).toHaveURL(/\/charte$/, { timeout: 60_000 });
  await expect(n.getByText('Acceptez la charte éthique pour accéder aux situations.')).toBeVisible();
  await expect(n.getByText('Version 2', { exact: true })).toBeVisible();
  await expect(n.getByRole('region', { name: 'Versions de la charte' })).toHaveCount(0);
  await n.getByRole('button', { name: 'J’accepte la charte éthique' }).click();
  await expect(n.getByRole('heading', { level: 1 })).toHaveText('File active');

  // The CLSM's settings, read-only: its name, identity, and what the operator configured.
  await c.getByRole('link', { name: 'Paramètres du CLSM' }).click();
  await expect(c.getByRole('heading', { level: 1 })).toHaveText('Paramètres du CLSM');
  await expect(c.getByRole('definition').first()).toHaveText('CLSM du cercle', { timeout: 60_000 });
  await expect(c.locator('dl')).toContainText('730 jours, puis effacement définitif');
  await expect(c.getByRole('textbox')).toHaveCount(0);
  await expectAccessible(c, 'paramètres du CLSM');
  await coordinator.shot('parametres');

  expect([...nurse.problems, ...coordinator.problems], 'no script error').toEqual([]);
});
