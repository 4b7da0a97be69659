import type { ClsmClient } from '../client/client.js';
import type { Addition } from '../client/cases.js';
import type { Cast } from './cast.js';
import type { World } from './world.js';
import { mustFail, say, sees, step } from './narrator.js';

// Act one: three situations referred, accepted, shared on a need-to-know basis, and the person's
// consent opening one compartment to the landlord.

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

export interface Situations {
  a: string;
  b: string;
  c: string;
}

export async function referSituations(world: World, cast: Cast): Promise<Situations> {
  step('Three situations are referred to the cellule (February 2025)');
  world.clock.set(new Date('2025-02-03T09:00:00Z'));
  const a = await cast.nurse.cases.refer('rupture_soins', 'urgent', {
    source: 'psychiatrie',
    sex: 'homme',
    ageBand: '45_64',
    housing: 'locataire_social',
    household: 'seul',
    problems: ['troubles_psychiques', 'rupture_soins', 'isolement'],
  });
  sees('Inès (nurse)', `refers ${a.reference}: a man who stopped his treatment and no longer opens his door`);
  // A partner refers, but does not describe the person: a professional bound by secrecy does (below).
  const b = await cast.landlord.cases.refer('incurie', 'soon');
  sees('Lucie (landlord)', `refers ${b.reference}: a tenant's flat is so cluttered that neighbours complain`);
  const c = await cast.socialWorker.cases.refer('dettes', 'routine', {
    source: 'social_municipal',
    sex: 'femme',
    ageBand: '25_44',
    housing: 'locataire_prive',
    household: 'parent_isole',
    problems: ['dettes', 'menace_expulsion'],
  });
  sees('Samir (social worker)', `refers ${c.reference}: a single mother with rent arrears`);
  await backgroundReferrals(world, cast);

  step('Claire accepts them and brings in who needs to know');
  for (const id of [a.id, b.id, c.id]) await cast.coordinator.cases.transition(id, 'accept');
  // Nobody opens a situation to themselves alone: Claire's own place in a situation, and a
  // professional she brings into one she takes no part in, wait for a participant bound by secrecy.
  const asked = [
    await cast.coordinator.cases.addParticipant(a.id, cast.socialWorker.identity.memberId),
    await cast.coordinator.cases.addParticipant(a.id, cast.coordinator.identity.memberId),
  ];
  sees('Claire (coordinator)', `asks to bring Samir and herself into ${a.reference}: it waits for Inès`);
  for (const addition of asked) await approve(cast.nurse, a.id, addition);
  sees('Inès (nurse)', `approves both: they take part in ${a.reference} from now on`);
  await cast.coordinator.cases.addParticipant(b.id, cast.nurse.identity.memberId);
  await approve(
    cast.nurse,
    b.id,
    await cast.coordinator.cases.addParticipant(b.id, cast.coordinator.identity.memberId),
  );
  await cast.nurse.cases.declareStatistics(b.id, {
    source: 'bailleur',
    sex: 'femme',
    ageBand: '65_plus',
    housing: 'locataire_social',
    household: 'seul',
    problems: ['incurie', 'menace_expulsion', 'troubles_voisinage'],
  });
  await approve(
    cast.socialWorker,
    c.id,
    await cast.coordinator.cases.addParticipant(c.id, cast.coordinator.identity.memberId),
  );
  say(
    '   Each situation has five compartments (identity, synthesis, social, health, committee), each with its own key.',
  );

  await cast.nurse.cases.write(
    a.id,
    'health',
    enc('Suivi CMP interrompu depuis novembre ; traitement arrêté.'),
  );
  await cast.nurse.cases.write(
    a.id,
    'synthesis',
    enc('Repli à domicile, refus de contact ; risque de décompensation.'),
  );
  await cast.nurse.cases.write(
    b.id,
    'synthesis',
    enc('Logement très encombré, plaintes du voisinage, dette locative naissante.'),
  );
  await cast.nurse.cases.write(
    b.id,
    'health',
    enc('Suivie par son médecin traitant ; pas de suivi psychiatrique connu.'),
  );
  await cast.socialWorker.cases.write(
    c.id,
    'social',
    enc('Arriérés de loyer : 3 200 €. Dossier FSL à constituer.'),
  );
  for (const [who, id] of [
    [cast.nurse, a.id],
    [cast.nurse, b.id],
    [cast.socialWorker, c.id],
  ] as const)
    await who.cases.shareKeys(id);
  sees(
    'Inès',
    'writes health and synthesis notes: encrypted on her device, signed, and sealed to whoever may read them',
  );
  const seen = await cast.socialWorker.cases.read(a.id, 'synthesis');
  sees('Samir', `reads the synthesis of ${a.reference}: "${dec(seen[0]?.plaintext ?? new Uint8Array())}"`);
  await mustFail('Samir', `read the health compartment of ${a.reference}`, () =>
    cast.socialWorker.cases.read(a.id, 'health'),
  );
  await mustFail('Claire', `read the health compartment of ${a.reference}`, () =>
    cast.coordinator.cases.read(a.id, 'health'),
  );

  step(`The person of ${b.reference} agrees that the landlord sees the synthesis`);
  await mustFail('Lucie', `read the synthesis of ${b.reference} before any consent`, () =>
    cast.landlord.cases.read(b.id, 'synthesis'),
  );
  await cast.nurse.consent.record(b.id, {
    decision: 'given',
    scope: ['partner:synthesis'],
    obtained: 'oral',
  });
  await cast.nurse.cases.shareKeys(b.id);
  const synthesis = await cast.landlord.cases.read(b.id, 'synthesis');
  sees('Lucie', `now reads it: "${dec(synthesis[0]?.plaintext ?? new Uint8Array())}"`);
  await mustFail('Lucie', `read the health compartment of ${b.reference}`, () =>
    cast.landlord.cases.read(b.id, 'health'),
  );
  await mustFail('The elected official', 'list the situations', () => cast.elected.cases.list());
  await mustFail('The DPO', `read the synthesis of ${a.reference}`, () =>
    cast.dpo.cases.read(a.id, 'synthesis'),
  );
  return { a: a.id, b: b.id, c: c.id };
}

/** The rest of the year's referrals, described by their categories only, so the bilan has substance. */
async function backgroundReferrals(world: World, cast: Cast): Promise<void> {
  // Most referrals come from the landlord and the town's social service, as in many CLSMs.
  const sources = ['bailleur', 'social_municipal', 'bailleur', 'social_municipal', 'bailleur', 'medecin'];
  const problems = [
    'incurie',
    'troubles_psychiques',
    'isolement',
    'dettes',
    'troubles_voisinage',
    'rupture_soins',
  ];
  for (let i = 0; i < 24; i++) {
    world.clock.set(new Date(Date.UTC(2025, 1 + (i % 10), 5 + (i % 20))));
    await cast.socialWorker.cases.refer('isolement', 'routine', {
      source: sources[i % sources.length],
      sex: i % 3 === 0 ? 'homme' : 'femme',
      ageBand: ['25_44', '45_64', '65_plus'][i % 3],
      housing: i % 4 === 0 ? 'locataire_prive' : 'locataire_social',
      household: i % 2 === 0 ? 'seul' : 'couple_sans_enfant',
      problems: [problems[i % problems.length], 'isolement'].filter((p, k, all) => all.indexOf(p) === k),
    });
  }
  world.clock.set(new Date('2025-02-10T09:00:00Z'));
  say(
    '   (24 more situations were referred during the year; they appear in the bilan, by their categories only.)',
  );
}

/** A second participant bound by secrecy approves an addition that waited for one. */
async function approve(approver: ClsmClient, caseId: string, addition: Addition): Promise<void> {
  if (addition.status !== 'pending') throw new Error('the demo expected this addition to wait for approval');
  await approver.cases.decideParticipant(caseId, addition.requestId, 'approve');
}
