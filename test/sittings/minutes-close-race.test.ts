import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';

// Minutes are checked and written in one unit that holds the sitting's row open: closing the
// sitting meanwhile waits for them. Whatever the interleaving, each minutes either lands before the
// close or is refused as frozen (409), never an internal error.

const ta = await startTestApp(t);
const cell = await cellule(ta, { nurse: 'health_professional' });
const { coordinator, nurse } = cell.members;
const { coordinator: coord, nurse: nurseSdk } = cell.sdk;
const enc = (s: string) => new TextEncoder().encode(s);

const { id: caseId } = await cell.situation({ by: 'nurse', accepted: true, participants: ['coordinator'] });
await nurseSdk.cases.shareKeys(caseId);
const sittingId = await coord.sittings.create(new Date('2026-12-03T14:00:00Z'), 'Mairie', [
  nurse.id,
  coordinator.id,
]);
const itemId = await coord.sittings.addToAgenda(sittingId, caseId);
await coord.sittings.hold(sittingId);
// The first minutes settle the committee key, so that the writes below differ only in their timing.
await coord.sittings.minutes(sittingId, itemId, caseId, enc('ouverture'));

t.test('closing a sitting while its minutes are written', async (t) => {
  const writes = Array.from({ length: 4 }, (_, i) =>
    coord.sittings.minutes(sittingId, itemId, caseId, enc(`point ${i}`)),
  );
  const [closed, ...written] = await Promise.allSettled([coord.sittings.close(sittingId), ...writes]);
  t.equal(closed.status, 'fulfilled', 'the sitting closes');
  for (const w of written) {
    if (w.status === 'rejected')
      t.match(w.reason, { status: 409, code: 'MINUTES_FROZEN' }, 'refused as frozen');
  }
  const stored = (await coord.cases.read(caseId, 'committee')).filter((e) => e.kind === 'minutes');
  t.equal(
    stored.length,
    1 + written.filter((w) => w.status === 'fulfilled').length,
    'every accepted minutes is stored, no refused one is',
  );
});
