import t from 'tap';
import { createServer, type Server } from 'node:http';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor, type TestMember } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { backupKeys, recoverIdentity } from '../../src/client/recovery.js';
import { wrapSecret } from '../../src/crypto/key-backup.js';
import { fingerprint } from '../../src/crypto/device-keys.js';

// A server substituting keys or backups between members, or between CLSMs. Key self-signatures
// cover the CLSM and the member id; a server-held backup is bound to the CLSM, member and key
// version through its associated data. Each substitution is replayed as a database owner (or the
// server's answer altered on the way) would do it, and the client notices.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const doctor = await addMember(ta, coordinator, 'health_professional');
const social = await addMember(ta, coordinator, 'social_worker');
const elsewhere = await newClsm(ta, 'CLSM voisin');
const outsider = await addMember(ta, elsewhere.coordinator, 'health_professional');
const url = await listen(ta.app);
const PASSPHRASE = 'la même phrase de passe pour tous';
const kdf = { opslimit: 2, memlimit: 19 * 1024 * 1024 };

/** A device that has never seen the directory log: it replays it from the root. */
const freshDevice = (m: TestMember) => sdkFor(url, m);

async function copyKeys(from: TestMember, to: TestMember): Promise<void> {
  await asOwner(ta.db, (o) =>
    sql`update member_keys k set sign_public_key = f.sign_public_key, box_public_key = f.box_public_key,
           self_signature = f.self_signature
          from member_keys f
         where f.member_id = ${from.id} and k.member_id = ${to.id}`.execute(o),
  );
}

t.test("a colleague's keys presented as another member's are never used for them", async (t) => {
  const victim = await addMember(ta, coordinator, 'health_professional');
  await copyKeys(doctor, victim);
  const members = await freshDevice(nurse).members();
  const listed = members.find((m) => m.id === victim.id);
  t.same(
    Buffer.from(listed?.keys?.signPublicKey ?? new Uint8Array()),
    Buffer.from(victim.keys.signPublicKey),
    "the victim's certified keys, not the doctor's",
  );
  t.ok(members.find((m) => m.id === doctor.id)?.keys, "under the doctor's own id they are fine");
  const keys = await freshDevice(nurse).memberKeys(victim.id);
  t.notSame(
    Buffer.from(keys.boxPublicKey),
    Buffer.from(doctor.keys.boxPublicKey),
    'never sealed to the doctor',
  );
});

t.test("keys from another CLSM presented as a member's are never certified", async (t) => {
  const victim = await addMember(ta, coordinator, 'social_worker', { certified: false });
  await copyKeys(outsider, victim);
  const listed = (await freshDevice(nurse).members()).find((m) => m.id === victim.id);
  t.equal(listed?.keys, undefined);
  t.equal(listed?.keysRefused?.name, 'UncertifiedMemberError');
  // Their self-signature names the other CLSM: a coordinator's device refuses to certify them.
  const print = await fingerprint(outsider.keys.signPublicKey, outsider.keys.boxPublicKey);
  await t.rejects(freshDevice(coordinator).directoryWriter.certify(victim.id, { fingerprint: print }), {
    name: 'BadKeysError',
    message: /not self-signed/,
  });
});

async function recoveryCode(coordinatorOf: TestMember, member: TestMember): Promise<string> {
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/members/${member.id}/recovery-codes`,
    headers: coordinatorOf.headers,
  });
  return res.json<{ code: string }>().code;
}

async function copyBackup(from: TestMember, to: TestMember): Promise<void> {
  await asOwner(ta.db, (o) =>
    sql`update member_key_backups b set blob = f.blob, key_version = f.key_version, verifier = f.verifier
          from member_key_backups f
         where f.member_id = ${from.id} and b.member_id = ${to.id}`.execute(o),
  );
}

t.test("a member's backup handed to another member, or across CLSMs, does not open", async (t) => {
  // The worst case for the server's victim: everyone chose the same passphrase.
  for (const m of [nurse, social]) await backupKeys(sdkFor(url, m), PASSPHRASE, kdf);
  await backupKeys(sdkFor(url, outsider), PASSPHRASE, kdf);
  await copyBackup(nurse, social);
  await t.rejects(recoverIdentity(url, await recoveryCode(coordinator, social), PASSPHRASE), {
    name: 'WrongPassphraseError',
    message: /substituted/,
  });
  await copyBackup(outsider, social);
  await t.rejects(recoverIdentity(url, await recoveryCode(coordinator, social), PASSPHRASE), {
    name: 'WrongPassphraseError',
  });
  // The genuine backup still opens, as the member it belongs to, whose old keys vouch for new ones.
  const identity = await recoverIdentity(url, await recoveryCode(coordinator, nurse), PASSPHRASE);
  t.equal(identity.memberId, nurse.id);
  t.equal(identity.keys.version, 2);
});

/** A server in front of the real one, answering the recovery steps with what `alter` makes of the real answers. */
async function lyingServer(
  alter: (body: Record<string, unknown>) => Record<string, unknown>,
): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      void fetch(`${url}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        body,
      }).then(async (real) => {
        const json = (await real.json()) as Record<string, unknown>;
        res.writeHead(real.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(real.ok ? alter(json) : json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

t.test('a recovery answer naming another member, CLSM or key version does not open', async (t) => {
  await backupKeys(sdkFor(url, doctor), PASSPHRASE, kdf);
  const alterations: Record<string, (b: Record<string, unknown>) => Record<string, unknown>> = {
    'another member': (b) => ({ ...b, memberId: nurse.id }),
    'another CLSM': (b) => ({ ...b, tenantId: elsewhere.clsmId }),
    'another key version': (b) => ({ ...b, keyVersion: 2 }),
  };
  for (const [name, alter] of Object.entries(alterations)) {
    await t.rejects(
      recoverIdentity(await lyingServer(alter), await recoveryCode(coordinator, doctor), PASSPHRASE),
      { name: 'WrongPassphraseError' },
      name,
    );
  }
});

t.test('Argon2id parameters above the ceiling are refused before deriving', async (t) => {
  const costly = {
    'm = 4 GiB': { memlimit: 4 * 1024 * 1024 * 1024 },
    't = 5': { opslimit: 5 },
  };
  for (const [name, change] of Object.entries(costly)) {
    const server = await lyingServer((b) =>
      'kdf' in b ? { ...b, kdf: { ...(b.kdf as object), ...change } } : b,
    );
    await t.rejects(
      recoverIdentity(server, await recoveryCode(coordinator, doctor), PASSPHRASE),
      { name: 'ExcessiveParametersError' },
      `a lying server: ${name}`,
    );
  }
  await t.rejects(
    wrapSecret(new Uint8Array(96), PASSPHRASE, 'test', { opslimit: 5, memlimit: kdf.memlimit }),
    {
      name: 'ExcessiveParametersError',
    },
  );
  const stored = await ta.app.inject({
    method: 'PUT',
    url: '/v1/me/key-backup',
    headers: doctor.headers,
    payload: {
      keyVersion: 1,
      blob: {
        v: 2,
        alg: 'argon2id13+xchacha20poly1305',
        opslimit: 2,
        memlimit: 2 * 1024 * 1024 * 1024,
        salt: 'AA==',
        nonce: 'AA==',
        ciphertext: 'AA==',
      },
      verifier: Buffer.alloc(32).toString('base64'),
    },
  });
  t.equal(stored.statusCode, 400, 'the server does not store a backup above the ceiling either');
});
