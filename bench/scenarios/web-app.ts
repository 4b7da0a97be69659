import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ClsmClient } from '../../src/client/client.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { timeInPage } from '../lib/page-timing.js';
import type { ServerUnderTest } from '../lib/server-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 9: the web app in Debian's Chromium (headless, as the browser tests drive it) against
// the server under test. A health professional enrolls in the browser; a colleague refers a
// situation through the SDK, adds them and writes `entries` health entries. Then, `rounds` times:
// the page is reloaded (keys live in memory only, so it is locked), the passphrase is submitted
// and timed until the file active shows, and the situation is opened and timed until every entry
// shows as decrypted and verified.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_INDEX = path.join(PROJECT_ROOT, 'web', 'dist', 'index.html');
const PASSPHRASE = 'une phrase de passe de banc d’essai';
const BROWSER_NAME = 'Banc Navigateur';

export interface WebAppParams {
  rounds: number;
  entries: number;
  progress: (line: string) => void;
}

/** Why the scenario cannot run here, or undefined. */
export function webAppSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no browser at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(WEB_INDEX)) return `the web app is not built (${path.relative(PROJECT_ROOT, WEB_INDEX)})`;
  return undefined;
}

/** Enrolls through the SDK; `inviter` certifies the new member with the code it reads out. */
async function enrolledClient(apiUrl: string, code: string, inviter?: ClsmClient): Promise<ClsmClient> {
  const { identity, anchor, sas } = await ClsmClient.enroll(apiUrl, code);
  const client = new ClsmClient(identity, { anchor });
  await client.acceptCharter((await client.charter()).version);
  if (inviter !== undefined) await inviter.directoryWriter.certify(identity.memberId, { sas: sas ?? '' });
  return client;
}

/** Enrolls in the browser; returns the code the page asks to read out to the inviter. */
async function enrollInBrowser(page: Page, code: string): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Code d’inscription').fill(code);
  await page.getByLabel('Phrase de passe', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirmez la phrase de passe').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Inscrire cet appareil' }).click();
  await page.getByRole('status').getByText('Empreinte de vos clés').waitFor({ timeout: 120_000 });
  const said = await page.getByRole('status').getByText('Lisez ce code').textContent();
  const sas = /: ([A-Z2-9]{4})\./.exec(said ?? '')?.[1];
  if (sas === undefined) throw new Error('the enrollment page shows no code to read out');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('button', { name: 'J’accepte la charte éthique' }).click();
  await page.getByRole('heading', { level: 1, name: 'File active' }).waitFor();
  return sas;
}

/** A situation the browser's member takes part in, with `entries` health entries of about 600 bytes. */
async function situationWithEntries(
  coordinator: ClsmClient,
  writer: ClsmClient,
  entries: number,
): Promise<string> {
  const member = (await coordinator.members()).find((m) => m.displayName === BROWSER_NAME);
  if (member === undefined) throw new Error('the browser enrollment did not reach the directory');
  const { id: caseId } = await writer.cases.refer('incurie', 'soon');
  await writer.cases.addParticipant(caseId, member.id);
  const text = 'Visite à domicile, porte restée fermée ; voisinage inquiet, relance prévue. '.repeat(8);
  const encoder = new TextEncoder();
  for (let i = 0; i < entries; i += 1)
    await writer.cases.write(caseId, 'health', encoder.encode(`Entrée ${i + 1}. ${text}`));
  return caseId;
}

export async function webApp(server: ServerUnderTest, params: WebAppParams): Promise<RowInput[]> {
  const { code } = await server.createClsm('CLSM bench navigateur');
  const coordinator = await enrolledClient(server.apiUrl, code);
  const writer = await enrolledClient(
    server.apiUrl,
    (await coordinator.invite('health_professional', 'CMP secteur 1', 'Banc Rédaction')).code,
    coordinator,
  );
  const browserCode = (await coordinator.invite('health_professional', 'CMP secteur 2', BROWSER_NAME)).code;

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const context = await browser.newContext({ baseURL: server.apiUrl, locale: 'fr-FR' });
    const page = await context.newPage();
    const sas = await enrollInBrowser(page, browserCode);
    const invited = (await coordinator.listing()).find((m) => m.displayName === BROWSER_NAME);
    if (invited === undefined) throw new Error('the browser enrollment did not reach the directory');
    await coordinator.directoryWriter.certify(invited.id, { sas });
    params.progress(`   writing ${params.entries} entries through the SDK`);
    const caseId = await situationWithEntries(coordinator, writer, params.entries);
    const href = `/situations/${caseId}`;
    const unlocks: number[] = [];
    const opens: number[] = [];
    for (let i = 0; i < params.rounds; i += 1) {
      await page.goto('/');
      await page.getByLabel('Phrase de passe').fill(PASSPHRASE);
      unlocks.push(
        await timeInPage(page, { submitForm: true }, { pathname: '/situations', heading: 'File active' }),
      );
      await page.locator(`a[href="${href}"]`).waitFor();
      opens.push(
        await timeInPage(page, { clickLink: href }, { pathname: href, verifiedEntries: params.entries }),
      );
      if ((await page.locator('.entry .withheld').count()) > 0) throw new Error('an entry was withheld');
    }
    return [
      {
        id: 'web-unlock',
        scenario: 9,
        name: 'web app: unlock (passphrase submitted → file active), Chromium',
        unit: 'ms',
        higherIsBetter: false,
        runs: unlocks,
      },
      {
        id: `web-open-${params.entries}e`,
        scenario: 9,
        name: `web app: open a situation of ${params.entries} entries, all verified and decrypted`,
        unit: 'ms',
        higherIsBetter: false,
        runs: opens,
      },
    ];
  } finally {
    await browser.close();
  }
}
