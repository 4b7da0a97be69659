import t from 'tap';
import { createHash } from 'node:crypto';
import { fingerprintDigest, generateDeviceKeys } from '../../src/crypto/device-keys.js';
import {
  formatInvitationCode,
  invitationSecret,
  parseInvitationCode,
  redeemToken,
  redeemTokenHash,
  sameShortString,
  shortAuthenticationString,
} from '../../src/crypto/invitation-code.js';
import { hashEnrollmentCode } from '../../src/members/enrollment-codes.js';

const clsmId = globalThis.crypto.randomUUID();
const memberId = globalThis.crypto.randomUUID();

t.test('the inviter derives the same secret again, and no one else does', async (t) => {
  const inviter = await generateDeviceKeys();
  const other = await generateDeviceKeys();
  const invitationId = globalThis.crypto.randomUUID();
  const s = await invitationSecret(inviter.signSecretKey, clsmId, invitationId);
  t.equal(s.length, 16);
  t.same(await invitationSecret(inviter.signSecretKey, clsmId, invitationId), s);
  t.notSame(await invitationSecret(other.signSecretKey, clsmId, invitationId), s);
  t.notSame(await invitationSecret(inviter.signSecretKey, clsmId, globalThis.crypto.randomUUID()), s);
});

t.test('the code carries the secret and the root anchor, typed back loosely', async (t) => {
  const root = await generateDeviceKeys();
  const anchor = (await fingerprintDigest(root.signPublicKey, root.boxPublicKey)).slice(0, 16);
  const secret = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const code = formatInvitationCode({ secret, anchor });
  t.match(code, /^([0-9A-Z]{4}-){12}[0-9A-Z]{4}$/);
  const back = parseInvitationCode(` ${code.toLowerCase().replace(/-/g, ' ')} `);
  t.same(back?.secret, secret);
  t.same(back?.anchor, anchor);
  t.equal(
    parseInvitationCode('291X-0RJM-AT12-H7C0-ETK7-4WKP-PG2C-4V68'),
    undefined,
    'a server-made code is not one',
  );
  t.equal(parseInvitationCode(code.replace(/^./, '*')), undefined);
});

t.test(
  'the server can check the redeem token against the hash it was given, as it hashes codes',
  async (t) => {
    const secret = globalThis.crypto.getRandomValues(new Uint8Array(16));
    const token = await redeemToken(secret);
    t.match(token, /^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    t.same(Buffer.from(await redeemTokenHash(secret)), hashEnrollmentCode(token));
    t.same(
      Buffer.from(await redeemTokenHash(secret)),
      createHash('sha256').update(token.replace(/-/g, '')).digest(),
    );
  },
);

t.test('the short authentication string depends on the secret, the ids and both keys', async (t) => {
  const secret = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const keys = await generateDeviceKeys();
  const owner = { clsmId, memberId };
  const sas = await shortAuthenticationString(secret, owner, keys.signPublicKey, keys.boxPublicKey);
  t.match(sas, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}$/);
  t.equal(await shortAuthenticationString(secret, owner, keys.signPublicKey, keys.boxPublicKey), sas);
  const swapped = await generateDeviceKeys();
  // 20 bits: a different input gives the same string once in a million; over these four, never in practice.
  const others = [
    await shortAuthenticationString(secret, owner, swapped.signPublicKey, keys.boxPublicKey),
    await shortAuthenticationString(secret, owner, keys.signPublicKey, swapped.boxPublicKey),
    await shortAuthenticationString(
      secret,
      { clsmId, memberId: globalThis.crypto.randomUUID() },
      keys.signPublicKey,
      keys.boxPublicKey,
    ),
    await shortAuthenticationString(
      globalThis.crypto.getRandomValues(new Uint8Array(16)),
      owner,
      keys.signPublicKey,
      keys.boxPublicKey,
    ),
  ];
  for (const other of others) t.not(other, sas);
  t.ok(sameShortString(` ${sas.toLowerCase()} `, sas));
  t.notOk(sameShortString(others[0] as string, sas));
  t.notOk(sameShortString(sas.slice(0, 3), sas));
});
