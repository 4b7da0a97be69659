import type { ClsmClient } from '../../src/client/client.js';
import { change } from '../../src/crypto/case-log-statements.js';
import type { Role } from '../../src/kernel/roles.js';
import { ROLES } from '../../src/kernel/roles.js';
import type { TestApp } from './app.js';
import { addMember, addPerson, listen, loginAs, newClsm, sdkFor, type TestMember } from './members.js';

// A CLSM as the adversarial tests find it: a member of every role, colleagues who are only ever
// the target of requests (so that suspending or removing them does not take a caller out), a
// second CLSM next door, situations with participants, encrypted entries, consent and a legal
// exception, and a sitting with one of them on its agenda, a decision and a follow-up action, all
// created through the API and the SDK as in real use.

export interface SeededCase {
  id: string;
  /** Entries written in it, any compartment. */
  entries: string[];
  /** Its legal exception, awaiting approval. */
  exception: string;
}

export interface SeededSitting {
  id: string;
  item: string;
  decision: string;
  action: string;
}

export interface Seed {
  url: string;
  clsmId: string;
  /** One member per role, logged in, charter accepted. */
  callers: Record<Role, TestMember>;
  /** Case-role colleagues who take part in every situation and never call. */
  targets: TestMember[];
  /** Colleagues who neither call nor take part: what member routes (suspension, recovery) act on. */
  bystanders: TestMember[];
  /** The coordinator of another CLSM, and a situation there. */
  neighbour: { clsmId: string; coordinator: TestMember; caseId: string };
  cases: SeededCase[];
  sitting: SeededSitting;
  /** The SDK of a member, one per member so that its key pins and keyring persist. */
  sdk(member: TestMember): ClsmClient;
  /** Adds `count` situations (the lifecycle routes consume them). */
  addCases(count: number): Promise<SeededCase[]>;
  /** A fresh session for a member whose token was ended (a fuzzed logout). */
  relogin(member: TestMember): Promise<void>;
}

const enc = (s: string) => new TextEncoder().encode(s);
const CASE_ROLES: readonly Role[] = ['coordinator', 'health_professional', 'social_worker', 'partner'];

export async function seed(ta: TestApp, options: { cases?: number } = {}): Promise<Seed> {
  const url = await listen(ta.app);
  const { clsmId, coordinator } = await newClsm(ta, 'CLSM adversarial');
  const callers = { coordinator } as Record<Role, TestMember>;
  // The person takes part in the first situation only, invited from it (below).
  for (const role of ROLES)
    if (role !== 'coordinator' && role !== 'person') callers[role] = await addMember(ta, coordinator, role);
  const targets: TestMember[] = [];
  const bystanders: TestMember[] = [];
  for (const role of CASE_ROLES) {
    targets.push(await addMember(ta, coordinator, role));
    bystanders.push(await addMember(ta, coordinator, role));
  }
  const other = await newClsm(ta, 'CLSM voisin');
  const otherCase = await sdkFor(url, other.coordinator).cases.refer('incurie', 'routine');

  const clients = new Map<string, ClsmClient>();
  const sdk = (m: TestMember): ClsmClient => {
    const existing = clients.get(m.id);
    if (existing !== undefined) return existing;
    const created = sdkFor(url, m);
    clients.set(m.id, created);
    return created;
  };
  const nurse = callers.health_professional;
  const social = callers.social_worker;

  const addCase = async (): Promise<SeededCase> => {
    const { id } = await sdk(nurse).cases.refer('menace_expulsion', 'soon');
    await sdk(coordinator).cases.transition(id, 'accept');
    // By the nurse who referred it: the coordinator, taking no part in it, could only ask to add
    // herself or a professional bound by secrecy (a second participant approves those).
    for (const m of [social, callers.partner, coordinator, ...targets]) {
      await sdk(nurse).cases.addParticipant(id, m.id);
    }
    const entries = [
      await sdk(nurse).cases.write(id, 'synthesis', enc('Dette locative, logement encombré.')),
      await sdk(nurse).cases.write(id, 'health', enc('Suivi CMP interrompu.')),
      await sdk(social).cases.write(id, 'social', enc('Expulsion prévue en mars.')),
    ];
    await sdk(nurse).cases.shareKeys(id);
    // Through the SDK, whose sessions are its own: a fuzzed logout of a caller does not stop it.
    await sdk(social).consent.record(id, {
      decision: 'given',
      scope: ['partner:synthesis', 'partner:committee'],
      obtained: 'written',
    });
    const justification = await sdk(social).cases.write(id, 'synthesis', enc('Risque grave.'), {
      kind: 'justification',
    });
    entries.push(justification);
    const scope = ['social_worker:health'];
    const log = await sdk(social).caseLogs.seal(id, change('exception-opened', { scope, hours: 72 }));
    const opened = await sdk(social).request<{ id: string }>('POST', `/v1/cases/${id}/exceptions`, {
      basis: 'danger_grave_imminent',
      scope,
      justificationEntryId: justification,
      durationHours: 72,
      log,
    });
    return { id, entries, exception: opened.id };
  };

  const cases: SeededCase[] = [];
  const addCases = async (count: number) => {
    const added: SeededCase[] = [];
    for (let i = 0; i < count; i++) added.push(await addCase());
    cases.push(...added);
    return added;
  };
  await addCases(options.cases ?? 2);

  const chair = sdk(coordinator).sittings;
  const first = cases[0]?.id ?? '';
  const sittingId = await chair.create(new Date(Date.now() + 86_400_000), 'Mairie, salle du conseil', [
    ...Object.values(callers).map((m) => m.id),
  ]);
  const item = await chair.addToAgenda(sittingId, first);
  await chair.minutes(sittingId, item, first, enc('Visite à domicile décidée.'));
  const decision = await chair.decide(sittingId, item, 'visite_conjointe', 'agrees');
  callers.person = await addPerson(ta, url, nurse, first);
  const action = await chair.action(
    sittingId,
    item,
    first,
    social.id,
    '2027-01-15',
    enc('Visite.'),
    decision,
  );

  return {
    url,
    clsmId,
    callers,
    targets,
    bystanders,
    neighbour: { clsmId: other.clsmId, coordinator: other.coordinator, caseId: otherCase.id },
    cases,
    sitting: { id: sittingId, item, decision, action },
    sdk,
    addCases,
    relogin: async (member) => {
      member.token = await loginAs(ta.app, member.clsmId, member.id, member.keys);
      member.headers.authorization = `Bearer ${member.token}`;
    },
  };
}
