import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ClsmClient } from '../../src/client/client.js';
import { generateDeviceKeys, publicDeviceKeys, signDetached } from '../../src/crypto/device-keys.js';
import { MIN_MEMLIMIT, MIN_OPSLIMIT } from '../../src/crypto/kdf-floor.js';
import { keyContinuityMessage, loginMessage } from '../../src/crypto/messages.js';
import { parseInvitationCode, redeemToken } from '../../src/crypto/invitation-code.js';
import type { TestApp } from './app.js';
import { mustNotLeak } from './app.js';
import { addMember, invitationOf, loginAs, type TestMember } from './members.js';
import type { Seed } from './seed.js';
import { change } from '../../src/crypto/case-log-statements.js';

// One well-formed request per route of the API that takes parameters or a body, as a given caller
// would send it (routes with neither are sent as they are). A caller the table allows is given what
// its request uses up, fresh (a referred case to accept, an open action, a pending exception), so
// that the request can succeed; a refused caller sends the same request against the seeded ones,
// which its refusal leaves as they were. Case routes act on the seeded situation cases[0], where
// the coordinator, the health professional, the social worker and the partner all take part and the
// person's consent opens the synthesis and committee compartments to the partner.

export interface AccessRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  payload?: unknown;
  /** Instead of the caller's own credentials. */
  headers?: Record<string, string>;
}
export type Build = (caller: TestMember | undefined, allowed: boolean) => Promise<AccessRequest>;
/** What a request has of its own; the method (and, when not given, the URL) is the route's. */
type Part = Partial<AccessRequest>;
type Spec = Part | ((caller: TestMember | undefined, allowed: boolean) => Promise<Part>);

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (n: number) => b64(randomBytes(n));
/** A membership log statement's seal that no member signed: what a refused caller may as well send. */
const fakeSeal = () => ({ seq: 0, prevHash: null, at: new Date().toISOString(), signature: bytes(64) });
/** Random base64 values of the given sizes: what the server cannot tell from real ciphertext. */
const random = (sizes: Record<string, number>) =>
  Object.fromEntries(Object.entries(sizes).map(([name, n]) => [name, bytes(n)]));

/**
 * The non-GET request an SDK call sends after its reads: built and signed by the SDK, then held back.
 * With a `fallback`, a call whose reads are refused (the caller's device cannot read what it needs)
 * gives that request instead.
 */
async function draft(client: ClsmClient, call: () => Promise<unknown>, fallback?: Part): Promise<Part> {
  const read = client.request.bind(client);
  let held: AccessRequest | undefined;
  client.request = async <T>(method: string, path: string, body?: unknown, accept?: string): Promise<T> => {
    if (method === 'GET') return read<T>(method, path, body, accept);
    held = { method: method as AccessRequest['method'], url: path, payload: body };
    throw new Error('held back');
  };
  try {
    await call().catch((err: unknown) => {
      if (held === undefined && fallback === undefined) throw err;
    });
  } finally {
    Reflect.deleteProperty(client, 'request');
  }
  if (held !== undefined) return held;
  if (fallback !== undefined) return fallback;
  throw new Error('the SDK call sent nothing');
}

export async function accessRequests(ta: TestApp, s: Seed): Promise<Record<string, Build>> {
  const { coordinator: coord, health_professional: nurse, social_worker: social, partner } = s.callers;
  const { sitting } = s;
  const sdk = (m: TestMember) => s.sdk(m);
  /**
   * A change the membership log records: as the caller's device sends it (signed) when the table
   * allows the caller, as `unsigned` otherwise or when the device cannot read what it signs.
   */
  const signed = (
    c: TestMember | undefined,
    allowed: boolean,
    call: (client: ClsmClient) => Promise<unknown>,
    unsigned: Part,
  ): Promise<Part> =>
    allowed && c !== undefined ? draft(sdk(c), () => call(sdk(c)), unsigned) : Promise.resolve(unsigned);
  const home = s.cases[0]!;
  const other = s.cases[1]!.id; // accepted, not on the sitting's agenda
  const holder = s.bystanders[3]!; // a member with a key backup, to recover
  const target = s.targets[0]!;
  // The partner's keys to the synthesis, opened by consent after the seed shared the first keys.
  await sdk(nurse).cases.shareKeys(home.id);
  const kdf = { opslimit: MIN_OPSLIMIT, memlimit: MIN_MEMLIMIT };
  const blob = {
    v: 2,
    alg: 'argon2id13+xchacha20poly1305',
    ...kdf,
    ...random({ salt: 16, nonce: 24, ciphertext: 112 }),
  };
  // The authentication key the holder's passphrase would give: the server keeps only its SHA-256.
  const proof = randomBytes(32);
  const backup = { blob, verifier: b64(createHash('sha256').update(proof).digest()) };
  await sdk(holder).request('PUT', '/v1/me/key-backup', { keyVersion: 1, ...backup });
  // Each recovery replaces the holder's keys: the next one is signed by the keys registered then.
  const holderKeys = new Map([[1, holder.keys]]);
  const holderNow = async (): Promise<TestMember> => {
    const current = await ta.ctx.db
      .selectFrom('member_keys')
      .select(({ fn }) => fn.max('version').as('version'))
      .where('clsm_id', '=', s.clsmId)
      .where('member_id', '=', holder.id)
      .executeTakeFirstOrThrow();
    const keys = holderKeys.get(current.version);
    if (keys === undefined) throw new Error(`no secret keys for version ${current.version}`);
    return { ...holder, keys };
  };
  const replacementKeys = async () => {
    const old = (await holderNow()).keys;
    const keys = await generateDeviceKeys(old.version + 1);
    holderKeys.set(keys.version, keys);
    const owner = { clsmId: s.clsmId, memberId: holder.id };
    const continuity = keyContinuityMessage(
      owner,
      old.version,
      keys.signPublicKey,
      keys.boxPublicKey,
      keys.version,
    );
    return {
      keys: {
        version: keys.version,
        signPublicKey: b64(keys.signPublicKey),
        boxPublicKey: b64(keys.boxPublicKey),
        selfSignature: b64((await publicDeviceKeys(keys, owner)).selfSignature),
      },
      continuitySignature: b64(await signDetached(continuity, old.signSecretKey)),
      backup,
    };
  };
  const description = await sdk(coord).cases.write(home.id, 'committee', enc('Visite.'), { kind: 'action' });
  const scope = ['social_worker:health'];
  const approved = await sdk(social).consent.openException(home.id, 'danger_grave_imminent', scope, enc('!'));
  await sdk(coord).consent.exceptionStep(home.id, approved, 'approve');

  const code = async (path: string, payload?: object) => {
    const res = await sdk(coord).request<{ code: string }>('POST', path, payload);
    mustNotLeak(res.code);
    return res.code;
  };
  // An invitation as the coordinator's device makes it; the newcomer's device sends its redeem token.
  const invitationToken = async (displayName: string) => {
    const { code: made } = await sdk(coord).invite('partner', 'Bailleur', displayName);
    const parsed = parseInvitationCode(made);
    if (parsed === undefined) throw new Error('not an invitation code');
    const token = await redeemToken(parsed.secret);
    mustNotLeak(made, token);
    return token;
  };
  const freshCase = async (accepted = true, extra: TestMember[] = []) => {
    const { id } = await sdk(nurse).cases.refer('isolement', 'routine');
    if (accepted) await sdk(coord).cases.transition(id, 'accept');
    // By the nurse who referred it: the coordinator, taking no part in it yet, could only ask.
    for (const m of [coord, social, partner, ...extra])
      await sdk(nurse).cases.addParticipant(id, m.id, undefined, { handOverKeys: false });
    return id;
  };
  const newcomer = async () => (await addMember(ta, coord, 'social_worker')).id;
  // A second coordinator, who takes part in nothing: her addition of a social worker waits for a
  // second participant bound by secrecy.
  const deputy = s.bystanders.find((m) => m.role === 'coordinator')!;
  const pendingAddition = async (caseId: string) => {
    const asked = await sdk(deputy).cases.addParticipant(caseId, await newcomer(), undefined, {
      handOverKeys: false,
    });
    if (asked.status !== 'pending') throw new Error("the deputy's addition should wait");
    return asked.requestId;
  };
  const seededAddition = await pendingAddition(home.id);
  // The coordinator's consent change that opens the identity to her own role (and keeps what the
  // seeded consent opens to the partner) waits for a second person.
  const widening = {
    decision: 'given',
    scope: ['partner:synthesis', 'partner:committee', 'coordinator:identity'],
    obtained: 'oral',
  } as const;
  const pendingConsent = async (caseId: string) =>
    (await sdk(coord).consent.record(caseId, { ...widening, scope: [...widening.scope] })).id;
  // On the other seeded situation: a consent recorded on the first would supersede it.
  const seededProposal = await pendingConsent(other);
  const addition = async (allowed: boolean) => {
    if (!allowed) return { caseId: home.id, requestId: seededAddition };
    const caseId = await freshCase(true);
    return { caseId, requestId: await pendingAddition(caseId) };
  };
  const proposal = async (allowed: boolean) => {
    if (!allowed) return { caseId: other, proposalId: seededProposal };
    const caseId = await freshCase(true);
    return { caseId, proposalId: await pendingConsent(caseId) };
  };
  let referred: string | undefined;
  const { reference } = await ta.ctx.db
    .selectFrom('cases')
    .select('reference')
    .where('id', '=', home.id)
    .executeTakeFirstOrThrow();
  let sooner = 0;
  const exception = async (allowed: boolean) => {
    if (!allowed) return home.exception;
    const log = await sdk(social).caseLogs.seal(home.id, change('exception-opened', { scope, hours: 72 }));
    const body = {
      basis: 'danger_grave_imminent',
      scope,
      justificationEntryId: home.entries[3],
      durationHours: 72,
      log,
    };
    return (await sdk(social).request<{ id: string }>('POST', `/v1/cases/${home.id}/exceptions`, body)).id;
  };
  const newSitting = async (held: boolean) => {
    const id = await sdk(coord).sittings.create(new Date(Date.now() + 86_400_000), 'Mairie', [
      nurse.id,
      social.id,
      partner.id,
    ]);
    if (held) await sdk(coord).sittings.hold(id);
    return id;
  };
  // A release waiting for a second person, asked by someone other than the one who approves it.
  let awaitedYear = 2000;
  const awaitingApproval = async (approver: TestMember) => {
    awaitedYear += 1;
    const requester = approver.id === coord.id ? s.targets.find((m) => m.role === 'coordinator') : coord;
    await ta.ctx.db
      .insertInto('stats.release_requests')
      .values({
        clsm_id: s.clsmId,
        year: awaitedYear,
        requested_by: requester?.id ?? coord.id,
        requested_at: new Date(),
        changed_situations: 10,
      })
      .execute();
    return awaitedYear;
  };
  const fakeEntry = () => ({
    id: randomUUID(),
    keyVersion: 1,
    ...random({ nonce: 24, ciphertext: 40, signature: 64 }),
  });
  const fakeGrant = (granteeId: string) => ({
    granteeId,
    granteeKeyVersion: 1,
    ...random({ sealedKey: 80, signature: 64 }),
  });
  // A situation in the state the step starts from: fresh for the coordinator, who takes the step.
  const step =
    (name: string, payload: object, from: 'referred' | 'accepted'): Spec =>
    async (_, allowed) => {
      const shared = from === 'accepted' ? other : (referred ??= await freshCase(false));
      return { url: `/v1/cases/${allowed ? await freshCase(from === 'accepted') : shared}/${name}`, payload };
    };
  const kase = `/v1/cases/${home.id}`;
  const synthesis = `${kase}/compartments/synthesis`;
  const item = `/v1/sittings/${sitting.id}/agenda/${sitting.item}`;

  const specs: Record<string, Spec> = {
    'GET /docs/*': { url: '/docs/static/swagger-ui.css' },
    'POST /v1/auth/challenge': async (c) => ({ payload: { tenantId: s.clsmId, memberId: (c ?? holder).id } }),
    'POST /v1/auth/login': async (c) => {
      const m = c ?? (await holderNow());
      const ids = { tenantId: m.clsmId, memberId: m.id };
      const challenge = await ta.app.inject({ method: 'POST', url: '/v1/auth/challenge', payload: ids });
      const { challengeId, nonce } = challenge.json<{ challengeId: string; nonce: string }>();
      const message = loginMessage(m.clsmId, m.id, challengeId, Buffer.from(nonce, 'base64'));
      return {
        payload: { ...ids, challengeId, signature: b64(await signDetached(message, m.keys.signSecretKey)) },
      };
    },
    // A session of its own, so that the caller's stays open for the rest of the table.
    'POST /v1/auth/logout': async (c) =>
      c === undefined
        ? {}
        : { headers: { authorization: `Bearer ${await loginAs(ta.app, c.clsmId, c.id, c.keys)}` } },
    'POST /v1/enroll': async () => {
      const enrollment = await invitationToken('Nouveau');
      const pub = await publicDeviceKeys(await generateDeviceKeys(), await invitationOf(ta.app, enrollment));
      const keys = { signPublicKey: b64(pub.signPublicKey), boxPublicKey: b64(pub.boxPublicKey) };
      return { payload: { code: enrollment, ...keys, keySignature: b64(pub.selfSignature) } };
    },
    'POST /v1/enroll/invitation': async () => ({
      payload: {
        code: await invitationToken('Invitée'),
      },
    }),
    'POST /v1/recover': async () => ({
      payload: { code: await code(`/v1/members/${holder.id}/recovery-codes`) },
    }),
    'POST /v1/recover/backup': async () => ({
      payload: { code: await code(`/v1/members/${holder.id}/recovery-codes`), proof: b64(proof) },
    }),
    'POST /v1/recover/keys': async () => ({
      payload: {
        code: await code(`/v1/members/${holder.id}/recovery-codes`),
        proof: b64(proof),
        ...(await replacementKeys()),
      },
    }),
    'POST /v1/members/invitations': async () => ({
      payload: {
        role: 'partner',
        organisation: 'Bailleur',
        displayName: 'Invité',
        invitationId: randomUUID(),
        codeHash: bytes(32),
      },
    }),
    // A suspension signed by the caller's own device (the server refuses it from anyone but a coordinator).
    'POST /v1/directory': async (c, allowed) => {
      const author = sdk(c ?? coord);
      const subject = allowed ? await newcomer() : holder.id;
      const { url, payload } = await draft(author, () => author.directoryWriter.suspend(subject));
      return { url, payload };
    },
    'POST /v1/members/:id/recovery-codes': { url: `/v1/members/${holder.id}/recovery-codes` },
    'PUT /v1/me/key-backup': { payload: { keyVersion: 1, ...backup } },
    'POST /v1/charter/accept': { payload: { version: 1 } },
    'POST /v1/charter/publish': { payload: { version: 1 } },
    'POST /v1/stats/releases': { payload: { year: 2020 } },
    'POST /v1/stats/releases/:year/approval': async (c, allowed) => ({
      url: `/v1/stats/releases/${allowed && c !== undefined ? await awaitingApproval(c) : 2019}/approval`,
    }),
    // The referrer's device chooses the id and signs the opening of the membership log.
    'POST /v1/cases': (c, allowed) =>
      signed(c, allowed, (d) => d.cases.refer('incurie', 'routine'), {
        payload: { id: randomUUID(), reasonCategory: 'incurie', urgency: 'routine', log: fakeSeal() },
      }),
    'GET /v1/cases/:id': { url: kase },
    'GET /v1/cases/:id/access-report': { url: `${kase}/access-report` },
    'GET /v1/cases/:id/log': { url: `${kase}/log` },
    'GET /v1/cases/by-reference/:reference': { url: `/v1/cases/by-reference/${reference}` },
    // The CLSM's own checkpoints, as the DPO uploads them.
    'POST /v1/audit/verify': async () => ({ payload: await sdk(coord).audit.checkpoints() }),
    'PUT /v1/cases/:id/statistics': {
      url: `${kase}/statistics`,
      payload: {
        source: 'bailleur',
        sex: 'femme',
        ageBand: '45_64',
        housing: 'inconnu',
        household: 'seul',
        problems: ['incurie'],
      },
    },
    'POST /v1/cases/:id/accept': step('accept', {}, 'referred'),
    'POST /v1/cases/:id/decline': step('decline', { reason: 'hors_champ' }, 'referred'),
    'POST /v1/cases/:id/advance': step('advance', {}, 'accepted'),
    'POST /v1/cases/:id/close': step('close', { outcome: 'resolue' }, 'accepted'),
    'POST /v1/cases/:id/participants': async (c, allowed) => {
      const memberId = allowed ? await newcomer() : holder.id;
      return signed(
        c,
        allowed,
        (d) => d.cases.addParticipant(home.id, memberId, undefined, { handOverKeys: false }),
        { url: `${kase}/participants`, payload: { memberId } },
      );
    },
    'DELETE /v1/cases/:id/participants/:memberId': async (c, allowed) => {
      const caseId = allowed ? await freshCase(true, [target]) : home.id;
      return signed(c, allowed, (d) => d.cases.removeParticipant(caseId, target.id), {
        url: `/v1/cases/${caseId}/participants/${target.id}`,
      });
    },
    'DELETE /v1/cases/:id/participants/:memberId/compartments/:compartment': async (c, allowed) => {
      const caseId = allowed ? await freshCase(true, [target]) : home.id;
      return signed(c, allowed, (d) => d.cases.unassign(caseId, target.id, 'health'), {
        url: `/v1/cases/${caseId}/participants/${target.id}/compartments/health`,
      });
    },
    'GET /v1/cases/:id/participant-requests': { url: `${kase}/participant-requests` },
    'POST /v1/cases/:id/participant-requests/:requestId/approve': async (c, allowed) => {
      const { caseId, requestId } = await addition(allowed);
      return signed(
        c,
        allowed,
        (d) => d.cases.decideParticipant(caseId, requestId, 'approve', { handOverKeys: false }),
        { url: `/v1/cases/${caseId}/participant-requests/${requestId}/approve` },
      );
    },
    'POST /v1/cases/:id/participant-requests/:requestId/refuse': async (_, allowed) => {
      const { caseId, requestId } = await addition(allowed);
      return { url: `/v1/cases/${caseId}/participant-requests/${requestId}/refuse` };
    },
    'GET /v1/cases/:id/compartments/:compartment/entries': { url: `${synthesis}/entries` },
    'POST /v1/cases/:id/compartments/:compartment/entries': async (c, allowed) => ({
      url: `${synthesis}/entries`,
      payload:
        allowed && c !== undefined
          ? await sdk(c).cases.seal(home.id, 'synthesis', enc('Note.'), 'note', null)
          : { ...fakeEntry(), kind: 'note' },
    }),
    // The next key, sealed by the SDK to every member entitled to it.
    'POST /v1/cases/:id/compartments/:compartment/keys': async (c, allowed) =>
      allowed && c !== undefined
        ? draft(sdk(c), () => sdk(c).cases.rotate(home.id, 'synthesis'))
        : { url: `${synthesis}/keys`, payload: { keyVersion: 9, grants: [fakeGrant(nurse.id)] } },
    // A key given to a newcomer to the case, whom no one has given keys yet.
    'POST /v1/cases/:id/compartments/:compartment/grants': async (c, allowed) => {
      if (!allowed || c === undefined)
        return { url: `${synthesis}/grants`, payload: { keyVersion: 1, ...fakeGrant(holder.id) } };
      await sdk(coord).cases.addParticipant(home.id, await newcomer(), undefined, { handOverKeys: false });
      return draft(sdk(c), () => sdk(c).cases.shareKeys(home.id));
    },
    'GET /v1/cases/:id/consent': { url: `${kase}/consent` },
    'POST /v1/cases/:id/consent': async (c, allowed) => {
      const position = {
        decision: 'given',
        scope: ['partner:synthesis', 'partner:committee'],
        obtained: 'written',
      } as const;
      return signed(
        c,
        allowed,
        (d) => d.consent.record(home.id, { ...position, scope: [...position.scope] }),
        {
          url: `${kase}/consent`,
          payload: position,
        },
      );
    },
    'GET /v1/cases/:id/consent-proposals': { url: `${kase}/consent-proposals` },
    'POST /v1/cases/:id/consent-proposals/:proposalId/confirm': async (c, allowed) => {
      const { caseId, proposalId } = await proposal(allowed);
      return signed(c, allowed, (d) => d.consent.decideProposal(caseId, proposalId, 'confirm'), {
        url: `/v1/cases/${caseId}/consent-proposals/${proposalId}/confirm`,
      });
    },
    'POST /v1/cases/:id/consent-proposals/:proposalId/refuse': async (_, allowed) => {
      const { caseId, proposalId } = await proposal(allowed);
      return { url: `/v1/cases/${caseId}/consent-proposals/${proposalId}/refuse` };
    },
    'GET /v1/cases/:id/exceptions': { url: `${kase}/exceptions` },
    // A justification written by the caller, as the service requires.
    'POST /v1/cases/:id/exceptions': async (c, allowed) => {
      const asked = { basis: 'danger_grave_imminent', scope, durationHours: 72 };
      const unsigned = {
        url: `${kase}/exceptions`,
        payload: { ...asked, justificationEntryId: home.entries[3] },
      };
      if (!allowed || c === undefined) return unsigned;
      try {
        const justificationEntryId = await sdk(c).cases.write(home.id, 'synthesis', enc('!'), {
          kind: 'justification',
        });
        const log = await sdk(c).caseLogs.seal(home.id, change('exception-opened', { scope, hours: 72 }));
        return { url: `${kase}/exceptions`, payload: { ...asked, justificationEntryId, log } };
      } catch {
        // A caller who may not write the justification sends the request as it stands.
        return unsigned;
      }
    },
    'POST /v1/cases/:id/exceptions/:exceptionId/approve': async (c, allowed) => {
      const exceptionId = await exception(allowed);
      return signed(c, allowed, (d) => d.consent.exceptionStep(home.id, exceptionId, 'approve'), {
        url: `${kase}/exceptions/${exceptionId}/approve`,
      });
    },
    'POST /v1/cases/:id/exceptions/:exceptionId/close': async (c, allowed) => {
      const exceptionId = await exception(allowed);
      return signed(c, allowed, (d) => d.consent.exceptionStep(home.id, exceptionId, 'close'), {
        url: `${kase}/exceptions/${exceptionId}/close`,
      });
    },
    'POST /v1/cases/:id/exceptions/:exceptionId/inform': { url: `${kase}/exceptions/${approved}/inform` },
    'POST /v1/cases/:id/exceptions/:exceptionId/shorten': async (c, allowed) => {
      // A deadline is only ever brought forward: each request a minute sooner than the last.
      const expiresAt = new Date(ta.ctx.clock.now().getTime() + 3_600_000 - (sooner += 60_000)).toISOString();
      return signed(c, allowed, (d) => d.consent.shortenException(home.id, approved, expiresAt), {
        url: `${kase}/exceptions/${approved}/shorten`,
        payload: { expiresAt },
      });
    },
    'POST /v1/sittings': {
      payload: {
        scheduledFor: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        location: 'Mairie',
        convened: [],
      },
    },
    'GET /v1/sittings/:id': { url: `/v1/sittings/${sitting.id}` },
    'POST /v1/sittings/:id/agenda': async (_, allowed) => ({
      url: `/v1/sittings/${sitting.id}/agenda`,
      payload: { caseId: allowed ? await freshCase() : other },
    }),
    'PUT /v1/sittings/:id/attendance': {
      url: `/v1/sittings/${sitting.id}/attendance`,
      payload: { marks: [{ memberId: coord.id, attendance: 'present' }] },
    },
    'POST /v1/sittings/:id/hold': async (_, allowed) => ({
      url: `/v1/sittings/${allowed ? await newSitting(false) : sitting.id}/hold`,
    }),
    'POST /v1/sittings/:id/close': async (_, allowed) => ({
      url: `/v1/sittings/${allowed ? await newSitting(true) : sitting.id}/close`,
    }),
    'POST /v1/sittings/:id/agenda/:itemId/minutes': async (c, allowed) => {
      if (!allowed || c === undefined) return { url: `${item}/minutes`, payload: fakeEntry() };
      const sealed = await sdk(c).cases.seal(
        home.id,
        'committee',
        enc('Compte rendu.'),
        'minutes',
        sitting.item,
      );
      const { kind: _kind, refersTo: _refersTo, ...payload } = sealed;
      return { url: `${item}/minutes`, payload };
    },
    'POST /v1/sittings/:id/agenda/:itemId/decisions': {
      url: `${item}/decisions`,
      payload: { category: 'veille', adhesion: 'agrees' },
    },
    'POST /v1/sittings/:id/agenda/:itemId/actions': {
      url: `${item}/actions`,
      payload: {
        assigneeId: social.id,
        dueOn: '2027-02-01',
        descriptionEntryId: description,
        decisionId: null,
      },
    },
    'GET /v1/cases/:id/decisions': { url: `${kase}/decisions` },
    'PUT /v1/decisions/:id/answer': {
      url: `/v1/decisions/${sitting.decision}/answer`,
      payload: { adhesion: 'disagrees' },
    },
    'POST /v1/cases/:id/person-invitations': async () => ({
      url: `${kase}/person-invitations`,
      payload: { invitationId: randomUUID(), codeHash: randomBytes(32).toString('base64') },
    }),
    'PUT /v1/decisions/:id/adhesion': {
      url: `/v1/decisions/${sitting.decision}/adhesion`,
      payload: { adhesion: 'agrees' },
    },
    'POST /v1/actions/:id/status': async (_, allowed) => ({
      url: `/v1/actions/${allowed ? await sdk(coord).sittings.action(sitting.id, sitting.item, home.id, social.id, '2027-01-20', enc('Appel.')) : sitting.action}/status`,
      payload: { status: 'done' },
    }),
  };
  return Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => {
      const [method, url] = key.split(' ') as [AccessRequest['method'], string];
      const build: Build = async (caller, allowed) => ({
        method,
        url,
        ...(typeof spec === 'function' ? await spec(caller, allowed) : spec),
      });
      return [key, build];
    }),
  );
}
