import t, { type Test } from 'tap';
import {
  fingerprint,
  fingerprintBytes,
  fingerprintDigest,
  generateDeviceKeys,
  type DeviceKeys,
} from '../../src/crypto/device-keys.js';
import {
  signStatement,
  statementHash,
  type DirectoryStatement,
  type SignedStatement,
} from '../../src/crypto/directory-statements.js';
import {
  checkExtends,
  DirectoryError,
  extendDirectory,
  headOf,
  replayDirectory,
  type DirectoryRefusal,
} from '../../src/crypto/directory-replay.js';
import { ROLES } from '../../src/kernel/roles.js';

// Every refusal of the directory replay, each on a log that is valid up to the statement in question.

const clsmId = globalThis.crypto.randomUUID();
const otherClsm = globalThis.crypto.randomUUID();
const id = () => globalThis.crypto.randomUUID();

interface Person {
  id: string;
  keys: DeviceKeys;
}

const person = async (): Promise<Person> => ({ id: id(), keys: await generateDeviceKeys() });

/** Builds a log statement by statement, each signed and chained to the one before. */
class Log {
  entries: SignedStatement[] = [];
  constructor(readonly clsm = clsmId) {}

  async add(
    author: Person,
    fields: Partial<DirectoryStatement> & Pick<DirectoryStatement, 'kind' | 'subjectId'>,
    signer = author.keys.signSecretKey,
  ): Promise<SignedStatement> {
    const last = this.entries.at(-1);
    const statement: DirectoryStatement = {
      clsmId: this.clsm,
      seq: this.entries.length,
      prevHash: last === undefined ? null : await statementHash(last),
      authorId: author.id,
      role: null,
      organisation: null,
      displayName: null,
      signPublicKey: null,
      boxPublicKey: null,
      keyVersion: null,
      ...fields,
    };
    const signed = await signStatement(statement, signer);
    this.entries.push(signed);
    return signed;
  }

  root(p: Person) {
    return this.add(p, { kind: 'root', subjectId: p.id, ...card(p, 'coordinator') });
  }

  certify(by: Person, p: Person, role = 'social_worker') {
    return this.add(by, { kind: 'certify', subjectId: p.id, ...card(p, role) });
  }
}

const card = (p: Person, role: string) => ({
  role,
  organisation: 'CCAS',
  displayName: 'Camille',
  signPublicKey: p.keys.signPublicKey,
  boxPublicKey: p.keys.boxPublicKey,
  keyVersion: p.keys.version,
});

const anchorOf = async (p: Person) =>
  (await fingerprintDigest(p.keys.signPublicKey, p.keys.boxPublicKey)).slice(0, 16);
const options = { clsmId, roles: ROLES };

async function refused(
  t: Test,
  entries: SignedStatement[],
  seq: number,
  reason: DirectoryRefusal,
  anchor?: Uint8Array,
) {
  await t.rejects(
    replayDirectory(entries, { ...options, anchor }),
    new DirectoryError(seq, reason, ''),
    `${reason} at ${seq}`,
  );
}

t.test('a valid log replays into every member, their role, status and every key version', async (t) => {
  const [root, nurse, second] = [await person(), await person(), await person()];
  const log = new Log();
  await log.root(root);
  await log.certify(root, nurse, 'health_professional');
  await log.certify(root, second, 'coordinator');
  await log.add(second, { kind: 'role', subjectId: nurse.id, role: 'partner' });
  await log.add(second, { kind: 'suspend', subjectId: nurse.id });
  await log.add(root, { kind: 'reinstate', subjectId: nurse.id });
  const newKeys = await generateDeviceKeys(2);
  await log.add(root, {
    kind: 'device',
    subjectId: nurse.id,
    signPublicKey: newKeys.signPublicKey,
    boxPublicKey: newKeys.boxPublicKey,
    keyVersion: 2,
  });
  const state = await replayDirectory(log.entries, { ...options, anchor: await anchorOf(root) });
  const m = state.members.get(nurse.id);
  t.equal(state.rootId, root.id);
  t.equal(m?.role, 'partner');
  t.equal(m?.status, 'active');
  t.equal(m?.keyVersion, 2);
  t.same([...(m?.keys.keys() ?? [])], [1, 2], 'old keys stay, for old signatures');
  t.equal(m?.certifiedBy, root.id);
  t.equal(headOf(state)?.seq, 6);

  // From the 15 bytes of a fingerprint typed back, too.
  const typed = fingerprintBytes(await fingerprint(root.keys.signPublicKey, root.keys.boxPublicKey));
  t.ok(await replayDirectory(log.entries, { ...options, anchor: typed }));

  // Incrementally: the same state from a prefix and the rest.
  const prefix = await replayDirectory(log.entries.slice(0, 3), options);
  const whole = await extendDirectory(prefix, log.entries.slice(3), options);
  t.same(headOf(whole), headOf(state));
  t.equal(prefix.members.get(nurse.id)?.role, 'health_professional', 'the prefix state is left as it was');
});

t.test('the root: first, self-signed, a coordinator, and the one the anchor names', async (t) => {
  const [root, mallory] = [await person(), await person()];
  const good = new Log();
  await good.root(root);
  await refused(t, good.entries, 0, 'ROOT_NOT_ANCHORED', await anchorOf(mallory));

  const notSelf = new Log();
  await notSelf.add(root, { kind: 'root', subjectId: mallory.id, ...card(mallory, 'coordinator') });
  await refused(t, notSelf.entries, 0, 'MALFORMED');

  const signedByOther = new Log();
  await signedByOther.add(
    root,
    { kind: 'root', subjectId: root.id, ...card(root, 'coordinator') },
    mallory.keys.signSecretKey,
  );
  await refused(t, signedByOther.entries, 0, 'BAD_SIGNATURE');

  const notCoordinator = new Log();
  await notCoordinator.add(root, { kind: 'root', subjectId: root.id, ...card(root, 'partner') });
  await refused(t, notCoordinator.entries, 0, 'MALFORMED');

  const certifyFirst = new Log();
  await certifyFirst.certify(root, mallory);
  await refused(t, certifyFirst.entries, 0, 'MALFORMED');

  const twoRoots = new Log();
  await twoRoots.root(root);
  await twoRoots.add(mallory, { kind: 'root', subjectId: mallory.id, ...card(mallory, 'coordinator') });
  await refused(t, twoRoots.entries, 1, 'MALFORMED');
});

t.test('only an active coordinator certifies, with their current key', async (t) => {
  const [root, worker, mallory, third] = [await person(), await person(), await person(), await person()];
  const byWorker = new Log();
  await byWorker.root(root);
  await byWorker.certify(root, worker);
  await byWorker.certify(worker, mallory, 'coordinator');
  await refused(t, byWorker.entries, 2, 'NOT_A_COORDINATOR');

  const byStranger = new Log();
  await byStranger.root(root);
  await byStranger.certify(mallory, third);
  await refused(t, byStranger.entries, 1, 'NOT_A_COORDINATOR');

  const bySuspended = new Log();
  await bySuspended.root(root);
  await bySuspended.certify(root, worker, 'coordinator');
  await bySuspended.add(root, { kind: 'suspend', subjectId: worker.id });
  await bySuspended.certify(worker, third);
  await refused(t, bySuspended.entries, 3, 'NOT_A_COORDINATOR');

  const forged = new Log();
  await forged.root(root);
  await forged.add(
    root,
    { kind: 'certify', subjectId: mallory.id, ...card(mallory, 'coordinator') },
    mallory.keys.signSecretKey,
  );
  await refused(t, forged.entries, 1, 'BAD_SIGNATURE');

  // After a device change, the old key no longer signs for its owner.
  const oldKey = new Log();
  await oldKey.root(root);
  const next = await generateDeviceKeys(2);
  await oldKey.add(root, {
    kind: 'device',
    subjectId: root.id,
    signPublicKey: next.signPublicKey,
    boxPublicKey: next.boxPublicKey,
    keyVersion: 2,
  });
  await oldKey.certify(root, worker);
  await refused(t, oldKey.entries, 2, 'BAD_SIGNATURE');
});

t.test('statements about members follow their state', async (t) => {
  const [root, worker, ghost] = [await person(), await person(), await person()];
  const base = async () => {
    const log = new Log();
    await log.root(root);
    await log.certify(root, worker);
    return log;
  };
  const twice = await base();
  await twice.certify(root, worker);
  await refused(t, twice.entries, 2, 'ALREADY_CERTIFIED');

  for (const kind of ['role', 'suspend', 'reinstate', 'device'] as const) {
    const unknown = await base();
    const extra =
      kind === 'role'
        ? { role: 'partner' }
        : kind === 'device'
          ? { signPublicKey: ghost.keys.signPublicKey, boxPublicKey: ghost.keys.boxPublicKey, keyVersion: 2 }
          : {};
    await unknown.add(root, { kind, subjectId: ghost.id, ...extra });
    await refused(t, unknown.entries, 2, 'UNKNOWN_MEMBER');
  }

  const reinstateActive = await base();
  await reinstateActive.add(root, { kind: 'reinstate', subjectId: worker.id });
  await refused(t, reinstateActive.entries, 2, 'NOT_SUSPENDED');

  const suspendTwice = await base();
  await suspendTwice.add(root, { kind: 'suspend', subjectId: worker.id });
  await suspendTwice.add(root, { kind: 'suspend', subjectId: worker.id });
  await refused(t, suspendTwice.entries, 3, 'ALREADY_SUSPENDED');

  const skip = await base();
  await skip.add(root, {
    kind: 'device',
    subjectId: worker.id,
    signPublicKey: ghost.keys.signPublicKey,
    boxPublicKey: ghost.keys.boxPublicKey,
    keyVersion: 3,
  });
  await refused(t, skip.entries, 2, 'WRONG_KEY_VERSION');

  const badRole = await base();
  await badRole.add(root, { kind: 'role', subjectId: worker.id, role: 'superuser' });
  await refused(t, badRole.entries, 2, 'UNKNOWN_ROLE');

  const extraField = await base();
  await extraField.add(root, { kind: 'suspend', subjectId: worker.id, role: 'partner' });
  await refused(t, extraField.entries, 2, 'MALFORMED');

  const missing = await base();
  await missing.add(root, {
    kind: 'certify',
    subjectId: ghost.id,
    ...card(ghost, 'partner'),
    keyVersion: null,
  });
  await refused(t, missing.entries, 2, 'MALFORMED');
});

t.test('the chain: order, links, CLSM, and what this device saw before', async (t) => {
  const [root, a, b] = [await person(), await person(), await person()];
  const log = new Log();
  await log.root(root);
  await log.certify(root, a);
  await log.certify(root, b);

  const [s0, s1, s2] = log.entries as [SignedStatement, SignedStatement, SignedStatement];
  await refused(t, [s0, s2, s1], 1, 'WRONG_SEQ');
  await refused(t, [s0, s2], 1, 'WRONG_SEQ');
  await refused(t, [s0, { ...s1, prevHash: new Uint8Array(32) }], 1, 'WRONG_PREV_HASH');
  await refused(t, [s0, { ...s1, prevHash: null }], 1, 'WRONG_PREV_HASH');

  // Another CLSM's log, replayed here.
  const elsewhere = new Log(otherClsm);
  await elsewhere.root(root);
  await refused(t, elsewhere.entries, 0, 'WRONG_CLSM');

  // Truncation and fork, against the head this device remembered.
  const full = await replayDirectory(log.entries, options);
  const remembered = headOf(full);
  const truncated = await replayDirectory(log.entries.slice(0, 2), options);
  t.throws(
    () => {
      checkExtends(truncated, remembered);
    },
    new DirectoryError(2, 'TRUNCATED', ''),
  );

  const fork = new Log();
  fork.entries = log.entries.slice(0, 2);
  await fork.certify(root, await person());
  const forked = await replayDirectory(fork.entries, options);
  t.throws(
    () => {
      checkExtends(forked, remembered);
    },
    new DirectoryError(2, 'FORKED', ''),
  );

  t.doesNotThrow(() => {
    checkExtends(full, remembered);
  });
  const longer = new Log();
  longer.entries = [...log.entries];
  await longer.add(root, { kind: 'suspend', subjectId: a.id });
  const extended = await replayDirectory(longer.entries, options);
  t.doesNotThrow(() => {
    checkExtends(extended, remembered);
  });
});

t.test(
  "the person's certificate: from a professional bound by secrecy, and the person certifies nobody",
  async (t) => {
    const [root, nurse, landlord, concerned, other] = [
      await person(),
      await person(),
      await person(),
      await person(),
      await person(),
    ];
    const base = async () => {
      const log = new Log();
      await log.root(root);
      await log.certify(root, nurse, 'health_professional');
      await log.certify(root, landlord, 'partner');
      return log;
    };
    const byNurse = await base();
    await byNurse.certify(nurse, concerned, 'person');
    const state = await replayDirectory(byNurse.entries, options);
    t.equal(state.members.get(concerned.id)?.role, 'person', 'a nurse certifies the person she invited');
    t.equal(state.members.get(concerned.id)?.certifiedBy, nurse.id);

    const nurseCertifiesColleague = await base();
    await nurseCertifiesColleague.certify(nurse, other, 'social_worker');
    await refused(t, nurseCertifiesColleague.entries, 3, 'NOT_A_COORDINATOR');

    const byLandlord = await base();
    await byLandlord.certify(landlord, concerned, 'person');
    await refused(t, byLandlord.entries, 3, 'NOT_A_COORDINATOR');

    const byThePerson = await base();
    await byThePerson.certify(nurse, concerned, 'person');
    await byThePerson.certify(concerned, other, 'person');
    await refused(t, byThePerson.entries, 4, 'NOT_A_COORDINATOR');

    const intoPerson = await base();
    await intoPerson.add(root, { kind: 'role', subjectId: landlord.id, role: 'person' });
    await refused(t, intoPerson.entries, 3, 'MALFORMED');

    const outOfPerson = await base();
    await outOfPerson.certify(nurse, concerned, 'person');
    await outOfPerson.add(root, { kind: 'role', subjectId: concerned.id, role: 'coordinator' });
    await refused(t, outOfPerson.entries, 4, 'MALFORMED');
  },
);
