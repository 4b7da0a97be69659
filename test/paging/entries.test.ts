import { randomBytes, randomUUID } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { CaseKeys } from '../../src/client/case-keys.js';
import type { WireGrant } from '../../src/client/case-wire.js';
import { encryptEntry } from '../../src/crypto/entries.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
// A full collection between pages, so that what RSS shows is what a page holds, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A compartment used to come back whole in one body: 20 entries of 1 MiB made a 28 MB body, and from
// about 384 of them the body could no longer be built at all. It is now served a page at a time,
// bounded in count and in bytes, and the SDK follows the pages.

const PAGE_MAX_BYTES = 512 * 1024;
const ENTRIES = 500;
const SIZE = 48 * 1024;

const ta = await startTestApp(t, { env: { PAGE_MAX_BYTES: String(PAGE_MAX_BYTES) } });
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const url = await listen(ta.app);
const sdk = sdkFor(url, nurse);

const { id: caseId } = await sdk.cases.refer('rupture_soins', 'routine');
const { id: otherCase } = await sdk.cases.refer('incurie', 'routine');
const written: string[] = [];
const contents = new Map<string, Buffer>();
// The first entry through the SDK creates the key; the rest are sealed with it here and posted
// directly (the same body the SDK posts), which keeps the test to the reads it is about.
const first = randomBytes(SIZE);
written.push(await sdk.cases.write(caseId, 'health', first));
contents.set(written[0]!, first);
const ring = new CaseKeys(sdk, sdk.cases);
const firstPage = await ta.app.inject({
  method: 'GET',
  url: `/v1/cases/${caseId}/compartments/health/entries?limit=1`,
  headers: nurse.headers,
});
for (const g of firstPage.json<{ grants: WireGrant[] }>().grants) await ring.open(caseId, 'health', g);
const key = ring.held(caseId, 'health', 1);
if (key === undefined) throw new Error('the nurse holds no key');
for (let i = 1; i < ENTRIES; i++) {
  const id = randomUUID();
  const plaintext = randomBytes(SIZE);
  const context = {
    caseId,
    compartment: 'health',
    entryId: id,
    keyVersion: 1,
    authorId: nurse.id,
    kind: 'note',
    refersTo: null,
  };
  const sealed = await encryptEntry(context, plaintext, key, nurse.keys.signSecretKey);
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/entries`,
    headers: nurse.headers,
    payload: {
      id,
      keyVersion: 1,
      kind: 'note',
      nonce: b64(sealed.nonce),
      ciphertext: b64(sealed.ciphertext),
      signature: b64(sealed.signature),
    },
  });
  if (res.statusCode !== 201) throw new Error(`write failed: ${res.statusCode}`);
  written.push(id);
  contents.set(id, plaintext);
}
await sdk.cases.write(otherCase, 'health', randomBytes(16));
// Ten entries share one instant: the order must still be total (ties broken by id).
await asOwner(ta.db, (db) =>
  sql`UPDATE entries SET created_at = (SELECT created_at FROM entries WHERE id = ${written[0]})
      WHERE id IN (${sql.join(written.slice(0, 10))})`.execute(db),
);

interface Page {
  entries: { id: string; createdAt: string }[];
  nextCursor: string | null;
}
const get = (path: string) => ta.app.inject({ method: 'GET', url: path, headers: nurse.headers });
const entriesOf = (c: string, compartment = 'health') => `/v1/cases/${c}/compartments/${compartment}/entries`;

t.test('500 entries come back page by page, each page under its bounds, memory flat', async (t) => {
  gc();
  const before = process.memoryUsage().rss;
  let peak = before;
  let cursor: string | null = null;
  let pages = 0;
  let body = 0;
  const seen: string[] = [];
  do {
    const query: string = cursor === null ? '?limit=7' : `?limit=7&cursor=${cursor}`;
    const res = await get(`${entriesOf(caseId)}${query}`);
    t.equal(res.statusCode, 200);
    const page = res.json<Page>();
    t.ok(page.entries.length >= 1 && page.entries.length <= 7, 'between one item and the limit');
    t.ok(res.body.length <= PAGE_MAX_BYTES, `page ${pages} is within the byte budget`);
    seen.push(...page.entries.map((e) => e.id));
    body += res.body.length;
    cursor = page.nextCursor;
    pages += 1;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (pages % 10 === 0) gc();
  } while (cursor !== null);
  t.equal(seen.length, ENTRIES, 'every entry once');
  t.equal(new Set(seen).size, ENTRIES, 'no entry twice');
  t.same(new Set(seen), new Set(written));
  const tied = seen.filter((id) => written.slice(0, 10).includes(id));
  t.same(tied, [...tied].sort(), 'entries of one instant come in id order');
  t.ok(pages >= ENTRIES / 7, `${pages} pages`);
  t.ok(body > 30 * 1024 * 1024, 'the compartment is larger than any page');
  // The same compartment in one body, as it used to be served.
  ta.ctx.config.http.pageMaxBytes = Number.MAX_SAFE_INTEGER;
  gc();
  const wholeBefore = process.memoryUsage().rss;
  const whole = await get(`${entriesOf(caseId)}?limit=500`);
  const wholeGrowth = process.memoryUsage().rss - wholeBefore;
  ta.ctx.config.http.pageMaxBytes = PAGE_MAX_BYTES;
  t.equal(whole.json<Page>().entries.length, ENTRIES);
  const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
  t.ok(
    peak - before < wholeGrowth / 3,
    `paging grew RSS by ${mb(peak - before)}, one body by ${mb(wholeGrowth)}`,
  );
});

t.test('the byte budget wins over the count, and a page always holds one entry', async (t) => {
  const res = await get(`${entriesOf(caseId)}?limit=500`);
  const page = res.json<Page>();
  t.ok(page.entries.length < 500 && page.entries.length >= 1);
  t.ok(res.body.length <= PAGE_MAX_BYTES);
  t.not(page.nextCursor, null);
  // A budget smaller than any entry still serves one entry per page.
  ta.ctx.config.http.pageMaxBytes = 1;
  t.teardown(() => {
    ta.ctx.config.http.pageMaxBytes = PAGE_MAX_BYTES;
  });
  const one = (await get(`${entriesOf(caseId)}?limit=500`)).json<Page>();
  t.equal(one.entries.length, 1);
  t.not(one.nextCursor, null);
});

t.test('the SDK follows the cursors: the same entries, in order, decrypted', async (t) => {
  const entries = await sdk.cases.read(caseId, 'health');
  t.equal(entries.length, ENTRIES);
  t.ok(entries.every((e) => contents.get(e.id)?.equals(Buffer.from(e.plaintext)) === true));
  const order = entries.map((e) => [e.createdAt, e.id].join(' '));
  t.same(order, [...order].sort(), 'oldest first, ties by id');
});

t.test('a garbage cursor is a 400 problem, never a page', async (t) => {
  for (const cursor of [
    'garbage',
    'eyJsIjoiZW50cmllcyJ9',
    Buffer.from('{"l":"entries","s":"x","k":[]}').toString('base64url'),
    '%00',
    'a'.repeat(600),
  ]) {
    const res = await get(`${entriesOf(caseId)}?cursor=${cursor}`);
    t.equal(res.statusCode, 400, cursor.slice(0, 20));
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.json<{ code: string }>().code, 'VALIDATION_FAILED');
  }
  const bad = await get(`${entriesOf(caseId)}?limit=501`);
  t.equal(bad.statusCode, 400, 'the limit is bounded');
});

t.test('a cursor of another situation or compartment does not page through this one', async (t) => {
  const first = (await get(`${entriesOf(caseId)}?limit=1`)).json<Page>();
  t.not(first.nextCursor, null);
  const cursor = first.nextCursor ?? '';
  for (const path of [entriesOf(otherCase), entriesOf(caseId, 'synthesis')]) {
    const res = await get(`${path}?cursor=${cursor}`);
    t.equal(res.statusCode, 400, path);
    t.notMatch(res.body, /"entries"/);
  }
  // A cursor forged for the other situation's scope still only ever returns that situation's entries.
  const forged = Buffer.from(
    JSON.stringify({
      l: 'entries',
      s: `${otherCase}/health`,
      k: ['1970-01-01T00:00:00.000000Z', written[0]],
    }),
  ).toString('base64url');
  const res = await get(`${entriesOf(otherCase)}?cursor=${forged}`);
  t.equal(res.statusCode, 200);
  t.same(
    res.json<Page>().entries.map((e) => written.includes(e.id)),
    [false],
  );
});
