import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { CONSENT_SCOPE } from '../cases/need-to-know.js';
import { fingerprint } from '../../src/crypto/device-keys.js';
import type { Grantee } from '../../src/client/handover.js';
import { HandoverDeclinedError } from '../../src/client/key-refusals.js';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import { NEED_TO_KNOW } from '../../src/kernel/need-to-know.js';

// The honest path through the device's own checks: with the person's consent given, every content
// role receives the keys the table entitles it to and reads those compartments; a newcomer is shown
// to the user (name, role, organisation, who added them, fingerprint) once, before any key is sealed
// to them, and one the user declines gets nothing.

const ta = await startTestApp(t);
const cell = await cellule(ta, {
  nurse: 'health_professional',
  sw: 'social_worker',
  landlord: { role: 'partner', organisation: 'Bailleur social' },
  doctor: { role: 'health_professional', organisation: 'Centre médico-psychologique' },
  stranger: 'health_professional',
});
const { members: m, sdk } = cell;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const { id } = await cell.situation({
  by: 'nurse',
  accepted: true,
  participants: ['sw', 'landlord', 'coordinator'],
});
await sdk.nurse.consent.record(id, {
  decision: 'given',
  scope: CONSENT_SCOPE.full ?? [],
  obtained: 'written',
});
for (const c of COMPARTMENTS) await sdk.nurse.cases.write(id, c, new TextEncoder().encode(`note ${c}`));

t.test('every content role reads what the table entitles it to', async (t) => {
  for (const who of ['nurse', 'sw', 'landlord', 'coordinator'] as const) {
    const role = m[who].role;
    for (const c of COMPARTMENTS) {
      if (NEED_TO_KNOW[role][c] === 'never') continue;
      const read = await sdk[who].cases.read(id, c);
      t.same(
        read.map((e) => dec(e.plaintext)),
        [`note ${c}`],
        `${role} reads ${c}`,
      );
    }
  }
});

t.test('a newcomer is shown once before any key is sealed to them', async (t) => {
  await sdk.coordinator.cases.addParticipant(id, m.doctor.id, undefined, { handOverKeys: false });
  const shown: Grantee[] = [];
  const given = await sdk.nurse.cases.shareKeys(id, {
    confirm: (g) => {
      shown.push(g);
      return true;
    },
  });
  t.equal(given, COMPARTMENTS.length, 'every compartment key went to the doctor');
  t.same(shown, [
    {
      memberId: m.doctor.id,
      displayName: 'Member health_professional',
      role: 'health_professional',
      organisation: 'Centre médico-psychologique',
      addedBy: 'Coordination',
      fingerprint: await fingerprint(m.doctor.keys.signPublicKey, m.doctor.keys.boxPublicKey),
    },
  ]);
  for (const c of COMPARTMENTS)
    t.same(
      (await sdk.doctor.cases.read(id, c)).map((e) => dec(e.plaintext)),
      [`note ${c}`],
    );
});

t.test('a newcomer the user declines gets no key', async (t) => {
  await sdk.coordinator.cases.addParticipant(id, m.stranger.id, undefined, { handOverKeys: false });
  let asked = 0;
  const given = await sdk.nurse.cases.shareKeys(id, {
    confirm: (g) => {
      asked += 1;
      t.equal(g.memberId, m.stranger.id);
      return false;
    },
  });
  t.equal(given, 0);
  t.equal(asked, 1, 'asked once, not once per compartment');
  const rows = await ta.ctx.db
    .selectFrom('key_grants')
    .select('compartment')
    .where('case_id', '=', id)
    .where('grantee_id', '=', m.stranger.id)
    .execute();
  t.same(rows, [], 'no key sealed to them');
  t.equal(
    (await sdk.nurse.cases.view(id)).pendingGrants.length,
    COMPARTMENTS.length,
    'their keys still wait',
  );
});

t.test('a new key is sealed to a newcomer only once the user has seen them', async (t) => {
  const fresh = await cell.situation({ by: 'nurse', accepted: true, participants: ['doctor'] });
  const nurse = cell.sdk.nurse;
  const shown: string[] = [];
  const write = (answer: boolean) =>
    nurse.cases.write(fresh.id, 'health', new TextEncoder().encode('première note'), {
      confirm: (g) => {
        shown.push(g.memberId);
        return answer;
      },
    });
  await t.rejects(write(false), HandoverDeclinedError, 'declined: no key is made, nothing written');
  const health = (await nurse.cases.view(fresh.id)).compartments.find((c) => c.name === 'health');
  t.equal(health?.keyVersion, 0, 'no key version was created');
  await write(true);
  t.same(shown, [m.doctor.id, m.doctor.id], 'the doctor was shown each time, the nurse herself never');
  t.same(
    (await sdk.doctor.cases.read(fresh.id, 'health')).map((e) => dec(e.plaintext)),
    ['première note'],
  );
});
