import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { eventsOf } from '../helpers/audit.js';
import { cellule } from '../helpers/cellule.js';
import { sdkFor, type TestMember } from '../helpers/members.js';
import { change } from '../../src/crypto/case-log-statements.js';

// Nobody opens content to themselves alone. A consent change that widens what its recorder's own role
// may read (a social worker recording, orally and without evidence, that the person opens the health
// compartment to social workers) is only proposed: the consent in force stays until a second
// participant bound by secrecy confirms it; its recorder cannot. Widening for other roles only,
// narrowing and withdrawal take effect at once.

const ta = await startTestApp(t);
const { app, ctx } = ta;
const cell = await cellule(ta, {
  nurse: 'health_professional',
  sw: 'social_worker',
  landlord: 'partner',
});
const { nurse, sw, landlord } = cell.members;
const HEALTH = 'Suivi CMP interrompu en janvier.';

const situation = async () =>
  (
    await cell.situation({
      by: 'nurse',
      accepted: true,
      participants: ['sw', 'landlord'],
      addedBy: 'nurse',
      entries: { health: [HEALTH], synthesis: ['Logement encombré.'] },
    })
  ).id;

const post = (url: string, who: { headers: Record<string, string> }, payload?: object) =>
  app.inject({ method: 'POST', url, headers: who.headers, ...(payload === undefined ? {} : { payload }) });
/** A position recorded from the member's device, with its signed statement (stored if it takes effect). */
const record = async (caseId: string, who: TestMember, scope: string[], decision = 'given') =>
  post(`/v1/cases/${caseId}/consent`, who, {
    decision,
    scope,
    obtained: 'oral',
    log: await sdkFor(cell.url, who).caseLogs.seal(caseId, change('consent', { decision, scope })),
  });
/** The nurse confirms a change that the social worker proposed. */
const confirm = async (caseId: string, proposalId: string, scope: string[]) =>
  post(`/v1/cases/${caseId}/consent-proposals/${proposalId}/confirm`, nurse, {
    log: await cell.sdk.nurse.caseLogs.seal(
      caseId,
      change('consent', { decision: 'given', scope, requestedBy: sw.id }),
    ),
  });
const readHealth = (caseId: string) =>
  app.inject({
    method: 'GET',
    url: `/v1/cases/${caseId}/compartments/health/entries`,
    headers: sw.headers,
  });

t.test('a social worker opens health to her own role: pending until a nurse confirms', async (t) => {
  const id = await situation();
  const proposed = await record(id, sw, ['social_worker:health']);
  t.equal(proposed.statusCode, 202, 'the change waits');
  t.match(proposed.json(), { pending: true, keysRevoked: 0 });
  const proposalId = proposed.json<{ id: string }>().id;
  t.match(await eventsOf(ctx.db, proposed), [{ type: 'consent.proposed', actor_id: sw.id }]);

  t.same((await cell.sdk.nurse.consent.history(id)).records, [], 'the consent in force did not change');
  const refused = await readHealth(id);
  t.equal(refused.statusCode, 403);
  t.equal(refused.json().code, 'CONSENT_REQUIRED', 'she still may not read health');
  t.equal(await cell.sdk.nurse.cases.shareKeys(id), 0, 'no key is owed to her');

  const own = await post(`/v1/cases/${id}/consent-proposals/${proposalId}/confirm`, sw);
  t.equal(own.statusCode, 403, 'she cannot confirm her own change');
  t.match(await eventsOf(ctx.db, own), [
    { type: 'access.denied', outcome: 'denied', action: 'consent.confirm', actor_id: sw.id },
  ]);
  const partner = await post(`/v1/cases/${id}/consent-proposals/${proposalId}/confirm`, landlord);
  t.equal(partner.statusCode, 403, 'nor can a partner');
  t.match(await eventsOf(ctx.db, partner), [
    { type: 'access.denied', outcome: 'denied', action: 'consent.confirm', actor_id: landlord.id },
  ]);
  t.equal((await readHealth(id)).statusCode, 403, 'still refused');

  t.match(await cell.sdk.nurse.consent.proposals(id), [
    { id: proposalId, scope: ['social_worker:health'], obtained: 'oral', recordedBy: sw.id },
  ]);
  const confirmed = await confirm(id, proposalId, ['social_worker:health']);
  t.equal(confirmed.statusCode, 201, 'a nurse of the situation confirms');
  t.match(await eventsOf(ctx.db, confirmed), [
    { type: 'consent.confirmed', actor_id: nurse.id, subject_id: sw.id },
  ]);
  const { records } = await cell.sdk.nurse.consent.history(id);
  t.match(records, [
    { decision: 'given', scope: ['social_worker:health'], recordedBy: sw.id, confirmedBy: nurse.id },
  ]);
  t.equal(await cell.sdk.nurse.cases.shareKeys(id), 1, 'the key now goes to her');
  const health = await cell.sdk.sw.cases.read(id, 'health');
  t.equal(new TextDecoder().decode(health[0]?.plaintext), HEALTH, 'and she reads health');
  t.same(await cell.sdk.nurse.consent.proposals(id), [], 'nothing waits any more');
  const twice = await post(`/v1/cases/${id}/consent-proposals/${proposalId}/confirm`, nurse);
  t.equal(twice.statusCode, 409);

  const withdrawn = await record(id, sw, [], 'withdrawn');
  t.equal(withdrawn.statusCode, 201, 'a withdrawal takes effect at once, whoever records it');
  t.match(withdrawn.json(), { pending: false, keysRevoked: 1 });
  t.equal((await readHealth(id)).statusCode, 403, 'and she may no longer read health');
});

t.test('opening to another role only takes effect at once', async (t) => {
  const id = await situation();
  const given = await record(id, sw, ['partner:synthesis']);
  t.equal(given.statusCode, 201);
  t.match(given.json(), { pending: false });
  t.equal(await cell.sdk.nurse.cases.shareKeys(id), 1);
  t.equal(
    (await cell.sdk.landlord.cases.read(id, 'synthesis')).length,
    1,
    'the landlord reads the synthesis',
  );
});

t.test(
  'a widening for oneself never delays a narrowing, and waits against the consent it was made on',
  async (t) => {
    const id = await situation();
    t.equal((await record(id, nurse, ['partner:synthesis'])).statusCode, 201);

    const mixed = await record(id, sw, ['social_worker:health']);
    t.equal(mixed.statusCode, 409, 'a change that widens her access and narrows the landlord is refused');
    t.equal(mixed.json().code, 'CONFLICT');
    t.same(await cell.sdk.nurse.consent.proposals(id), [], 'nothing waits');
    t.equal((await cell.sdk.nurse.consent.history(id)).records.length, 1, 'nothing changed');

    const proposed = await record(id, sw, ['partner:synthesis', 'social_worker:health']);
    t.equal(proposed.statusCode, 202);
    const proposalId = proposed.json<{ id: string }>().id;
    const narrowed = await record(id, nurse, [], 'withdrawn');
    t.equal(narrowed.statusCode, 201, 'the person withdraws meanwhile: at once');
    const events = await eventsOf(ctx.db, narrowed);
    t.ok(
      events.some((e) => e.type === 'consent.proposal_closed' && e.reason === 'SUPERSEDED'),
      'the waiting proposal is closed, superseded',
    );
    const late = await post(`/v1/cases/${id}/consent-proposals/${proposalId}/confirm`, nurse);
    t.equal(late.statusCode, 409, 'the proposal made on the old consent cannot be confirmed any more');
    t.equal((await readHealth(id)).statusCode, 403);

    const again = await record(id, sw, ['social_worker:health']);
    const withdrawnByHer = await post(`/v1/cases/${id}/consent-proposals/${again.json().id}/refuse`, sw);
    t.equal(withdrawnByHer.statusCode, 204, 'its recorder withdraws her proposal');
    t.match(await eventsOf(ctx.db, withdrawnByHer), [
      { type: 'consent.proposal_closed', reason: 'CANCELLED' },
    ]);
  },
);

t.test('the database refuses a record confirmed by its own recorder', async (t) => {
  const id = await situation();
  await t.rejects(
    ctx.db
      .insertInto('consent_records')
      .values({
        clsm_id: cell.clsmId,
        id: crypto.randomUUID(),
        case_id: id,
        decision: 'given',
        scope: ['social_worker:health'],
        obtained: 'oral',
        statistics_objection: false,
        evidence_entry_id: null,
        review_on: null,
        recorded_by: sw.id,
        recorded_at: new Date(),
        confirmed_by: sw.id,
      })
      .execute(),
    /check constraint/,
  );
});
