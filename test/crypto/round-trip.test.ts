import t from 'tap';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';

// Three members on three simulated devices, through the real HTTP API and the SDK.

const ta = await startTestApp(t);
const { clsmId, coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const socialWorker = await addMember(ta, coordinator, 'social_worker');
const url = await listen(ta.app);
const [coord, nurseSdk, swSdk] = [sdkFor(url, coordinator), sdkFor(url, nurse), sdkFor(url, socialWorker)];
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

t.test('a referral, its participants, and entries each can read or not', async (t) => {
  const { id, reference } = await nurseSdk.cases.refer('rupture_soins', 'urgent');
  t.match(reference, /^\d{4}-\d{4}$/);
  const marker = 'CLSM-PLAINTEXT-MARKER-round-trip Mme Exemple refuse tout soin depuis mars';
  mustNotLeak(marker);
  await nurseSdk.cases.write(id, 'health', enc(marker));
  await nurseSdk.cases.write(id, 'synthesis', enc('Situation bloquée, visite conjointe à envisager'));
  t.equal(await coord.cases.transition(id, 'accept'), 'accepted');
  await nurseSdk.cases.addParticipant(id, socialWorker.id);
  await nurseSdk.cases.shareKeys(id);

  const nurseHealth = await nurseSdk.cases.read(id, 'health');
  t.equal(dec(nurseHealth[0]!.plaintext), marker);
  const swSynthesis = await swSdk.cases.read(id, 'synthesis');
  t.equal(dec(swSynthesis[0]!.plaintext), 'Situation bloquée, visite conjointe à envisager');
  await t.rejects(
    swSdk.cases.read(id, 'health'),
    { code: 'CONSENT_REQUIRED' },
    'health stays with health professionals',
  );
  await t.rejects(coord.cases.read(id, 'health'), { code: 'FORBIDDEN' });
  const view = await swSdk.cases.view(id);
  t.same(view.participants.find((p) => p.memberId === socialWorker.id)?.compartments, [
    'identity',
    'synthesis',
    'social',
    'committee',
    'person',
  ]);
  t.equal(clsmId, coordinator.clsmId);
});
