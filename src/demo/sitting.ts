import type { Cast } from './cast.js';
import type { Situations } from './situations.js';
import type { World } from './world.js';
import { mustFail, say, sees, step } from './narrator.js';

// Act two: the monthly sitting of the cellule.

const enc = (s: string) => new TextEncoder().encode(s);

export async function holdSitting(world: World, cast: Cast, s: Situations): Promise<void> {
  step('The sitting of 13 March 2025');
  world.clock.set(new Date('2025-03-13T14:00:00Z'));
  const members = [cast.coordinator, cast.nurse, cast.socialWorker, cast.landlord].map(
    (c) => c.identity.memberId,
  );
  const sitting = await cast.coordinator.sittings.create(
    new Date('2025-03-13T14:00:00Z'),
    'Mairie de Villeneuve, salle du conseil',
    members,
  );
  const items = {
    a: await cast.coordinator.sittings.addToAgenda(sitting, s.a),
    b: await cast.coordinator.sittings.addToAgenda(sitting, s.b),
    c: await cast.coordinator.sittings.addToAgenda(sitting, s.c),
  };
  const landlordView = await cast.landlord.sittings.view(sitting);
  sees('Lucie', `sees the agenda as: ${landlordView.agenda.map((i) => i.label).join(' | ')}`);

  await cast.coordinator.sittings.attendance(sitting, [
    { memberId: cast.coordinator.identity.memberId, attendance: 'present' },
    { memberId: cast.nurse.identity.memberId, attendance: 'present' },
    { memberId: cast.socialWorker.identity.memberId, attendance: 'present' },
    { memberId: cast.landlord.identity.memberId, attendance: 'excused' },
  ]);
  await cast.coordinator.sittings.minutes(
    sitting,
    items.a,
    s.a,
    enc('Orientation vers le CMP ; Inès propose un rendez-vous avec le psychiatre.'),
  );
  const decisionA = await cast.coordinator.sittings.decide(sitting, items.a, 'orientation_soins');
  await cast.coordinator.sittings.action(
    sitting,
    items.a,
    s.a,
    cast.nurse.identity.memberId,
    '2025-03-27',
    enc('Proposer un rendez-vous au CMP.'),
    decisionA,
  );
  await cast.coordinator.sittings.minutes(
    sitting,
    items.b,
    s.b,
    enc('Visite conjointe bailleur / CCAS / infirmière, avec son accord.'),
  );
  await cast.coordinator.sittings.decide(sitting, items.b, 'visite_conjointe', 'agrees');
  await cast.coordinator.sittings.minutes(sitting, items.c, s.c, enc('Dossier FSL et plan d’apurement.'));
  await cast.coordinator.sittings.decide(sitting, items.c, 'ouverture_droits');
  await cast.coordinator.sittings.hold(sitting);
  await cast.coordinator.sittings.close(sitting);
  sees(
    'Claire',
    "records attendance, minutes (encrypted in each situation's committee compartment), decisions and an action, then closes the sitting",
  );
  await mustFail('Claire', 'add minutes to the closed sitting', () =>
    cast.coordinator.sittings.minutes(sitting, items.a, s.a, enc('ajout tardif')),
  );
  const minutes = (await cast.coordinator.cases.read(s.a, 'committee')).find((e) => e.kind === 'minutes');
  if (minutes !== undefined) {
    await cast.coordinator.sittings.correct(
      s.a,
      minutes.id,
      enc('Correction : rendez-vous avec le psychiatre, pas l’infirmière.'),
    );
    sees(
      'Claire',
      'corrects the minutes with a new signed entry that refers to the original, which stays as it was',
    );
  }
  const mine = await cast.nurse.sittings.myActions();
  sees(
    'Inès',
    `has ${mine.actions.length} action(s) to do, due ${mine.actions.map((a) => a.dueOn).join(', ')}`,
  );
  world.clock.set(new Date('2025-04-02T09:00:00Z'));
  const overdue = await cast.coordinator.sittings.overdue();
  say(
    `   Two weeks later, Claire's watch list shows ${overdue.actions.length} overdue action(s): references and dates only.`,
  );
}
