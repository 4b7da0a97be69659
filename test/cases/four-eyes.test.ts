import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { eventsOf } from '../helpers/audit.js';
import { cellule } from '../helpers/cellule.js';
import { change } from '../../src/crypto/case-log-statements.js';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import type { ClsmClient } from '../../src/client/client.js';

// Nobody opens a situation to themselves alone. The coordinator adding herself, or (taking no part in
// it) a health professional or social worker, only asks: until a second participant bound by
// secrecy approves, the member is no participant, may read nothing and is owed no key. Neither the
// one who asked nor a participant not bound by secrecy can approve, and each refusal is recorded.

const ta = await startTestApp(t);
const { app, ctx } = ta;
const cell = await cellule(ta, { nurse: 'health_professional', sw: 'social_worker', landlord: 'partner' });
const { coordinator, nurse, sw, landlord } = cell.members;

const situation = () =>
  cell.situation({
    by: 'nurse',
    accepted: true,
    participants: ['sw', 'landlord'],
    entries: { synthesis: ['Logement encombré, refus de visite.'], health: ['Suivi CMP interrompu.'] },
  });

const post = (url: string, who: { headers: Record<string, string> }, payload?: object) =>
  app.inject({ method: 'POST', url, headers: who.headers, ...(payload === undefined ? {} : { payload }) });

/** The membership log statement of an addition that takes effect now, signed by `by`. */
const added = (by: ClsmClient, caseId: string, memberId: string, requestedBy: string | null = null) =>
  by.caseLogs
    .seal(caseId, change('added', { subjectId: memberId, compartments: COMPARTMENTS, requestedBy }))
    .then((log) => ({ log }));

const participantsOf = async (caseId: string) =>
  (await cell.sdk.nurse.cases.view(caseId)).participants.map((p) => p.memberId);

const grantsTo = (caseId: string, memberId: string) =>
  ctx.db
    .selectFrom('key_grants')
    .select('compartment')
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', memberId)
    .execute();

t.test(
  'the coordinator adds herself: a request that opens nothing until a social worker approves',
  async (t) => {
    const { id } = await situation();
    const asked = await post(`/v1/cases/${id}/participants`, coordinator, { memberId: coordinator.id });
    t.equal(asked.statusCode, 202, 'the addition waits');
    const requestId = asked.json<{ requestId: string }>().requestId;
    t.match(await eventsOf(ctx.db, asked), [{ type: 'participant.requested', outcome: 'success' }]);

    t.notOk((await participantsOf(id)).includes(coordinator.id), 'she is no participant');
    const read = await app.inject({
      method: 'GET',
      url: `/v1/cases/${id}/compartments/synthesis/entries`,
      headers: coordinator.headers,
    });
    t.equal(read.statusCode, 403, 'she cannot read the synthesis');
    t.notOk(
      (await cell.sdk.nurse.cases.view(id)).pendingGrants.some((g) => g.memberId === coordinator.id),
      'no key is owed to her',
    );
    await cell.sdk.nurse.cases.shareKeys(id);
    t.same(await grantsTo(id, coordinator.id), [], 'and none was given');

    const own = await post(`/v1/cases/${id}/participant-requests/${requestId}/approve`, coordinator);
    t.equal(own.statusCode, 403, 'she cannot approve her own addition');
    t.match(await eventsOf(ctx.db, own), [
      { type: 'access.denied', outcome: 'denied', action: 'participant.approve', actor_id: coordinator.id },
    ]);
    const partner = await post(`/v1/cases/${id}/participant-requests/${requestId}/approve`, landlord);
    t.equal(partner.statusCode, 403, 'a partner, not bound by secrecy, cannot approve');
    t.match(await eventsOf(ctx.db, partner), [
      { type: 'access.denied', outcome: 'denied', action: 'participant.approve', actor_id: landlord.id },
    ]);
    t.notOk((await participantsOf(id)).includes(coordinator.id), 'still no participant');

    const pending = await cell.sdk.sw.cases.participantRequests(id);
    t.match(pending, [{ id: requestId, memberId: coordinator.id, requestedBy: coordinator.id }]);

    const approved = await post(
      `/v1/cases/${id}/participant-requests/${requestId}/approve`,
      sw,
      await added(cell.sdk.sw, id, coordinator.id, coordinator.id),
    );
    t.equal(approved.statusCode, 204, 'a social worker of the situation approves');
    t.match(await eventsOf(ctx.db, approved), [
      { type: 'participant.approved', subject_id: coordinator.id, actor_id: sw.id },
      { type: 'participant.added', subject_id: coordinator.id, actor_id: sw.id },
    ]);
    t.ok((await participantsOf(id)).includes(coordinator.id), 'she takes part now');
    await cell.sdk.nurse.cases.shareKeys(id);
    t.equal((await cell.sdk.coordinator.cases.read(id, 'synthesis')).length, 1, 'and reads the synthesis');
    t.same(await cell.sdk.sw.cases.participantRequests(id), [], 'nothing waits any more');

    const again = await post(`/v1/cases/${id}/participant-requests/${requestId}/approve`, nurse);
    t.equal(again.statusCode, 409, 'a decided request is not decided twice');
  },
);

t.test('an account the coordinator invited, added to a situation she takes no part in', async (t) => {
  const { id } = await situation();
  const { member: puppet, sdk: puppetSdk } = await cell.join('health_professional');
  const asked = await post(`/v1/cases/${id}/participants`, coordinator, { memberId: puppet.id });
  t.equal(asked.statusCode, 202, 'a health professional added by a coordinator who takes no part waits');
  const requestId = asked.json<{ requestId: string }>().requestId;
  await t.rejects(puppetSdk.cases.read(id, 'health'), { code: 'NOT_FOUND' }, 'the account sees nothing');

  const self = await post(`/v1/cases/${id}/participant-requests/${requestId}/approve`, puppet);
  t.equal(self.statusCode, 404, 'the account it would add cannot approve it');
  t.match(await eventsOf(ctx.db, self), [{ type: 'access.denied', outcome: 'denied' }]);

  const refused = await post(`/v1/cases/${id}/participant-requests/${requestId}/refuse`, nurse);
  t.equal(refused.statusCode, 204, 'the nurse turns it down');
  t.match(await eventsOf(ctx.db, refused), [{ type: 'participant.refused', subject_id: puppet.id }]);
  t.notOk((await participantsOf(id)).includes(puppet.id));
  const late = await post(`/v1/cases/${id}/participant-requests/${requestId}/approve`, sw);
  t.equal(late.statusCode, 409, 'a refused request cannot be approved afterwards');
  t.same(await grantsTo(id, puppet.id), []);
});

t.test('what stays one step, and a request withdrawn by the one who asked', async (t) => {
  const { id } = await situation();
  const { member: colleague } = await cell.join('social_worker');
  const byNurse = await post(`/v1/cases/${id}/participants`, nurse, {
    memberId: colleague.id,
    ...(await added(cell.sdk.nurse, id, colleague.id)),
  });
  t.equal(byNurse.statusCode, 204, 'a participant adding a colleague: at once');
  t.ok((await participantsOf(id)).includes(colleague.id));

  const partnerAdded = await cell.join('partner');
  const byCoordinator = await post(`/v1/cases/${id}/participants`, coordinator, {
    memberId: partnerAdded.member.id,
    ...(await added(cell.sdk.coordinator, id, partnerAdded.member.id)),
  });
  t.equal(byCoordinator.statusCode, 204, 'the coordinator adding a partner (no content role): at once');

  // Referred by the landlord, with no participant bound by secrecy yet: nobody could approve, so the
  // first professionals come in at once.
  const { id: fresh } = await cell.situation({ by: 'landlord', accepted: true });
  const first = await post(`/v1/cases/${fresh}/participants`, coordinator, {
    memberId: nurse.id,
    ...(await added(cell.sdk.coordinator, fresh, nurse.id)),
  });
  t.equal(first.statusCode, 204, 'the first professional of a situation comes in at once');
  const second = await post(`/v1/cases/${fresh}/participants`, coordinator, { memberId: sw.id });
  t.equal(second.statusCode, 202, 'the next one waits for the first');

  const mine = await post(`/v1/cases/${fresh}/participants`, coordinator, { memberId: coordinator.id });
  const requestId = mine.json<{ requestId: string }>().requestId;
  const twice = await post(`/v1/cases/${fresh}/participants`, coordinator, { memberId: coordinator.id });
  t.equal(twice.statusCode, 409, 'one request at a time for one member');
  const withdrawn = await post(`/v1/cases/${fresh}/participant-requests/${requestId}/refuse`, coordinator);
  t.equal(withdrawn.statusCode, 204, 'the one who asked withdraws it');
  t.match(await eventsOf(ctx.db, withdrawn), [{ type: 'participant.refused', reason: 'CANCELLED' }]);
  const row = await ctx.db
    .selectFrom('participant_requests')
    .select(['outcome', 'decided_by'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  t.same(row, { outcome: 'cancelled', decided_by: coordinator.id });
});

t.test('the database refuses an approval by the one who asked', async (t) => {
  const { id } = await situation();
  const asked = await post(`/v1/cases/${id}/participants`, coordinator, { memberId: coordinator.id });
  const requestId = asked.json<{ requestId: string }>().requestId;
  await t.rejects(
    ctx.db
      .updateTable('participant_requests')
      .set({ decided_by: coordinator.id, decided_at: new Date(), outcome: 'approved' })
      .where('id', '=', requestId)
      .execute(),
    /check constraint/,
  );
});
