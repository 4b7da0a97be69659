import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import { authorize, type Caller, type CaseFacts } from '../../src/access/authorize.js';
import { AuditedRefusal } from '../../src/kernel/refusal.js';
import { CASE_STATUSES, type CaseStatus } from '../../src/cases/schema.js';
import { compartmentsFor } from '../../src/access/case-state.js';
import { ERROR_CODES } from '../../src/kernel/errors.js';
import { ROLES } from '../../src/kernel/roles.js';
import { startTestApp } from '../helpers/app.js';
import { addMember, addPerson, listen, newClsm, sdkFor, type TestMember } from '../helpers/members.js';
import {
  CASE_ROLES,
  CONSENT_SCOPE,
  CONSENT_STATES,
  expectedAllowed,
  expectedStatus,
  type ConsentState,
  type Situation,
} from './need-to-know.js';

// Every role x compartment x action x participation x charter x consent state x case status, held
// against the readable table in need-to-know.ts: first against the Cedar engine directly, then
// through the HTTP API with real members, real consent records, real keys and real entries.

const ACTIONS = ['compartment.read', 'compartment.write'] as const;
const ta = await startTestApp(t);

t.test('against the Cedar engine', async (t) => {
  let checked = 0;
  for (const role of ROLES)
    for (const compartment of COMPARTMENTS)
      for (const action of ACTIONS)
        for (const participant of [true, false])
          for (const charterAccepted of [true, false])
            for (const consent of CONSENT_STATES)
              for (const status of CASE_STATUSES) {
                const situation: Situation = { role, compartment, participant, charterAccepted, consent };
                const scope = CONSENT_SCOPE[consent];
                const facts: CaseFacts = {
                  id: 'matrix',
                  status,
                  participant,
                  assigned: participant ? [...COMPARTMENTS] : [],
                  consent:
                    scope === undefined
                      ? undefined
                      : {
                          id: 'consent',
                          compartments: consent === 'withdrawn' ? [] : compartmentsFor(scope, role),
                        },
                  exception: undefined,
                };
                const caller: Caller = {
                  clsmId: 'matrix',
                  memberId: 'matrix',
                  role,
                  charterAccepted,
                  requestId: 'matrix',
                };
                let status_ = 200;
                try {
                  authorize(ta.ctx.policies, caller, { kind: 'compartment', action, facts, compartment });
                } catch (err) {
                  if (!(err instanceof AuditedRefusal)) throw err;
                  status_ = ERROR_CODES[err.code];
                }
                const expected = expectedStatus(situation, 200);
                if (status_ !== expected)
                  t.fail(
                    `${role} ${action} ${compartment} participant=${participant} charter=${charterAccepted} consent=${consent} ${status}: ${status_}, expected ${expected}`,
                  );
                checked += 1;
              }
  t.equal(
    checked,
    ROLES.length * COMPARTMENTS.length * 2 * 2 * 2 * CONSENT_STATES.length * CASE_STATUSES.length,
  );
  t.comment(`policy matrix: ${checked} decisions checked against the Cedar engine`);
});

t.test('through the HTTP API', async (t) => {
  const { coordinator } = await newClsm(ta);
  const url = await listen(ta.app);
  const opener = await addMember(ta, coordinator, 'health_professional');
  const openerSdk = sdkFor(url, opener);
  const coordSdk = sdkFor(url, coordinator);
  // Participants of every case role, charter accepted or not; and outsiders of every role.
  const insiders: { member: TestMember; charter: boolean }[] = [];
  const outsiders: { member: TestMember; charter: boolean }[] = [];
  // The person is invited from a situation of their own: an outsider to every other, and the
  // insiders' person joins each situation below (their account belongs to one situation only, so
  // one person per situation, made with it). The charte does not bind them.
  const elsewhere = (await openerSdk.cases.refer('isolement', 'routine')).id;
  for (const charter of [true, false]) {
    for (const role of CASE_ROLES.filter((r) => r !== 'person'))
      insiders.push({ member: await addMember(ta, coordinator, role, { acceptCharter: charter }), charter });
    for (const role of ROLES.filter((r) => r !== 'person'))
      outsiders.push({ member: await addMember(ta, coordinator, role, { acceptCharter: charter }), charter });
  }
  outsiders.push({ member: await addPerson(ta, url, opener, elsewhere), charter: false });
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  // One SDK (one device, one session, one keyring) per member for the whole run.
  const sdks = new Map([...insiders, ...outsiders].map(({ member }) => [member.id, sdkFor(url, member)]));
  let checked = 0;

  // Through HTTP: every consent state on an accepted case, and every status with full consent (the
  // engine above covers the whole product; the status plays no part in content decisions).
  const combinations: [CaseStatus, ConsentState][] = [
    ...CONSENT_STATES.map((c) => ['accepted', c] as [CaseStatus, ConsentState]),
    ...CASE_STATUSES.filter((s) => s !== 'accepted').map((s) => [s, 'full'] as [CaseStatus, ConsentState]),
  ];
  for (const [status, consent] of combinations) {
    {
      const { id } = await openerSdk.cases.refer('isolement', 'routine');
      for (const { member } of insiders) await openerSdk.cases.addParticipant(id, member.id);
      const person = await addPerson(ta, url, opener, id);
      sdks.set(person.id, sdkFor(url, person));
      const here = [...insiders, { member: person, charter: false }];
      const scope = CONSENT_SCOPE[consent];
      const record = (decision: 'given' | 'withdrawn', s: string[]) =>
        openerSdk.consent.record(id, { decision, scope: s, obtained: 'written' });
      if (scope !== undefined) {
        await record('given', consent === 'withdrawn' ? (CONSENT_SCOPE.full ?? []) : scope);
        if (consent === 'withdrawn') await record('withdrawn', []);
      }
      for (const compartment of COMPARTMENTS) await openerSdk.cases.rotate(id, compartment);
      await moveTo(id, status);

      for (const [who, participant] of [
        ...here.map((x) => [x, true] as const),
        ...outsiders.map((x) => [x, false] as const),
      ]) {
        for (const compartment of COMPARTMENTS) {
          const situation: Situation = {
            role: who.member.role,
            compartment,
            participant,
            charterAccepted: who.charter,
            consent,
          };
          const read = await ta.app.inject({
            method: 'GET',
            url: `/v1/cases/${id}/compartments/${compartment}/entries`,
            headers: who.member.headers,
          });
          if (read.statusCode !== expectedStatus(situation, 200))
            t.fail(`read ${describe(situation, status)}: ${read.statusCode}`);
          let written: number;
          if (expectedAllowed(situation)) {
            written = await sdks
              .get(who.member.id)!
              .cases.write(id, compartment, new TextEncoder().encode('matrice'))
              .then(
                () => 201,
                (err: { status?: number }) => err.status ?? 0,
              );
          } else {
            const probe = {
              id: randomUUID(),
              keyVersion: 1,
              kind: 'note',
              nonce: b64(randomBytes(24)),
              ciphertext: b64(randomBytes(32)),
              signature: b64(randomBytes(64)),
            };
            written = (
              await ta.app.inject({
                method: 'POST',
                url: `/v1/cases/${id}/compartments/${compartment}/entries`,
                headers: who.member.headers,
                payload: probe,
              })
            ).statusCode;
          }
          if (written !== expectedStatus(situation, 201))
            t.fail(`write ${describe(situation, status)}: ${written}`);
          checked += 2;
        }
      }
    }
  }
  t.pass(`${checked} HTTP decisions checked`);
  t.comment(
    `policy matrix: ${checked} decisions checked through the HTTP API over ${combinations.length} cases (roles that can never take part in a case are checked as outsiders only)`,
  );

  async function moveTo(id: string, status: CaseStatus): Promise<void> {
    const path: Record<CaseStatus, [string, string?][]> = {
      referred: [],
      accepted: [['accept']],
      declined: [['decline', 'hors_champ']],
      under_review: [['accept'], ['advance']],
      action_plan: [['accept'], ['advance'], ['advance']],
      follow_up: [['accept'], ['advance'], ['advance'], ['advance']],
      closed: [['accept'], ['close', 'resolue']],
    };
    for (const [step, category] of path[status])
      await coordSdk.cases.transition(id, step as 'accept', category);
  }
});

function describe(s: Situation, status: CaseStatus): string {
  return `${s.role} ${s.compartment} participant=${s.participant} charter=${s.charterAccepted} consent=${s.consent} status=${status}`;
}
