import t from 'tap';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor, type TestMember } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { signStatement, statementHash } from '../../src/crypto/directory-statements.js';
import { statementFromWire } from '../../src/directory/wire-schema.js';
import { fromRow } from '../../src/directory/log.js';
import { DirectoryError, type DirectoryRefusal } from '../../src/crypto/directory-replay.js';
import { UncertifiedMemberError } from '../../src/client/trust-errors.js';
import { fingerprint, generateDeviceKeys, publicDeviceKeys } from '../../src/crypto/device-keys.js';
import { directoryLog } from '../helpers/directory.js';
import type { Kysely } from 'kysely';
import { ClsmClient } from '../../src/client/client.js';

// A server (or whoever holds its database) that lies about the directory: it invents a member,
// swaps a colleague's keys, forges a certificate or a role change, truncates, reorders or forks the
// log, or serves another CLSM's. Each time, every client refuses, with an error that says why.
// The lies are written straight into the database, as its owner would.

const ta = await startTestApp(t);
const url = await listen(ta.app);
const enc = (s: string) => new TextEncoder().encode(s);
const b = (u: Uint8Array) => Buffer.from(u);

/** A CLSM of its own per scenario: a broken log breaks it for good. */
async function clsm(): Promise<{ coordinator: TestMember; nurse: TestMember; social: TestMember }> {
  const { coordinator } = await newClsm(ta);
  return {
    coordinator,
    nurse: await addMember(ta, coordinator, 'health_professional'),
    social: await addMember(ta, coordinator, 'social_worker'),
  };
}

/** As the schema owner, with the log's append-only triggers off: what a server's operator can do. */
async function rewriteLog(fn: (db: Kysely<any>) => Promise<unknown>): Promise<void> {
  await asOwner(ta.db, async (o) => {
    await sql`alter table directory_entries disable trigger user`.execute(o);
    try {
      await fn(o);
    } finally {
      await sql`alter table directory_entries enable trigger user`.execute(o);
    }
  });
}

/** The refusal a client gives: which statement of the log, and why. */
const refusedWith = (reason: DirectoryRefusal, seq: number) => new DirectoryError(seq, reason, '');

t.test('an invented member has no usable keys, on first sight and after', async (t) => {
  const { coordinator, nurse } = await clsm();
  const ghost = randomUUID();
  const keys = await generateDeviceKeys();
  const pub = await publicDeviceKeys(keys, { clsmId: coordinator.clsmId, memberId: ghost });
  await asOwner(ta.db, async (o) => {
    await o
      .insertInto('members')
      .values({
        clsm_id: coordinator.clsmId,
        id: ghost,
        role: 'health_professional',
        organisation: 'CMP',
        display_name: 'Dr Fantôme',
      })
      .execute();
    await o
      .insertInto('member_keys')
      .values({
        clsm_id: coordinator.clsmId,
        member_id: ghost,
        version: 1,
        sign_public_key: b(pub.signPublicKey),
        box_public_key: b(pub.boxPublicKey),
        self_signature: b(pub.selfSignature),
      })
      .execute();
  });
  const sdk = sdkFor(url, nurse);
  const listed = (await sdk.members()).find((m) => m.id === ghost);
  t.equal(listed?.keys, undefined, 'listed, without keys');
  t.ok(listed?.keysRefused instanceof UncertifiedMemberError, 'flagged: not certified');
  await t.rejects(sdk.memberKeys(ghost), { name: 'UncertifiedMemberError', message: /no certificate/ });

  // Made a participant by the server and asked for a key, the device refuses before sealing it: no
  // statement of the situation's membership log adds the ghost.
  const { id: caseId } = await sdk.cases.refer('incurie', 'routine');
  await sdk.cases.write(caseId, 'health', enc('visite à domicile'));
  await asOwner(ta.db, (o) =>
    o
      .insertInto('case_participants')
      .values({
        clsm_id: coordinator.clsmId,
        case_id: caseId,
        member_id: ghost,
        added_by: nurse.id,
        added_at: new Date(),
        removed_at: null,
        compartments: ['identity', 'synthesis', 'health'],
      })
      .execute(),
  );
  await t.rejects(sdk.cases.grant(caseId, 'health', ghost, 1), { name: 'NotEntitledError' });
  t.equal(
    (await ta.ctx.db.selectFrom('key_grants').select('grantee_id').where('grantee_id', '=', ghost).execute())
      .length,
    0,
    'no key was sealed to the ghost',
  );
});

t.test("a colleague's keys swapped in the database are never used", async (t) => {
  const { coordinator, nurse, social } = await clsm();
  const socialSdk = sdkFor(url, social);
  const seenBefore = await socialSdk.memberKeys(nurse.id);
  const fake = await publicDeviceKeys(await generateDeviceKeys(), {
    clsmId: nurse.clsmId,
    memberId: nurse.id,
  });
  await asOwner(ta.db, (o) =>
    sql`update member_keys set sign_public_key = ${b(fake.signPublicKey)}, box_public_key = ${b(fake.boxPublicKey)}, self_signature = ${b(fake.selfSignature)} where member_id = ${nurse.id}`.execute(
      o,
    ),
  );
  const real = await fingerprint(nurse.keys.signPublicKey, nurse.keys.boxPublicKey);
  for (const [who, sdk] of [
    ['a client that saw her before', socialSdk],
    ['a client that never saw her', sdkFor(url, coordinator)],
  ] as const) {
    const used = await sdk.memberKeys(nurse.id);
    t.equal(await fingerprint(used.signPublicKey, used.boxPublicKey), real, `${who}: her certified keys`);
    const listed = (await sdk.members()).find((m) => m.id === nurse.id);
    t.equal(listed?.keys?.boxPublicKey.length, 32);
    t.same(
      b(listed?.keys?.boxPublicKey ?? new Uint8Array()),
      b(nurse.keys.boxPublicKey),
      `${who}: sealed to her`,
    );
  }
  t.same(b(seenBefore.signPublicKey), b(nurse.keys.signPublicKey));
  // A coordinator asked to certify the swapped keys with her real fingerprint refuses.
  await t.rejects(sdkFor(url, coordinator).directoryWriter.certify(nurse.id, { fingerprint: real }), {
    name: 'CertificationMismatchError',
  });
});

/** The log's rows, then a statement signed by `author` at its head and inserted as the server would. */
async function forge(
  author: TestMember,
  fields: Parameters<typeof signStatement>[0] extends infer S ? Partial<S> : never,
  signWith = author.keys.signSecretKey,
): Promise<void> {
  const log = await directoryLog(ta.app, author);
  const last = log.at(-1);
  const statement = await signStatement(
    {
      clsmId: author.clsmId,
      seq: log.length,
      prevHash: last === undefined ? null : await statementHash(statementFromWire(author.clsmId, last)),
      kind: 'certify',
      authorId: author.id,
      subjectId: randomUUID(),
      role: null,
      organisation: null,
      displayName: null,
      signPublicKey: null,
      boxPublicKey: null,
      keyVersion: null,
      ...fields,
    },
    signWith,
  );
  await ta.ctx.db
    .insertInto('directory_entries')
    .values({
      clsm_id: statement.clsmId,
      seq: statement.seq,
      prev_hash: statement.prevHash === null ? null : b(statement.prevHash),
      kind: statement.kind,
      author_id: statement.authorId,
      subject_id: statement.subjectId,
      role: statement.role,
      organisation: statement.organisation,
      display_name: statement.displayName,
      sign_public_key: statement.signPublicKey === null ? null : b(statement.signPublicKey),
      box_public_key: statement.boxPublicKey === null ? null : b(statement.boxPublicKey),
      key_version: statement.keyVersion,
      signature: b(statement.signature),
      hash: b(await statementHash(statement)),
    })
    .execute();
}

t.test('a certificate signed by a member who is not a coordinator is refused', async (t) => {
  const { nurse, social } = await clsm();
  const ghost = await generateDeviceKeys();
  await forge(social, {
    kind: 'certify',
    role: 'health_professional',
    organisation: 'CMP',
    displayName: 'Dr Fantôme',
    signPublicKey: ghost.signPublicKey,
    boxPublicKey: ghost.boxPublicKey,
    keyVersion: 1,
  });
  await t.rejects(sdkFor(url, nurse).members(), refusedWith('NOT_A_COORDINATOR', 3));
});

t.test('a role change with a bad signature is refused', async (t) => {
  const { coordinator, nurse, social } = await clsm();
  // The server's own key, or anyone's but the coordinator's, cannot sign for the coordinator.
  await forge(
    coordinator,
    { kind: 'role', subjectId: social.id, role: 'coordinator' },
    social.keys.signSecretKey,
  );
  await t.rejects(sdkFor(url, nurse).memberKeys(social.id), refusedWith('BAD_SIGNATURE', 3));
});

t.test('a truncated, reordered or forked log, against what a device saw before', async (t) => {
  const { coordinator, nurse, social } = await clsm();
  const seen = sdkFor(url, nurse);
  await seen.members();
  const withMemory = () => new ClsmClient(seen.identity, { anchor: nurse.anchor, directoryHead: remembered });
  const rows = await asOwner(ta.db, (o) =>
    o
      .selectFrom('directory_entries')
      .selectAll()
      .where('clsm_id', '=', coordinator.clsmId)
      .orderBy('seq')
      .execute(),
  );
  const last = fromRow(rows[rows.length - 1] as Parameters<typeof fromRow>[0]);
  const remembered = { seq: last.seq, hash: await statementHash(last) };
  t.ok(await withMemory().members(), 'the untouched log extends what the device saw');

  // Truncated: the social worker's certificate, the last statement, is gone.
  await rewriteLog((o) =>
    o
      .deleteFrom('directory_entries')
      .where('clsm_id', '=', coordinator.clsmId)
      .where('seq', '=', last.seq)
      .execute(),
  );
  await t.rejects(withMemory().members(), refusedWith('TRUNCATED', last.seq), 'truncation is caught');
  const fresh = sdkFor(url, nurse);
  await t.rejects(
    fresh.memberKeys(social.id),
    { name: 'UncertifiedMemberError' },
    'without memory, she is just not certified',
  );

  // Forked: another statement, validly signed by the coordinator, in its place.
  await forge(coordinator, { kind: 'suspend', subjectId: nurse.id });
  await t.rejects(withMemory().members(), refusedWith('FORKED', last.seq), 'a rewritten history is caught');

  // Reordered: two statements swap places.
  await rewriteLog(async (o) => {
    const where = (seq: number) =>
      o.updateTable('directory_entries').where('clsm_id', '=', coordinator.clsmId).where('seq', '=', seq);
    await where(1).set({ seq: 99 }).execute();
    await where(2).set({ seq: 1 }).execute();
    await where(99).set({ seq: 2 }).execute();
  });
  await t.rejects(
    sdkFor(url, nurse).members(),
    refusedWith('WRONG_PREV_HASH', 1),
    'reordering breaks the chain',
  );
});

t.test("another CLSM's log replayed here is refused", async (t) => {
  const here = await clsm();
  const there = await clsm();
  await rewriteLog(async (o) => {
    await o.deleteFrom('directory_entries').where('clsm_id', '=', here.coordinator.clsmId).execute();
    const theirs = await o
      .selectFrom('directory_entries')
      .selectAll()
      .where('clsm_id', '=', there.coordinator.clsmId)
      .execute();
    await o
      .insertInto('directory_entries')
      .values(theirs.map((r) => ({ ...r, clsm_id: here.coordinator.clsmId })))
      .execute();
  });
  // Their root is signed for their CLSM: here its signature does not verify.
  await t.rejects(sdkFor(url, here.nurse).members(), refusedWith('BAD_SIGNATURE', 0));
});

t.test('a root the device does not trust is refused, even self-signed', async (t) => {
  const { nurse } = await clsm();
  const other = await clsm();
  // A device whose code carried another CLSM's root anchor (as a server serving a log of its own making).
  const sdk = new ClsmClient(sdkFor(url, nurse).identity, { anchor: other.coordinator.anchor });
  await t.rejects(sdk.members(), refusedWith('ROOT_NOT_ANCHORED', 0));
});
