import type { ClsmClient } from '../../src/client/client.js';
import type { Compartment } from '../../src/client/cases.js';
import { isBoundBySecrecy, type Role } from '../../src/kernel/roles.js';
import type { TestApp } from './app.js';
import { addMember, listen, newClsm, sdkFor, type TestMember } from './members.js';

// A cellule as most tests start from: a CLSM, its coordinator and the colleagues a test names,
// each logged in with the charter accepted and an SDK of their own, over a real HTTP port; then
// situations referred by one of them, with participants and encrypted entries, all through the
// API as in real use. Names are the test's own, and typed: `cellule.members.nurse`.

/** The colleagues of a test: a name, and a role or a role and an organisation. */
export type Cast = Record<string, Role | { role: Role; organisation: string }>;

type Name<C extends Cast> = (keyof C & string) | 'coordinator';

export interface SituationOptions<C extends Cast> {
  /** Who refers it (and writes its entries). */
  by: Name<C>;
  reason?: string;
  urgency?: 'routine' | 'soon' | 'urgent';
  /** Accepted by the coordinator first (the situation is referred otherwise). */
  accepted?: boolean;
  /** Added, with their role's default compartments, before anything is written. */
  participants?: readonly Name<C>[];
  /** Who adds them: the coordinator unless told otherwise. */
  addedBy?: Name<C>;
  /** Plaintexts written by `by`, compartment by compartment. */
  entries?: Partial<Record<Compartment, readonly string[]>>;
}

export interface Situation {
  id: string;
  /** The entries' ids, compartment by compartment, in the order written. */
  entries: Partial<Record<Compartment, string[]>>;
  /** The id of an entry written in `compartment` (the first unless told), or an error. */
  entry(compartment: Compartment, index?: number): string;
}

export interface Cellule<C extends Cast> {
  ta: TestApp;
  url: string;
  clsmId: string;
  coordinator: TestMember;
  members: Record<Name<C>, TestMember>;
  sdk: Record<Name<C>, ClsmClient>;
  situation(options: SituationOptions<C>): Promise<Situation>;
  /** A colleague the test did not name: invited by the coordinator now, with an SDK of their own. */
  join(role: Role): Promise<{ member: TestMember; sdk: ClsmClient }>;
}

const enc = (s: string) => new TextEncoder().encode(s);

export async function cellule<C extends Cast>(ta: TestApp, cast: C, name?: string): Promise<Cellule<C>> {
  const { clsmId, coordinator } = await newClsm(ta, name);
  const members = { coordinator } as Record<Name<C>, TestMember>;
  for (const [who, as] of Object.entries(cast)) {
    const { role, organisation } = typeof as === 'string' ? { role: as, organisation: undefined } : as;
    members[who as Name<C>] = await addMember(ta, coordinator, role, organisation ? { organisation } : {});
  }
  const url = await listen(ta.app);
  const sdk = Object.fromEntries(Object.entries(members).map(([who, m]) => [who, sdkFor(url, m)])) as Record<
    Name<C>,
    ClsmClient
  >;

  const situation = async (o: SituationOptions<C>): Promise<Situation> => {
    const { id } = await sdk[o.by].cases.refer(o.reason ?? 'incurie', o.urgency ?? 'routine');
    if (o.accepted === true) await sdk.coordinator.cases.transition(id, 'accept');
    const adder = o.addedBy ?? 'coordinator';
    const circle: Name<C>[] = [o.by];
    for (const who of o.participants ?? []) {
      const added = await sdk[adder].cases.addParticipant(id, members[who].id);
      // An addition that waits for a second person (the coordinator adding herself, or a health
      // professional or social worker to a situation she takes no part in) is approved by the first
      // participant bound by secrecy who is neither the one who asked nor the one added.
      if (added.status === 'pending') {
        const approver = circle.find((w) => w !== who && w !== adder && isBoundBySecrecy(members[w].role));
        if (approver === undefined) throw new Error(`nobody in the situation can approve adding ${who}`);
        await sdk[approver].cases.decideParticipant(id, added.requestId, 'approve');
      }
      circle.push(who);
    }
    const entries: Situation['entries'] = {};
    for (const [compartment, texts] of Object.entries(o.entries ?? {}) as [Compartment, string[]][]) {
      for (const text of texts) {
        (entries[compartment] ??= []).push(await sdk[o.by].cases.write(id, compartment, enc(text)));
      }
    }
    const entry = (compartment: Compartment, index = 0) => {
      const found = entries[compartment]?.[index];
      if (found === undefined) throw new Error(`no entry ${index} written in ${compartment}`);
      return found;
    };
    return { id, entries, entry };
  };
  const join = async (role: Role) => {
    const member = await addMember(ta, coordinator, role);
    return { member, sdk: sdkFor(url, member) };
  };
  return { ta, url, clsmId, coordinator, members, sdk, situation, join };
}
