import t, { type Test } from 'tap';
import { generateDeviceKeys, type DeviceKeys } from '../../src/crypto/device-keys.js';
import {
  caseLogHash,
  change,
  signCaseLogStatement,
  type CaseLogChange,
  type SignedCaseLogStatement,
} from '../../src/crypto/case-log-statements.js';
import { extendCaseLog } from '../../src/crypto/case-log-replay.js';
import {
  CaseLogError,
  emptyCaseLog,
  type CaseLogRefusal,
  type CaseLogState,
  type LogDirectory,
} from '../../src/crypto/case-log-state.js';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import { exceptionDeadline, factsFromLog, rotationDue } from '../../src/client/log-facts.js';
import { entitledHolders } from '../../src/client/entitled.js';

// The membership log's replay: what a valid log says (participants, consent, exceptions, keys, what
// must be rotated), and each refusal, on a log valid up to the statement in question.

const id = () => globalThis.crypto.randomUUID();
const clsmId = id();

interface Person {
  id: string;
  role: string;
  keys: DeviceKeys;
}
const person = async (role: string): Promise<Person> => ({
  id: id(),
  role,
  keys: await generateDeviceKeys(),
});
const nurse = await person('health_professional');
const social = await person('social_worker');
const coordinator = await person('coordinator');
const landlord = await person('partner');
const concerned = await person('person');
const people = [nurse, social, coordinator, landlord, concerned];

const directory: LogDirectory = {
  signKey: (memberId, version) =>
    version === 1 ? people.find((p) => p.id === memberId)?.keys.signPublicKey : undefined,
  role: (memberId) => people.find((p) => p.id === memberId)?.role,
};

/** A log built statement by statement, each signed by its author and chained to the one before. */
class Log {
  entries: SignedCaseLogStatement[] = [];
  constructor(readonly caseId = id()) {}

  async statement(author: Person, c: CaseLogChange, at = new Date().toISOString()) {
    const prev = this.entries.at(-1);
    return signCaseLogStatement(
      {
        ...c,
        clsmId,
        caseId: this.caseId,
        seq: this.entries.length,
        prevHash: prev === undefined ? null : await caseLogHash(prev),
        authorId: author.id,
        authorKeyVersion: 1,
        at,
      },
      author.keys.signSecretKey,
    );
  }

  async add(author: Person, c: CaseLogChange, at?: string): Promise<this> {
    this.entries.push(await this.statement(author, c, at));
    return this;
  }

  replay(): Promise<CaseLogState> {
    return extendCaseLog(emptyCaseLog(clsmId, this.caseId), this.entries, directory);
  }
}

/** A situation referred by the nurse, the social worker and the landlord added by her, first keys made. */
async function situation(): Promise<Log> {
  const log = new Log();
  await log.add(nurse, change('opened', { subjectId: nurse.id, compartments: COMPARTMENTS }));
  await log.add(nurse, change('added', { subjectId: social.id, compartments: COMPARTMENTS }));
  await log.add(nurse, change('added', { subjectId: landlord.id, compartments: ['synthesis', 'identity'] }));
  await log.add(
    nurse,
    change('key', { compartments: ['synthesis'], keyVersion: 1, recipients: [`${nurse.id}:1`] }),
  );
  return log;
}

async function refused(t: Test, log: Log, reason: CaseLogRefusal, seq: number) {
  const err = await log.replay().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof CaseLogError, `refused (${reason})`);
  t.match(err, { reason, seq }, `${reason} at ${seq}`);
}

const roles = new Map(people.map((p) => [p.id, p.role]));

t.test('a valid log says who takes part, with what, and who may hold each key', async (t) => {
  const log = await situation();
  await log.add(social, change('consent', { decision: 'given', scope: ['partner:synthesis'] }));
  const state = await log.replay();
  t.same([...state.participants.keys()], [nurse.id, social.id, landlord.id]);
  t.same(state.participants.get(landlord.id)?.compartments, ['synthesis', 'identity']);
  t.same(
    state.keys.get('synthesis')?.map((k) => k.version),
    [1],
  );
  const facts = factsFromLog(state, roles, Date.now());
  t.same(
    entitledHolders(facts, 'synthesis'),
    [nurse.id, social.id, landlord.id],
    'consent opens it to the landlord',
  );
  t.same(entitledHolders(facts, 'health'), [nurse.id], 'health: the nurse only');
  t.notOk(rotationDue(state, 'synthesis', Date.now()), 'nothing was taken since the key was made');
  t.ok(rotationDue(state, 'health', Date.now()), 'no health key yet');
});

t.test('a removal, a narrowing or a withdrawal makes the compartment due for a new key', async (t) => {
  for (const taking of [
    change('removed', { subjectId: landlord.id }),
    change('narrowed', { subjectId: landlord.id, compartments: ['synthesis'] }),
  ]) {
    const log = await situation();
    await log.add(nurse, taking);
    t.ok(rotationDue(await log.replay(), 'synthesis', Date.now()), taking.kind);
  }
  const log = await situation();
  await log.add(social, change('consent', { decision: 'given', scope: ['partner:synthesis'] }));
  await log.add(nurse, change('key', { compartments: ['synthesis'], keyVersion: 2, recipients: [] }));
  t.notOk(rotationDue(await log.replay(), 'synthesis', Date.now()), 'a key made after the consent');
  await log.add(social, change('consent', { decision: 'withdrawn', scope: [] }));
  const state = await log.replay();
  t.ok(rotationDue(state, 'synthesis', Date.now()), 'the withdrawal retires it');
  t.notOk(
    entitledHolders(factsFromLog(state, roles, Date.now()), 'synthesis').includes(landlord.id),
    'and the landlord may not hold the next one',
  );
});

t.test('an exception opens while approved and unexpired, and its end retires the key', async (t) => {
  const log = await situation();
  const scope = ['partner:committee'];
  await log.add(nurse, change('exception-opened', { scope, hours: 2 }));
  const opened = log.entries.length - 1;
  const approvedAt = new Date(Date.now() - 3_600_000).toISOString();
  await log.add(social, change('exception-approved', { ref: opened }), approvedAt);
  await log.add(social, change('added', { subjectId: coordinator.id, compartments: ['committee'] }));
  await log.add(nurse, change('key', { compartments: ['committee'], keyVersion: 1, recipients: [] }));
  const state = await log.replay();
  const exception = state.exceptions.get(opened);
  t.equal(exceptionDeadline(exception!), Date.parse(approvedAt) + 2 * 3_600_000);
  t.notOk(
    entitledHolders(factsFromLog(state, roles, Date.now()), 'committee').includes(landlord.id),
    'the landlord was not assigned the committee',
  );
  t.notOk(rotationDue(state, 'committee', Date.now()), 'in force');
  t.ok(rotationDue(state, 'committee', Date.now() + 2 * 3_600_000), 'run out: a new key is due');
  await log.add(
    social,
    change('exception-shortened', { ref: opened, until: new Date(Date.now() + 60_000).toISOString() }),
  );
  t.ok(rotationDue(await log.replay(), 'committee', Date.now()), 'shortened: due at once');
});

t.test('refused: a statement of another situation, out of place, or not chained', async (t) => {
  const other = await situation();
  const log = await situation();
  log.entries[2] = { ...other.entries[2]!, caseId: other.caseId };
  await refused(t, log, 'WRONG_SITUATION', 2);

  const swapped = await situation();
  [swapped.entries[1], swapped.entries[2]] = [swapped.entries[2]!, swapped.entries[1]!];
  await refused(t, swapped, 'WRONG_SEQ', 1);

  const forked = await situation();
  forked.entries[2] = { ...forked.entries[2]!, prevHash: new Uint8Array(32) };
  await refused(t, forked, 'WRONG_PREV_HASH', 2);
});

t.test('refused: a signature that is not its author certified key, or a changed field', async (t) => {
  const log = await situation();
  const stranger = await person('health_professional');
  const forged = await log.statement(
    stranger,
    change('added', { subjectId: stranger.id, compartments: COMPARTMENTS }),
  );
  log.entries.push({ ...forged, authorId: nurse.id });
  await refused(t, log, 'BAD_SIGNATURE', 4);

  const uncertified = await situation();
  await uncertified.add(stranger, change('added', { subjectId: stranger.id, compartments: COMPARTMENTS }));
  await refused(t, uncertified, 'NOT_CERTIFIED', 4);

  const edited = await situation();
  edited.entries[2] = { ...edited.entries[2]!, compartments: COMPARTMENTS };
  await refused(t, edited, 'BAD_SIGNATURE', 2);
});

t.test('refused: a change nobody may make alone, or by someone outside', async (t) => {
  const self = await situation();
  await self.add(coordinator, change('added', { subjectId: coordinator.id, compartments: COMPARTMENTS }));
  await refused(t, self, 'ALONE', 4);

  const outsider = await situation();
  const stranger = people.find((p) => p.role === 'partner')!;
  await outsider.add(nurse, change('removed', { subjectId: landlord.id }));
  await outsider.add(stranger, change('added', { subjectId: coordinator.id, compartments: COMPARTMENTS }));
  await refused(t, outsider, 'NOT_A_PARTICIPANT', 5);

  const widening = await situation();
  await widening.add(landlord, change('consent', { decision: 'given', scope: ['partner:synthesis'] }));
  await refused(t, widening, 'ALONE', 4);

  const confirmed = await situation();
  await confirmed.add(
    social,
    change('consent', { decision: 'given', scope: ['social_worker:health'], requestedBy: nurse.id }),
  );
  t.ok(await confirmed.replay(), "a widening of the author's role that another asked for");

  const ownException = await situation();
  await ownException.add(nurse, change('exception-opened', { scope: ['partner:committee'], hours: 2 }));
  await ownException.add(nurse, change('exception-approved', { ref: 4 }));
  await refused(t, ownException, 'ALONE', 5);
});

t.test('refused: a malformed statement', async (t) => {
  const late = await situation();
  await late.add(nurse, change('opened', { subjectId: nurse.id, compartments: COMPARTMENTS }));
  await refused(t, late, 'MALFORMED', 4);

  const skipped = await situation();
  await skipped.add(nurse, change('key', { compartments: ['synthesis'], keyVersion: 3, recipients: [] }));
  await refused(t, skipped, 'MALFORMED', 4);

  const extra = await situation();
  await extra.add(nurse, { ...change('removed', { subjectId: landlord.id }), hours: 3 });
  await refused(t, extra, 'MALFORMED', 4);

  const nowhere = await situation();
  await nowhere.add(social, change('exception-approved', { ref: 2 }));
  await refused(t, nowhere, 'UNKNOWN_REFERENCE', 4);
});

t.test('the person: their own space and their consent, nothing else', async (t) => {
  /** The situation, with the person added by the social worker (statement 4). */
  const withPerson = async (): Promise<Log> => {
    const log = await situation();
    await log.add(social, change('added', { subjectId: concerned.id, compartments: ['person'] }));
    return log;
  };
  const state = await (await withPerson()).replay();
  t.same(state.participants.get(concerned.id)?.compartments, ['person'], 'added with their own space');

  const wider = await situation();
  await wider.add(
    social,
    change('added', { subjectId: concerned.id, compartments: ['person', 'synthesis'] }),
  );
  await refused(t, wider, 'MALFORMED', 4);

  const withdrawal = await withPerson();
  await withdrawal.add(concerned, change('consent', { decision: 'withdrawn', scope: [] }));
  t.equal((await withdrawal.replay()).consent?.decision, 'withdrawn', 'the person withdraws their consent');

  const giving = await withPerson();
  await giving.add(concerned, change('consent', { decision: 'given', scope: ['partner:synthesis'] }));
  t.ok(await giving.replay(), 'the person opens the synthesis to the landlord');

  // The social worker added the person: what their consent opens to social workers waits for
  // another participant, who is not the social worker.
  const vouched = await withPerson();
  await vouched.add(concerned, change('consent', { decision: 'given', scope: ['social_worker:health'] }));
  await refused(t, vouched, 'ALONE', 5);

  const byVoucher = await withPerson();
  await byVoucher.add(
    social,
    change('consent', { decision: 'given', scope: ['social_worker:health'], requestedBy: concerned.id }),
  );
  await refused(t, byVoucher, 'ALONE', 5);

  const byAnother = await withPerson();
  await byAnother.add(
    nurse,
    change('consent', { decision: 'given', scope: ['social_worker:health'], requestedBy: concerned.id }),
  );
  t.ok(await byAnother.replay(), 'the nurse confirms what the person asked for');

  const ownKey = await withPerson();
  await ownKey.add(
    concerned,
    change('key', { compartments: ['person'], keyVersion: 1, recipients: [`${concerned.id}:1`] }),
  );
  t.ok(await ownKey.replay(), 'the person makes the key of their own space');

  for (const c of [
    change('added', { subjectId: coordinator.id, compartments: COMPARTMENTS }),
    change('removed', { subjectId: landlord.id }),
    change('narrowed', { subjectId: landlord.id, compartments: ['identity'] }),
    change('exception-opened', { scope: ['partner:committee'], hours: 2 }),
    change('key', { compartments: ['synthesis'], keyVersion: 2, recipients: [`${concerned.id}:1`] }),
  ]) {
    const log = await withPerson();
    await log.add(concerned, c);
    await refused(t, log, 'NOT_A_PARTICIPANT', 5);
  }
});
