import t from 'tap';
import { execFile } from 'node:child_process';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { scratchDir } from '../helpers/paths.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// The schema owner deletes the tail of a CLSM's audit log and every checkpoint that vouched for it,
// triggers disabled. The database alone then looks intact; the witness file the server appended
// each checkpoint to, outside the database, shows the cut to the verify route and to the CLI.

const run = promisify(execFile);
const ta = await startTestApp(t);
const { app, ctx } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const dpo = await addMember(ta, coordinator, 'dpo');

t.test('a tail cut with its checkpoints is caught by the witness', async (t) => {
  const signed = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: dpo.headers });
  t.equal(signed.statusCode, 201);
  const seq = signed.json<{ seq: number }>().seq;
  await eventsSealed(ctx.db);
  await asOwner(ta.db, async (o) => {
    await sql`alter table audit_events disable trigger user`.execute(o);
    await sql`alter table audit_checkpoints disable trigger user`.execute(o);
    await sql`delete from audit_events where clsm_id = ${clsmId} and seq > ${seq - 3}`.execute(o);
    await sql`truncate audit_checkpoints`.execute(o);
    await sql`alter table audit_events enable trigger user`.execute(o);
    await sql`alter table audit_checkpoints enable trigger user`.execute(o);
  });
  const verdict = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: dpo.headers });
  t.match(verdict.json(), { ok: false, firstBadSeq: seq - 2, problem: /tail was cut/ });
  await eventsSealed(ctx.db);
  const recorded = await ctx.db
    .selectFrom('audit_events')
    .select('reason')
    .where('clsm_id', '=', clsmId)
    .where('type', '=', 'audit.verified')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  t.equal(recorded.reason, 'CHAIN_BROKEN', 'the failed verification is on the trail');

  const dir = await scratchDir('cli-witness');
  const keyFile = path.join(dir, 'audit.pem');
  await writeFile(keyFile, ta.secrets.auditSigningKey.export({ type: 'pkcs8', format: 'pem' }));
  let env: NodeJS.ProcessEnv;
  if (ta.db.urls !== undefined) {
    env = { ...process.env, DATABASE_URL: ta.db.urls.app, DATA_DIR: '', AUDIT_SIGNING_KEY_FILE: keyFile };
  } else {
    // The embedded database belongs to one process at a time: this one lets go first.
    await app.close();
    await ta.db.dbs.close();
    await rename(ta.db.dataDir ?? '', path.join(dir, 'pglite'));
    env = { ...process.env, DATABASE_URL: '', DATA_DIR: dir, AUDIT_SIGNING_KEY_FILE: keyFile };
  }
  const args = ['bin/clsm.js', 'audit', 'verify', '--tenant', clsmId];
  const cli = (extra: string[]) =>
    run(NODE, nodeArgs([...args, ...extra]), {
      cwd: PROJECT_ROOT,
      env: { ...env, AUDIT_WITNESS_FILE: '' },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
  const blind = await cli([]);
  t.equal(blind.code, 0, 'without the witness, the cut log looks intact');
  const seen = await cli(['--witness', ctx.config.audit.witnessFile]);
  t.equal(seen.code, 1, 'with it, verification fails');
  // The failed verification above was recorded at seq - 2, after the cut.
  t.match(seen.stdout, new RegExp(`CLSM ${clsmId}: BROKEN at seq ${seq - 1}: .*tail was cut`));
});
