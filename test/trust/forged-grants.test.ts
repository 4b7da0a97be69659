import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { sdkFor, type TestMember } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { newCompartmentKey } from '../../src/crypto/entries.js';
import { openGrant, sealGrant } from '../../src/crypto/grants.js';
import { UntrustedGrantError } from '../../src/client/key-refusals.js';
import type { Compartment } from '../../src/kernel/compartments.js';

// Someone with the database's keys (or the server's code) swaps a member's grant for one signed by
// another real member with real keys, who may not hold the key: a health professional who takes no
// part in the situation, or an operator. The signature verifies; the device still refuses the grant,
// reads nothing under it and writes nothing under it. An honest grant from a participant who has
// since left still opens, for the entries written before.

const ta = await startTestApp(t);
const cell = await cellule(ta, {
  nurse: 'health_professional',
  doctor: 'health_professional',
  outsider: 'health_professional',
  operator: 'operator',
});
const { members: m, sdk } = cell;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Replaces the doctor's grant of one key version by one that `granter` sealed and signed, with a key of its own. */
async function forgeGrant(caseId: string, compartment: Compartment, keyVersion: number, granter: TestMember) {
  const key = await newCompartmentKey();
  const context = {
    caseId,
    compartment,
    keyVersion,
    granterId: granter.id,
    granteeId: m.doctor.id,
    granteeBoxPublicKey: m.doctor.keys.boxPublicKey,
  };
  const forged = await sealGrant(context, key, granter.keys.signSecretKey);
  // The forgery is well signed: only the granter's entitlement gives it away.
  const opened = await openGrant(forged, granter.keys.signPublicKey, {
    publicKey: m.doctor.keys.boxPublicKey,
    secretKey: m.doctor.keys.boxSecretKey,
  });
  if (dec(opened) !== dec(key)) throw new Error('the forged grant does not open');
  await asOwner(ta.db, async (db) => {
    await db
      .deleteFrom('key_grants')
      .where('case_id', '=', caseId)
      .where('compartment', '=', compartment)
      .where('key_version', '=', keyVersion)
      .where('grantee_id', '=', m.doctor.id)
      .execute();
    await db
      .insertInto('key_grants')
      .values({
        clsm_id: cell.clsmId,
        case_id: caseId,
        compartment,
        key_version: keyVersion,
        grantee_id: m.doctor.id,
        grantee_key_version: 1,
        granter_id: granter.id,
        sealed_key: Buffer.from(forged.sealedKey),
        signature: Buffer.from(forged.signature),
      })
      .execute();
  });
}

const entriesBy = async (caseId: string, authorId: string) =>
  (
    await ta.ctx.db
      .selectFrom('entries')
      .select('id')
      .where('case_id', '=', caseId)
      .where('author_id', '=', authorId)
      .execute()
  ).length;

t.test('a grant of the current key signed by a health professional who takes no part', async (t) => {
  const { id } = await cell.situation({
    by: 'nurse',
    accepted: true,
    participants: ['doctor'],
    entries: { health: ['antécédents'] },
  });
  await forgeGrant(id, 'health', 1, m.outsider);
  const doctor = sdkFor(cell.url, m.doctor);

  const refused = await doctor.cases.read(id, 'health').catch((err: unknown) => err);
  t.type(refused, UntrustedGrantError, 'reading is refused with a typed error');
  t.equal((refused as UntrustedGrantError).granterId, m.outsider.id, 'naming the granter');
  t.same(
    (await doctor.cases.timeline(id, 'health')).map((e) => [e.state, e.state === 'withheld' ? e.reason : '']),
    [['withheld', 'not-verified']],
    'the timeline shows nothing under that key',
  );
  await t.rejects(
    doctor.cases.write(id, 'health', enc('sous une clé connue d’un tiers')),
    UntrustedGrantError,
    'nothing is written under a key its granter may not hold',
  );
  t.equal(await entriesBy(id, m.doctor.id), 0, 'no entry of the doctor reached the server');
});

t.test('a grant of an old key signed by an operator', async (t) => {
  const { id } = await cell.situation({
    by: 'nurse',
    accepted: true,
    participants: ['doctor'],
    entries: { health: ['avant la rotation'] },
  });
  await sdk.nurse.cases.rotate(id, 'health');
  await sdk.nurse.cases.write(id, 'health', enc('après la rotation'));
  await forgeGrant(id, 'health', 1, m.operator);
  const doctor = sdkFor(cell.url, m.doctor);
  const timeline = await doctor.cases.timeline(id, 'health');
  t.same(
    timeline.map((e) => [e.keyVersion, e.state]),
    [
      [1, 'withheld'],
      [2, 'verified'],
    ],
    'the version the operator granted stays closed; the honest one opens',
  );
  const opened = timeline.find((e) => e.state === 'verified');
  t.equal(opened?.state === 'verified' ? dec(opened.plaintext) : '', 'après la rotation');
  await t.rejects(doctor.cases.read(id, 'health'), UntrustedGrantError);
});

t.test('an honest grant from a participant who has since left still opens the old entries', async (t) => {
  const { id } = await cell.situation({
    by: 'nurse',
    accepted: true,
    participants: ['doctor'],
    entries: { health: ['écrit par l’infirmière'] },
  });
  await sdk.coordinator.cases.removeParticipant(id, m.nurse.id);
  const doctor = sdkFor(cell.url, m.doctor);
  t.same(
    (await doctor.cases.read(id, 'health')).map((e) => dec(e.plaintext)),
    ['écrit par l’infirmière'],
  );
  await doctor.cases.write(id, 'health', enc('après son départ'));
  const after = await doctor.cases.read(id, 'health');
  t.same(
    after.map((e) => [e.keyVersion, dec(e.plaintext)]),
    [
      [1, 'écrit par l’infirmière'],
      [2, 'après son départ'],
    ],
    'the doctor rotated before writing, and reads both',
  );
});
