import { caseLogHash, caseLogMessage, type SignedCaseLogStatement } from './case-log-statements.js';
import {
  CaseLogError,
  type CaseLogRefusal,
  type CaseLogState,
  type LogDirectory,
  type LogException,
  type LogParticipant,
} from './case-log-state.js';
import { equalBytes } from './directory-replay.js';
import { shapeProblem } from './case-log-shape.js';
import { loadSodium } from './sodium.js';

// Replays a situation's membership log from its opening and refuses the first statement that does
// not follow: a wrong situation, seq or chain; a signature that is not its author's certified key;
// a shape its kind does not have; or a change nobody may make alone (adding oneself, approving one's
// own exception, a consent widening the author's own role that nobody else asked for). Pure: the
// caller hands in the verified directory (certified keys and roles); no storage, no network.

/** The state after `entries` appended to `state` (which is left as it was). */
export async function extendCaseLog(
  state: CaseLogState,
  entries: readonly SignedCaseLogStatement[],
  directory: LogDirectory,
): Promise<CaseLogState> {
  const next: CaseLogState = {
    ...state,
    statements: [...state.statements],
    hashes: [...state.hashes],
    participants: new Map([...state.participants].map(([id, p]) => [id, { ...p }])),
    exceptions: new Map([...state.exceptions].map(([seq, e]) => [seq, { ...e }])),
    keys: new Map([...state.keys].map(([c, versions]) => [c, [...versions]])),
    retired: new Map(state.retired),
  };
  for (const entry of entries) await apply(next, entry, directory);
  return next;
}

/** The role:compartment pairs a consent position opens. */
const opens = (consent: CaseLogState['consent']): readonly string[] =>
  consent?.decision === 'given' ? consent.scope : [];

async function apply(state: CaseLogState, e: SignedCaseLogStatement, dir: LogDirectory): Promise<void> {
  const seq = state.hashes.length;
  const refuse = (reason: CaseLogRefusal, detail: string) => new CaseLogError(seq, reason, detail);
  if (e.clsmId !== state.clsmId || e.caseId !== state.caseId)
    throw refuse('WRONG_SITUATION', 'it belongs to another situation');
  if (e.seq !== seq) throw refuse('WRONG_SEQ', `statement ${e.seq} came where ${seq} was expected`);
  const prev = state.hashes[seq - 1] ?? null;
  if (prev === null ? e.prevHash !== null : e.prevHash === null || !equalBytes(prev, e.prevHash))
    throw refuse('WRONG_PREV_HASH', 'it does not chain to the statement before it');
  const misshapen = shapeProblem(e);
  if (misshapen !== undefined) throw refuse(misshapen.reason, misshapen.detail);
  if ((e.kind === 'opened') !== (seq === 0))
    throw refuse('MALFORMED', 'the opening comes first, and only first');
  const signKey = dir.signKey(e.authorId, e.authorKeyVersion);
  if (signKey === undefined)
    throw refuse(
      'NOT_CERTIFIED',
      `its author's keys (version ${e.authorKeyVersion}) are not certified in the directory`,
    );
  const sodium = await loadSodium();
  if (!sodium.crypto_sign_verify_detached(e.signature, caseLogMessage(e), signKey))
    throw refuse('BAD_SIGNATURE', "it is not signed by its author's certified key");

  const isParticipant = state.participants.has(e.authorId);
  const mayManage = isParticipant || dir.role(e.authorId) === 'coordinator';
  const subject = e.subjectId === null ? undefined : state.participants.get(e.subjectId);
  const needs = (ok: boolean, reason: CaseLogRefusal, detail: string) => {
    if (!ok) throw refuse(reason, detail);
  };
  const retire = (compartments: Iterable<string>) => {
    for (const c of compartments) state.retired.set(c, seq);
  };
  const exception = e.ref === null ? undefined : state.exceptions.get(e.ref);
  // The person a situation is about records their consent and makes the keys of their own space;
  // nothing else (docs/adr/0030).
  const byPerson = dir.role(e.authorId) === 'person';
  needs(
    !byPerson || e.kind === 'consent' || (e.kind === 'key' && e.compartments?.[0] === 'person'),
    'NOT_A_PARTICIPANT',
    'the person records their consent and the keys of their own space, nothing else',
  );

  switch (e.kind) {
    case 'opened':
      needs(e.subjectId === e.authorId, 'MALFORMED', 'a situation is opened by its referrer, for themselves');
      state.participants.set(e.authorId, {
        compartments: [...(e.compartments ?? [])],
        addedBy: e.authorId,
        seq,
      });
      break;
    case 'added':
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      needs(subject === undefined, 'MALFORMED', 'this member takes part already');
      needs(e.subjectId !== e.authorId, 'ALONE', 'nobody adds themselves: a second participant approves');
      needs(e.requestedBy !== e.authorId, 'ALONE', 'the one who asked does not approve');
      needs(
        dir.role(e.subjectId as string) !== 'person' ||
          (e.compartments?.length === 1 && e.compartments[0] === 'person'),
        'MALFORMED',
        'the person holds their own space and nothing else',
      );
      state.participants.set(e.subjectId as string, {
        compartments: [...(e.compartments ?? [])],
        addedBy: e.authorId,
        seq,
      });
      break;
    case 'narrowed': {
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      const taken = (e.compartments ?? [])[0] as string;
      needs(subject?.compartments.includes(taken) === true, 'MALFORMED', 'the member does not hold it');
      (subject as LogParticipant).compartments = subject?.compartments.filter((c) => c !== taken) ?? [];
      retire([taken]);
      break;
    }
    case 'removed':
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      needs(subject !== undefined, 'MALFORMED', 'this member does not take part');
      retire(subject?.compartments ?? []);
      state.participants.delete(e.subjectId as string);
      break;
    case 'key': {
      needs(isParticipant, 'NOT_A_PARTICIPANT', 'keys are made by a participant');
      const compartment = (e.compartments ?? [])[0] as string;
      const versions = state.keys.get(compartment) ?? [];
      const expected = (versions.at(-1)?.version ?? 0) + 1;
      needs(e.keyVersion === expected, 'MALFORMED', `the next version of this key is ${expected}`);
      versions.push({
        version: expected,
        seq,
        at: e.at,
        authorId: e.authorId,
        recipients: e.recipients ?? [],
      });
      state.keys.set(compartment, versions);
      break;
    }
    case 'consent': {
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      const before = opens(state.consent);
      const after = e.decision === 'given' ? (e.scope ?? []) : [];
      // The person's account is vouched for by whoever added them: what it opens to that member's
      // role is theirs to widen no more than their own consent would be.
      const role = dir.role(byPerson ? (state.participants.get(e.authorId)?.addedBy ?? '') : e.authorId);
      const widensOwn = after.some((p) => p.startsWith(`${role}:`) && !before.includes(p));
      const proposer = e.requestedBy === null ? undefined : state.participants.get(e.requestedBy);
      needs(
        !byPerson || e.requestedBy === null,
        'ALONE',
        "the person's own consent takes effect or waits; they confirm nobody else's",
      );
      needs(
        proposer === undefined ||
          dir.role(e.requestedBy as string) !== 'person' ||
          proposer.addedBy !== e.authorId,
        'ALONE',
        "the one who added the person does not confirm what the person's consent opens to them",
      );
      needs(
        !widensOwn || (e.requestedBy !== null && e.requestedBy !== e.authorId),
        'ALONE',
        "a consent that widens its author's own role waits for another participant's proposal",
      );
      needs(e.requestedBy !== e.authorId, 'ALONE', 'the one who proposed does not confirm');
      retire(before.filter((p) => !after.includes(p)).map(compartmentOf));
      state.consent = { decision: e.decision as string, scope: e.scope ?? [], seq };
      break;
    }
    case 'exception-opened':
      needs(isParticipant, 'NOT_A_PARTICIPANT', 'exceptions are opened by a participant');
      state.exceptions.set(seq, {
        openedSeq: seq,
        openedBy: e.authorId,
        scope: e.scope ?? [],
        hours: e.hours as number,
        approvedAt: null,
        until: null,
        closed: false,
      });
      break;
    case 'exception-approved':
      needs(
        exception !== undefined && !exception.closed && exception.approvedAt === null,
        'UNKNOWN_REFERENCE',
        'no exception waits for approval there',
      );
      needs(
        exception?.openedBy !== e.authorId,
        'ALONE',
        'the one who opened an exception does not approve it',
      );
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      (exception as LogException).approvedAt = e.at;
      break;
    case 'exception-shortened':
      needs(
        exception !== undefined && !exception.closed && exception.approvedAt !== null,
        'UNKNOWN_REFERENCE',
        'no approved exception there',
      );
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      needs(!Number.isNaN(Date.parse(e.until as string)), 'MALFORMED', 'its deadline is not a date');
      (exception as LogException).until = e.until;
      retire((exception as LogException).scope.map(compartmentOf));
      break;
    case 'exception-closed':
      needs(exception !== undefined && !exception.closed, 'UNKNOWN_REFERENCE', 'no open exception there');
      needs(mayManage, 'NOT_A_PARTICIPANT', 'its author neither takes part nor coordinates');
      (exception as LogException).closed = true;
      retire((exception as LogException).scope.map(compartmentOf));
      break;
  }
  state.statements.push(e);
  state.hashes.push(await caseLogHash(e));
}

const compartmentOf = (pair: string): string => pair.slice(pair.indexOf(':') + 1);
