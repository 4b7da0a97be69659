import type { TestApp } from './app.js';
import { addMember, type TestMember } from './members.js';
import type { Seed } from './seed.js';

// Who sees which field of a situation, by role and relation to it: policies/README.md, "Qui voit
// quels champs", written out again by hand and checked through HTTP. A fresh situation where the
// coordinator, the health professional, the social worker and the partner take part, the person
// consented to the partner reading the synthesis only (not the committee), a legal exception was
// asked for, and the situation is on the seeded sitting's agenda with a decision. The second
// coordinator takes part in nothing.
export const FIELD_GRID = `
#                                                          coo out hea soc par
reasonCategory              GET /v1/cases/:id              yes yes yes yes  no
consent                     GET /v1/cases/:id              yes  no yes yes yes
participants[].compartments GET /v1/cases/:id              yes  no yes yes yes
records                     GET /v1/cases/:id/consent      yes  no yes yes yes
records[].obtained          GET /v1/cases/:id/consent      yes  no yes yes  no
exceptions[].basis          GET /v1/cases/:id/exceptions   yes  no yes yes  no
agenda[].case               GET /v1/sittings/:id           yes yes yes yes yes
agenda[].decisions          GET /v1/sittings/:id           yes yes yes yes  no
`;

export const FIELD_CALLERS = ['coo', 'out', 'hea', 'soc', 'par'] as const;
type Probe = (caseId: string, itemId: string, sittingId: string, who: TestMember) => Promise<boolean>;

export async function fieldGrid(ta: TestApp, s: Seed) {
  const { coordinator: coord, health_professional: nurse, social_worker: social, partner } = s.callers;
  const enc = (x: string) => new TextEncoder().encode(x);
  const { id } = await s.sdk(nurse).cases.refer('troubles_psychiques', 'soon');
  await s.sdk(coord).cases.transition(id, 'accept');
  for (const m of [social, partner, coord]) await s.sdk(nurse).cases.addParticipant(id, m.id);
  await s
    .sdk(social)
    .consent.record(id, { decision: 'given', scope: ['partner:synthesis'], obtained: 'written' });
  await s.sdk(social).consent.openException(id, 'danger_grave_imminent', ['social_worker:health'], enc('!'));
  const itemId = await s.sdk(coord).sittings.addToAgenda(s.sitting.id, id);
  await s.sdk(coord).sittings.decide(s.sitting.id, itemId, 'visite_conjointe', 'agrees');

  const get = async (who: TestMember, url: string) => {
    const res = await ta.app.inject({ method: 'GET', url, headers: who.headers });
    return res.statusCode === 200 ? res.json<Record<string, unknown>>() : undefined;
  };
  const item = async (who: TestMember) => {
    const body = await get(who, `/v1/sittings/${s.sitting.id}`);
    const agenda = (body?.agenda ?? []) as { itemId: string; case: unknown; decisions: unknown[] }[];
    return agenda.find((i) => i.itemId === itemId);
  };
  const first = (v: unknown) =>
    Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : undefined;
  const probes: Record<string, Probe> = {
    reasonCategory: async (c, _i, _s, who) => (await get(who, `/v1/cases/${c}`))?.reasonCategory != null,
    consent: async (c, _i, _s, who) => (await get(who, `/v1/cases/${c}`))?.consent != null,
    // Whether the partner's compartments show what consent opened to him (the synthesis).
    'participants[].compartments': async (c, _i, _s, who) => {
      const view = await get(who, `/v1/cases/${c}`);
      const all = (view?.participants ?? []) as { memberId: string; compartments: string[] }[];
      return all.some((p) => p.memberId === partner.id && p.compartments.includes('synthesis'));
    },
    records: async (c, _i, _s, who) => (await get(who, `/v1/cases/${c}/consent`)) !== undefined,
    'records[].obtained': async (c, _i, _s, who) =>
      first((await get(who, `/v1/cases/${c}/consent`))?.records)?.obtained != null,
    'exceptions[].basis': async (c, _i, _s, who) =>
      first((await get(who, `/v1/cases/${c}/exceptions`))?.exceptions)?.basis != null,
    'agenda[].case': async (_c, _i, _s, who) => (await item(who))?.case != null,
    'agenda[].decisions': async (_c, _i, _s, who) => ((await item(who))?.decisions.length ?? 0) > 0,
  };
  const callers: Record<(typeof FIELD_CALLERS)[number], TestMember> = {
    coo: coord,
    out: await addMember(ta, coord, 'coordinator'),
    hea: nurse,
    soc: social,
    par: partner,
  };
  return {
    callers,
    probe: (field: string, who: TestMember) => {
      const p = probes[field];
      if (p === undefined) throw new Error(`no probe for ${field}`);
      return p(id, itemId, s.sitting.id, who);
    },
  };
}
