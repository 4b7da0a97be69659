import { createHash } from 'node:crypto';
import t from 'tap';
import type { CharterText } from '../../src/charter/texts.js';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// The charte's versions as a coordinator reads them before publishing the next one; publishing puts
// every member out until they accept it. Anyone else is refused the list and the publication, and
// the refusal is in the audit log.

const ta = await startTestApp(t);
const { app, ctx } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
// A second version shipped after this CLSM was created, as an operator ships v2.md.
const [v1] = ctx.charters;
if (v1 === undefined) throw new Error('no charter shipped');
const v2text = `${v1.text}\n\nArticle ajouté : la version 2.\n`;
(ctx.charters as CharterText[]).push({
  version: 2,
  text: v2text,
  sha256: createHash('sha256').update(v2text).digest(),
});

interface Listed {
  version: number;
  text: string;
  publishedAt: string | null;
  acceptances: number;
}
const versions = async (headers: { authorization: string }) =>
  app.inject({ method: 'GET', url: '/v1/charter/versions', headers });
const denials = async (action: string) => {
  await eventsSealed(ctx.db);
  return ctx.db
    .selectFrom('audit_events')
    .select(['actor_id', 'reason'])
    .where('clsm_id', '=', clsmId)
    .where('type', '=', 'access.denied')
    .where('action', '=', action)
    .execute();
};

t.test('the coordinator sees the published version, its acceptances, and the next one shipped', async (t) => {
  const res = await versions(coordinator.headers);
  t.equal(res.statusCode, 200);
  const listed = res.json<{ versions: Listed[] }>().versions;
  t.match(listed, [
    { version: 1, publishedAt: /^\d{4}-/, acceptances: 2 },
    { version: 2, publishedAt: null, acceptances: 0, text: /la version 2/ },
  ]);
});

t.test('anyone else is refused the list, and the refusal is audited', async (t) => {
  const res = await versions(nurse.headers);
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'FORBIDDEN');
  t.match(await denials('charter.publish'), [{ actor_id: nurse.id, reason: 'FORBIDDEN' }]);
  t.equal((await app.inject({ method: 'GET', url: '/v1/charter/versions' })).statusCode, 401);
});

t.test('a member cannot publish; the coordinator can, and everyone must accept again', async (t) => {
  const refused = await app.inject({
    method: 'POST',
    url: '/v1/charter/publish',
    headers: nurse.headers,
    payload: { version: 2 },
  });
  t.equal(refused.statusCode, 403);
  t.equal((await denials('charter.publish')).length, 2, 'the publication refused is audited too');

  const published = await app.inject({
    method: 'POST',
    url: '/v1/charter/publish',
    headers: coordinator.headers,
    payload: { version: 2 },
  });
  t.equal(published.statusCode, 204);
  const blocked = await app.inject({ method: 'GET', url: '/v1/members', headers: nurse.headers });
  t.equal(blocked.statusCode, 403);
  t.equal(blocked.json().code, 'CHARTER_NOT_ACCEPTED', 'the member must accept the new version first');
  const charter = await app.inject({ method: 'GET', url: '/v1/charter', headers: nurse.headers });
  t.match(charter.json(), { version: 2, accepted: false });
  t.equal((await versions(coordinator.headers)).json().code, 'CHARTER_NOT_ACCEPTED', 'the publisher too');

  const accepted = await app.inject({
    method: 'POST',
    url: '/v1/charter/accept',
    headers: coordinator.headers,
    payload: { version: 2 },
  });
  t.equal(accepted.statusCode, 204);
  const listed = (await versions(coordinator.headers)).json<{ versions: Listed[] }>().versions;
  t.match(listed, [
    { version: 1, acceptances: 2 },
    { version: 2, publishedAt: /^\d{4}-/, acceptances: 1 },
  ]);
});
