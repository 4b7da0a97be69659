import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { asOwner } from '../helpers/owner.js';

// A reader's timeline shows every entry it can verify and withholds, with the reason, each one it
// cannot: a colleague who joined after a rotation never held the earlier key, and an entry altered
// in the database does not verify. Neither hides the rest, and a withheld entry shows no content.

const ta = await startTestApp(t);
const cell = await cellule(ta, { nurse: 'health_professional', doctor: 'health_professional' });
const { doctor } = cell.members;
const { nurse: nurseSdk, doctor: doctorSdk } = cell.sdk;
const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const { id } = await nurseSdk.cases.refer('incurie', 'routine');
const before = await nurseSdk.cases.write(id, 'health', enc('avant la rotation'));
await nurseSdk.cases.rotate(id, 'health');
const after = await nurseSdk.cases.write(id, 'health', enc('après la rotation'));
await nurseSdk.cases.addParticipant(id, doctor.id);

t.test('a colleague who joined after a rotation reads what was written since', async (t) => {
  await t.rejects(doctorSdk.cases.read(id, 'health'), /no key for version 1/, 'the strict read stops');
  const timeline = await doctorSdk.cases.timeline(id, 'health');
  t.same(
    timeline.map((e) => [e.id, e.state, e.state === 'withheld' ? e.reason : text(e.plaintext)]),
    [
      [before, 'withheld', 'no-key'],
      [after, 'verified', 'après la rotation'],
    ],
  );
  t.notOk('plaintext' in (timeline[0] ?? {}), 'a withheld entry carries no content');
});

t.test('an entry altered in the database is withheld; the others still read', async (t) => {
  await asOwner(ta.db, (db) =>
    sql`update entries set ciphertext = set_byte(ciphertext, 3, get_byte(ciphertext, 3) # 1) where id = ${after}`.execute(
      db,
    ),
  );
  const later = await nurseSdk.cases.write(id, 'health', enc('plus tard'));
  const timeline = await nurseSdk.cases.timeline(id, 'health');
  t.same(
    timeline.map((e) => [e.id, e.state, e.state === 'withheld' ? e.reason : text(e.plaintext)]),
    [
      [before, 'verified', 'avant la rotation'],
      [after, 'withheld', 'not-verified'],
      [later, 'verified', 'plus tard'],
    ],
  );
  await t.rejects(
    nurseSdk.cases.read(id, 'health'),
    { name: 'EntryIntegrityError' },
    'the strict read stops',
  );
});

t.test('a refusal of the server still throws', async (t) => {
  const { sdk: outsider } = await cell.join('social_worker');
  await t.rejects(outsider.cases.timeline(id, 'health'), { name: 'ApiError', status: 404 });
});
