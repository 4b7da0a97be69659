import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

const run = promisify(execFile);
const ta = await startTestApp(t);
const { app, ctx } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const dpo = await addMember(ta, coordinator, 'dpo');
const nurse = await addMember(ta, coordinator, 'health_professional');

t.test('the DPO reads the trail, filtered and paged; reading it is itself recorded', async (t) => {
  const page = await app.inject({
    method: 'GET',
    url: `/v1/audit/events?member=${nurse.id}&limit=2`,
    headers: dpo.headers,
  });
  t.equal(page.statusCode, 200);
  const body = page.json<{
    events: { seq: number; actorId: string | null; subjectId: string | null }[];
    nextCursor: string | null;
  }>();
  t.equal(body.events.length, 2);
  t.ok(body.events.every((e) => e.actorId === nurse.id || e.subjectId === nurse.id));
  t.not(body.nextCursor, null);
  const rest = await app.inject({
    method: 'GET',
    url: `/v1/audit/events?member=${nurse.id}&cursor=${body.nextCursor}`,
    headers: dpo.headers,
  });
  const last = body.events[1]?.seq ?? 0;
  t.ok(rest.json().events.every((e: { seq: number }) => e.seq > last));
  const otherFilter = await app.inject({
    method: 'GET',
    url: `/v1/audit/events?member=${dpo.id}&cursor=${body.nextCursor}`,
    headers: dpo.headers,
  });
  t.equal(otherFilter.statusCode, 400, 'a cursor continues only the listing it came from');
  const logins = await app.inject({
    method: 'GET',
    url: '/v1/audit/events?type=auth.login',
    headers: dpo.headers,
  });
  t.ok(logins.json().events.length >= 3);
  await eventsSealed(ctx.db);
  const reads = await ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('type', '=', 'audit.read')
    .where('actor_id', '=', dpo.id)
    .execute();
  t.equal(reads.length, 3, 'each read of the trail is on the trail');
  t.equal(reads[0]?.subject_id, nurse.id);
});

t.test('no one else reads the trail', async (t) => {
  for (const member of [coordinator, nurse]) {
    const res = await app.inject({ method: 'GET', url: '/v1/audit/events', headers: member.headers });
    t.equal(res.statusCode, 403);
  }
  await eventsSealed(ctx.db);
  const denied = await ctx.db
    .selectFrom('audit_events')
    .select('actor_id')
    .where('type', '=', 'access.denied')
    .where('action', '=', 'audit.read')
    .execute();
  t.same(denied.map((d) => d.actor_id).sort(), [coordinator.id, nurse.id].sort());
  const bad = await app.inject({
    method: 'GET',
    url: '/v1/audit/events?type=free-text&from=yesterday',
    headers: dpo.headers,
  });
  t.equal(bad.statusCode, 400);
});

t.test('verify through the API, checkpoints on demand and exported', async (t) => {
  t.match((await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: dpo.headers })).json(), {
    ok: true,
  });
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: coordinator.headers })).statusCode,
    403,
  );
  const signed = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: dpo.headers });
  t.equal(signed.statusCode, 201);
  t.type(signed.json().seq, 'number');
  const file = await app.inject({
    method: 'GET',
    url: '/v1/audit/checkpoints',
    headers: coordinator.headers,
  });
  t.match(file.json(), {
    format: 'clsm-audit-checkpoints/1',
    tenant: clsmId,
    checkpoints: [{ seq: signed.json().seq }],
  });
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/audit/checkpoints', headers: nurse.headers })).statusCode,
    403,
  );
});

t.test('clsm audit verify, next to the database, with checkpoints held outside', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'clsm-verify-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const checkpoints = path.join(dir, 'checkpoints.json');
  await writeFile(
    checkpoints,
    (await app.inject({ method: 'GET', url: '/v1/audit/checkpoints', headers: dpo.headers })).body,
  );
  const keyFile = path.join(dir, 'audit.pem');
  await writeFile(keyFile, ta.secrets.auditSigningKey.export({ type: 'pkcs8', format: 'pem' }));
  const seq = (await app.inject({ method: 'GET', url: '/v1/audit/checkpoints', headers: dpo.headers })).json()
    .checkpoints[0].seq as number;
  await asOwner(ta.db, async (o) => {
    await sql`alter table audit_events disable trigger user`.execute(o);
    await sql`update audit_events set outcome = 'denied' where clsm_id = ${clsmId} and seq = 3`.execute(o);
    await sql`alter table audit_events enable trigger user`.execute(o);
  });
  let env: NodeJS.ProcessEnv;
  if (ta.db.urls !== undefined) {
    env = { ...process.env, DATABASE_URL: ta.db.urls.app, AUDIT_SIGNING_KEY_FILE: keyFile };
  } else {
    // The embedded database belongs to one process at a time: this one lets go first.
    await app.close();
    await ta.db.dbs.close();
    await rename(ta.db.dataDir!, path.join(dir, 'pglite'));
    env = { ...process.env, DATABASE_URL: '', DATA_DIR: dir, AUDIT_SIGNING_KEY_FILE: keyFile };
  }
  const result = await run(
    NODE,
    nodeArgs(['bin/clsm.js', 'audit', 'verify', '--tenant', clsmId, '--checkpoints', checkpoints]),
    { cwd: PROJECT_ROOT, env },
  ).then(
    () => ({ code: 0, stdout: '' }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  t.equal(result.code, 1, 'exit code 1');
  t.match(
    result.stdout,
    new RegExp(`CLSM ${clsmId}: BROKEN at seq 3`),
    'names the CLSM and the first bad seq',
  );
  t.notMatch((result as { stderr?: string }).stderr ?? '', /clsm: /, 'no error');
  t.ok(seq > 3);
});
