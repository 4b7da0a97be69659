import t, { type Test } from 'tap';
import { change } from '../../src/crypto/case-log-statements.js';
import { startTestApp } from '../helpers/app.js';
import { eventsOf } from '../helpers/audit.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { randomUUID } from 'node:crypto';
import { decryptEntry, encryptEntry } from '../../src/crypto/entries.js';
import { openGrant } from '../../src/crypto/grants.js';

// A removed participant is refused at once, and what is written after the rotation is out of reach
// of the keys they kept.

/** Two social workers on one accepted case; the second reads what the first wrote. */
async function twoSocialWorkers(t: Test) {
  const ta = await startTestApp(t);
  const { coordinator } = await newClsm(ta);
  const sw1 = await addMember(ta, coordinator, 'social_worker');
  const sw2 = await addMember(ta, coordinator, 'social_worker');
  const url = await listen(ta.app);
  const [coord, a] = [sdkFor(url, coordinator), sdkFor(url, sw1)];
  const { id } = await a.cases.refer('dettes', 'soon');
  await coord.cases.transition(id, 'accept');
  await a.cases.addParticipant(id, sw2.id);
  await a.cases.shareKeys(id);
  await a.cases.write(id, 'social', new TextEncoder().encode('avant le départ'));
  t.equal((await sdkFor(url, sw2).cases.read(id, 'social')).length, 1, 'the second reads the first');
  return { ta, coordinator, sw1, sw2, coord, a, id };
}

t.test('removal, rotation, and the old keys', async (t) => {
  const { ta, sw1, sw2, coord, a, id } = await twoSocialWorkers(t);

  // What sw2's device keeps: the sealed key of version 1, opened.
  const before = await ta.app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/compartments/social/entries`,
    headers: sw2.headers,
  });
  const oldGrant = before.json().grants[0];
  const oldKey = await openGrant(
    {
      context: {
        caseId: id,
        compartment: 'social',
        keyVersion: 1,
        granterId: oldGrant.granterId,
        granteeId: sw2.id,
        granteeBoxPublicKey: sw2.keys.boxPublicKey,
      },
      sealedKey: Buffer.from(oldGrant.sealedKey, 'base64'),
      signature: Buffer.from(oldGrant.signature, 'base64'),
    },
    sw1.keys.signPublicKey,
    { publicKey: sw2.keys.boxPublicKey, secretKey: sw2.keys.boxSecretKey },
  );

  await coord.cases.removeParticipant(id, sw2.id);
  const refused = await ta.app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/compartments/social/entries`,
    headers: sw2.headers,
  });
  t.equal(refused.statusCode, 404, 'refused at once, as if the case did not exist');
  const grantsLeft = await ta.ctx.db
    .selectFrom('key_grants')
    .select('grantee_id')
    .where('case_id', '=', id)
    .where('grantee_id', '=', sw2.id)
    .execute();
  t.same(grantsLeft, [], 'their wrapped keys are gone from the server');

  const blocked = await ta.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: sw1.headers });
  t.equal(
    blocked.json().compartments.find((c: { name: string }) => c.name === 'social').rotationRequired,
    true,
  );
  const stale = await encryptEntry(
    {
      caseId: id,
      compartment: 'social',
      entryId: randomUUID(),
      keyVersion: 1,
      authorId: sw1.id,
      kind: 'note',
      refersTo: null,
    },
    new TextEncoder().encode('sous l’ancienne clé'),
    oldKey,
    sw1.keys.signSecretKey,
  );
  const b64 = (x: Uint8Array) => Buffer.from(x).toString('base64');
  const refusedWrite = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/compartments/social/entries`,
    headers: sw1.headers,
    payload: {
      id: stale.context.entryId,
      keyVersion: 1,
      kind: 'note',
      nonce: b64(stale.nonce),
      ciphertext: b64(stale.ciphertext),
      signature: b64(stale.signature),
    },
  });
  t.equal(refusedWrite.statusCode, 409);
  t.equal(
    refusedWrite.json().code,
    'ROTATION_REQUIRED',
    'no new entry under the key the removed member holds',
  );
  const newEntry = await a.cases.write(id, 'social', new TextEncoder().encode('après le départ'));
  const after = await ta.app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/compartments/social/entries`,
    headers: sw1.headers,
  });
  const e = after.json().entries.find((x: { id: string }) => x.id === newEntry);
  t.equal(e.keyVersion, 2, 'the new entry is under the rotated key');
  await t.rejects(
    decryptEntry(
      {
        context: {
          caseId: id,
          compartment: 'social',
          entryId: e.id,
          keyVersion: 2,
          authorId: sw1.id,
          kind: 'note',
          refersTo: null,
        },
        nonce: Buffer.from(e.nonce, 'base64'),
        ciphertext: Buffer.from(e.ciphertext, 'base64'),
        signature: Buffer.from(e.signature, 'base64'),
      },
      oldKey,
      sw1.keys.signPublicKey,
    ),
    { name: 'EntryIntegrityError' },
    'the key the removed member kept does not open it',
  );
});

t.test('narrowing a participant to fewer compartments: keys gone, rotation due, audited', async (t) => {
  const { ta, coordinator, sw1, sw2, coord, id } = await twoSocialWorkers(t);

  const narrow = async (compartment: string) =>
    ta.app.inject({
      method: 'DELETE',
      url: `/v1/cases/${id}/participants/${sw2.id}/compartments/${compartment}`,
      headers: coordinator.headers,
      payload: {
        log: await coord.caseLogs.seal(
          id,
          change('narrowed', { subjectId: sw2.id, compartments: [compartment] }),
        ),
      },
    });
  // One compartment the member held a key to, one they never had a key for.
  for (const compartment of ['social', 'committee']) {
    const res = await narrow(compartment);
    t.equal(res.statusCode, 204, compartment);
    const events = (await eventsOf(ta.ctx.db, res)).map(({ type, compartment, subject_id }) => ({
      type,
      compartment,
      subject_id,
    }));
    const narrowed = { type: 'participant.narrowed', compartment, subject_id: sw2.id };
    const revoked = { type: 'grant.revoked', compartment, subject_id: sw2.id };
    t.same(
      events,
      compartment === 'social' ? [revoked, narrowed] : [narrowed],
      `${compartment}: the narrowing is audited, with the revocation of any key held`,
    );
  }
  const refused = await ta.app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/compartments/social/entries`,
    headers: sw2.headers,
  });
  t.equal(refused.statusCode, 403, 'no longer readable by the narrowed member');
  const view = await ta.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: sw1.headers });
  const social = view.json().compartments.find((c: { name: string }) => c.name === 'social');
  t.equal(social.rotationRequired, true, 'the compartment they held must be rotated');
});
