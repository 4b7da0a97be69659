import t from 'tap';
import { referral } from '../helpers/case-log.js';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/database.js';
import { addMember, listen, newClsm, type TestMember } from '../helpers/members.js';
import { person, recordConsent, refer, release, startStatsApp, step } from '../helpers/stats.js';
import { releaseSchema, type Release } from '../../src/stats/vocabulary/release-schema.js';
import { sign } from '../helpers/directory.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// A year's bilan end to end, through the real API and the real statistics server on one database:
// facts recorded by the case lifecycle, objections left out, one frozen release per year, served
// byte for byte, to the right roles only, with no filter of any kind.

const ta = await startTestApp(t);
const stats = await startStatsApp(t, ta);
const { clsmId, coordinator } = await newClsm(ta, 'CLSM A');
const socialWorker = await addMember(ta, coordinator, 'social_worker');
const reader = await addMember(ta, coordinator, 'stats_reader');
const official = await addMember(ta, coordinator, 'elected_official');

const get = (member: TestMember | undefined, url: string, accept?: string) =>
  stats.inject({
    method: 'GET',
    url,
    headers: { ...(member?.headers ?? {}), ...(accept === undefined ? {} : { accept }) },
  });
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;
const tableIn = (release: Release, id: string) => release.tables.find((table) => table.id === id);
const auditCount = async () => {
  await eventsSealed(ta.ctx.db);
  return Number(
    (
      await ta.ctx.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
};

// 2025 in CLSM A: 33 referrals, one of them never described; 25 women and 7 men among the others.
ta.clock.set(new Date('2025-03-10T09:00:00Z'));
const cases: string[] = [];
for (let i = 0; i < 32; i++) {
  cases.push(
    await refer(
      ta,
      socialWorker,
      person({ sex: i < 25 ? 'femme' : 'homme', ageBand: i % 2 === 0 ? '45_64' : '65_plus' }),
    ),
  );
}
await refer(ta, socialWorker);
// The latest consent record decides: cases 0 and 2 end with an objection, case 1 withdrew its own.
await recordConsent(ta, socialWorker, cases[0] ?? '', true);
await recordConsent(ta, socialWorker, cases[1] ?? '', true);
await recordConsent(ta, socialWorker, cases[2] ?? '', false);
ta.clock.advance(3_600_000);
await recordConsent(ta, socialWorker, cases[1] ?? '', false);
await recordConsent(ta, socialWorker, cases[2] ?? '', true);
// Twelve are examined in April (delay 1 to 3 months) and closed in September.
ta.clock.set(new Date('2025-04-20T09:00:00Z'));
const reviewed = cases.slice(3, 15);
for (const id of reviewed) {
  await step(ta, coordinator, id, 'accept');
  await step(ta, coordinator, id, 'advance');
}
ta.clock.set(new Date('2025-09-15T09:00:00Z'));
for (const id of reviewed) await step(ta, coordinator, id, 'close', { outcome: 'droit_commun' });
await step(ta, coordinator, cases[20] ?? '', 'decline', { reason: 'hors_champ' });

ta.clock.set(new Date('2026-01-12T09:00:00Z'));
const released = await release(ta, coordinator, 2025);
const summary = released.json<{ contentHash: string; tables: { id: string; status: string }[] }>();
const first = await get(reader, `/v1/stats/${clsmId}/2025`);
const statsUrl = await listen(stats);
/** Over a real socket: the bytes a reader's client receives. */
const fetchBytes = async (url: string) =>
  Buffer.from(await (await fetch(`${statsUrl}${url}`, { headers: reader.headers })).arrayBuffer());
const firstOverHttp = await fetchBytes(`/v1/stats/${clsmId}/2025/saisines_problematiques`);

t.test('the coordinator releases a past year once; the facts are those the lifecycle recorded', async (t) => {
  t.equal(released.statusCode, 201, released.body);
  t.equal(first.statusCode, 200);
  const body = releaseSchema.parse(first.json());
  t.equal(body.year, 2025);
  // 33 referrals received, of which 2 objected and 1 was never described: 30 counted.
  t.same(tableIn(body, 'activite')?.cells[1], { key: 'saisines', label: 'Saisines reçues', value: 33 });
  t.equal(tableIn(body, 'saisines_origine')?.total, 30);
  t.equal(tableIn(body, 'examen_delai')?.total, 12);
  t.same(
    tableIn(body, 'examen_delai')?.cells.map((c) => c.value),
    [0, 10, 0],
    'the delay band of 12 cases examined 41 days after referral, rounded',
  );
  t.equal(tableIn(body, 'clotures_duree')?.total, 12);
  t.equal(tableIn(body, 'saisines_suite')?.total, 30);
  t.equal(
    tableIn(body, 'saisines_suite')?.cells.find((c) => c.key === 'refusee_hors_champ')?.value,
    'n.d.',
    'the one declined referral',
  );
  const sex = tableIn(body, 'saisines_sexe');
  // 30 counted: 23 women and 7 men once the two objections left; the 7 is hidden, and with it a second cell.
  t.equal(sex?.cells.find((c) => c.key === 'homme')?.value, 'n.d.');
  t.equal(sex?.cells.find((c) => c.key === 'femme')?.value, 'n.d.');
});

t.test('a released year is byte-identical after new data, and cannot be released again', async (t) => {
  const hash = createHash('sha256').update(first.rawPayload).digest('hex');
  t.equal(first.headers['x-content-sha256'], hash, 'the hash header is the hash of the bytes served');
  t.equal(summary.contentHash, hash, 'and the hash the release returned');

  ta.clock.set(new Date('2025-06-01T09:00:00Z'));
  for (let i = 0; i < 5; i++) await refer(ta, socialWorker, person({ sex: 'homme' }));
  await recordConsent(ta, socialWorker, cases[5] ?? '', true);
  await step(ta, coordinator, cases[25] ?? '', 'decline', { reason: 'deja_suivie' });
  ta.clock.set(new Date('2026-02-01T09:00:00Z'));

  const again = await get(reader, `/v1/stats/${clsmId}/2025`);
  t.equal(again.statusCode, 200);
  t.ok(again.rawPayload.equals(first.rawPayload), 'the same bytes');
  const againOverHttp = await fetchBytes(`/v1/stats/${clsmId}/2025/saisines_problematiques`);
  t.ok(againOverHttp.equals(firstOverHttp), 'the same bytes over HTTP, table by table');
  const second = await release(ta, coordinator, 2025);
  t.equal(second.statusCode, 409);
  t.equal(code(second), 'RELEASE_EXISTS');
});

t.test('a year that is not over cannot be released', async (t) => {
  const current = await release(ta, coordinator, 2026);
  t.equal(current.statusCode, 409);
  t.equal(code(current), 'YEAR_NOT_OVER');
  t.equal((await release(ta, coordinator, 2031)).statusCode, 409);
  t.equal((await release(ta, reader, 2024)).statusCode, 403, 'only the coordinator releases');
});

t.test('one table, as JSON or CSV, from the frozen release', async (t) => {
  const json = await get(reader, `/v1/stats/${clsmId}/2025/saisines_sexe`);
  t.equal(json.statusCode, 200);
  t.same(json.json(), tableIn(releaseSchema.parse(first.json()), 'saisines_sexe'));
  const csv = await get(reader, `/v1/stats/${clsmId}/2025/saisines_sexe_age`, 'text/csv');
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  const lines = csv.body.split('\r\n');
  t.equal(lines[0], 'key,label,value');
  t.equal(lines[1], 'femme.moins_25,"Femme, moins de 25 ans",0');
  t.equal(lines.at(-2), 'total,Total,30');
  t.equal((await get(reader, `/v1/stats/${clsmId}/2025/no_such_table`)).statusCode, 404);
  t.equal((await get(reader, `/v1/stats/${clsmId}/2024`)).statusCode, 404, 'an unreleased year');
});

t.test('no filter, no date range: any query string and any finer period are refused', async (t) => {
  for (const url of [
    `/v1/stats/${clsmId}/2025?from=2025-01-01&to=2025-06-30`,
    `/v1/stats/${clsmId}/2025/saisines_sexe?sex=femme`,
    `/v1/stats/${clsmId}/2025/saisines_sexe?csv`,
    `/v1/stats/regional/2025?tenant=${clsmId}`,
  ]) {
    const res = await get(reader, url);
    t.equal(res.statusCode, 400, url);
    t.equal(code(res), 'QUERY_NOT_ALLOWED', url);
  }
  for (const url of [
    `/v1/stats/${clsmId}/2025-03`,
    `/v1/stats/${clsmId}/2025-01..2025-06/saisines_sexe`,
    `/v1/stats/${clsmId}/25`,
  ]) {
    const res = await get(reader, url);
    t.equal(res.statusCode, 400, url);
    t.equal(code(res), 'VALIDATION_FAILED', url);
  }
});

t.test('readers: stats_reader, elected_official and coordinator of the CLSM, nobody else', async (t) => {
  const url = `/v1/stats/${clsmId}/2025`;
  // One after the other: each certificate extends the directory log the previous one ended.
  const others = [];
  for (const role of ['health_professional', 'partner', 'dpo', 'operator'] as const)
    others.push(await addMember(ta, coordinator, role));
  const other = await newClsm(ta, 'CLSM voisin');
  const neighbour = await addMember(ta, other.coordinator, 'stats_reader');
  const noCharter = await addMember(ta, coordinator, 'stats_reader', { acceptCharter: false });
  const before = await auditCount();
  for (const member of [reader, official, coordinator]) {
    t.equal((await get(member, url)).statusCode, 200, member.role);
  }
  for (const member of [socialWorker, ...others]) {
    const res = await get(member, url);
    t.equal(res.statusCode, 403, member.role);
    t.equal(code(res), 'FORBIDDEN', member.role);
  }
  t.equal((await get(neighbour, url)).statusCode, 404, "another CLSM's reader does not learn it exists");
  t.equal(code(await get(noCharter, url)), 'CHARTER_NOT_ACCEPTED');
  t.equal((await get(undefined, url)).statusCode, 401);
  t.equal(await auditCount(), before, 'the statistics server wrote nothing, refusals included');
});

t.test('a suspended reader, or one whose session ended, is refused on the next request', async (t) => {
  const url = `/v1/stats/${clsmId}/2025`;
  const suspended = await addMember(ta, coordinator, 'stats_reader');
  t.equal((await get(suspended, url)).statusCode, 200);
  const res = await sign(ta.app, coordinator, 'suspend', suspended.id);
  t.equal(res.statusCode, 201);
  const refused = await get(suspended, url);
  t.equal(refused.statusCode, 401);
  t.equal(code(refused), 'TOKEN_INVALID');

  // The member's status alone is enough, whatever happens to their sessions.
  const statusOnly = await addMember(ta, coordinator, 'elected_official');
  t.equal((await get(statusOnly, url)).statusCode, 200);
  await ta.ctx.db
    .updateTable('members')
    .set({ status: 'suspended' })
    .where('clsm_id', '=', clsmId)
    .where('id', '=', statusOnly.id)
    .execute();
  t.equal((await get(statusOnly, url)).statusCode, 401);

  const loggedOut = await addMember(ta, coordinator, 'stats_reader');
  t.equal(
    (await ta.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: loggedOut.headers })).statusCode,
    204,
  );
  t.equal((await get(loggedOut, url)).statusCode, 401);
});

t.test('a CLSM with 7 referrals in the year gets its activity figures only', async (t) => {
  const small = await newClsm(ta, 'CLSM B');
  const worker = await addMember(ta, small.coordinator, 'social_worker');
  const smallReader = await addMember(ta, small.coordinator, 'stats_reader');
  ta.clock.set(new Date('2025-05-05T09:00:00Z'));
  for (let i = 0; i < 7; i++) await refer(ta, worker, person());
  ta.clock.set(new Date('2026-01-05T09:00:00Z'));
  t.equal((await release(ta, small.coordinator, 2025)).statusCode, 201);
  const res = await get(smallReader, `/v1/stats/${small.clsmId}/2025`);
  const body = releaseSchema.parse(res.json());
  t.same(tableIn(body, 'activite')?.cells[1]?.value, 7);
  t.equal(tableIn(body, 'assiduite')?.status, 'published');
  const counts = body.tables.filter((table) => !['activite', 'assiduite'].includes(table.id));
  t.ok(counts.length > 0);
  for (const table of counts) {
    t.equal(table.status, 'withheld', table.id);
    t.same(table.cells, [], table.id);
    t.equal(table.total, 'n.d.', table.id);
  }
});

t.test('person facts: declared by participants bound by secrecy, categories only', async (t) => {
  ta.clock.set(new Date('2026-03-01T09:00:00Z'));
  const id = await refer(ta, socialWorker);
  const put = (member: TestMember, payload: Record<string, unknown>) =>
    ta.app.inject({ method: 'PUT', url: `/v1/cases/${id}/statistics`, headers: member.headers, payload });
  t.equal((await put(socialWorker, person({ ageBand: 'moins_25' }))).statusCode, 204);
  t.equal((await put(coordinator, person())).statusCode, 403, 'a coordinator who takes no part does not');
  t.equal((await put(reader, person())).statusCode, 404, 'a statistics reader never touches a case');
  const birth = await put(socialWorker, { ...person(), birthDate: '1950-02-03' });
  t.equal(birth.statusCode, 400, 'nothing finer than a category');
  const twice = await put(socialWorker, person({ problems: ['incurie', 'incurie'] }));
  t.equal(twice.statusCode, 400);

  const partner = await addMember(ta, coordinator, 'partner');
  const withFacts = await ta.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: partner.headers,
    payload: {
      ...(await referral(partner)),
      reasonCategory: 'incurie',
      urgency: 'routine',
      statistics: person(),
    },
  });
  t.equal(withFacts.statusCode, 403, 'a partner refers, but does not describe the person');
  t.ok(await refer(ta, partner), 'and may refer without describing');
});

t.test(`on ${ENGINE}, the release is stored with its hash and cannot be changed`, async (t) => {
  await t.rejects(
    ta.ctx.db.updateTable('stats.releases').set({ content: '{}' }).where('clsm_id', '=', clsmId).execute(),
    /permission denied/,
  );
  await t.rejects(
    ta.ctx.db.deleteFrom('stats.releases').where('clsm_id', '=', clsmId).execute(),
    /permission denied/,
  );
  const row = await ta.ctx.db
    .selectFrom('stats.releases')
    .select(['content_hash', 'released_by'])
    .where('clsm_id', '=', clsmId)
    .where('year', '=', 2025)
    .executeTakeFirstOrThrow();
  t.equal(row.content_hash, summary.contentHash);
  t.equal(row.released_by, coordinator.id);
  await eventsSealed(ta.ctx.db);
  const event = await ta.ctx.db
    .selectFrom('audit_events')
    .select(['actor_id', 'resource_id'])
    .where('clsm_id', '=', clsmId)
    .where('type', '=', 'stats.released')
    .execute();
  t.same(event, [{ actor_id: coordinator.id, resource_id: '2025' }], 'one release, audited once');
});
