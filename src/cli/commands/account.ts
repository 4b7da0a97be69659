import { ClsmClient } from '../../client/client.js';
import { backupKeys, recoverIdentity } from '../../client/recovery.js';
import { fingerprint } from '../../crypto/device-keys.js';
import { need, parse, positional, str } from '../args.js';
import { EXIT, type Output } from '../output.js';
import { readPassphrase } from '../passphrase.js';
import { profileDir, saveNewProfile, saveToken } from '../profile.js';
import { openSession } from '../session.js';

export const accountHelp = `clsm enroll --server URL --code CODE [--oidc-token TOKEN]
    Create this device's keys, redeem the one-time code, and store the profile (keys encrypted
    with your passphrase, Argon2id). Prints the CLSM's root fingerprint, your key fingerprint and
    the 4-symbol code to read to the person who invited you, who certifies you with it.
clsm recover --server URL --code CODE
    On a new device, after losing the old one: the coordinator's recovery code and your passphrase
    open your key backup, NEW keys are made and replace the old ones (every session of the old device
    ends), and the profile is stored under the same passphrase. Prints the new fingerprint: read it to
    the coordinator, who certifies it (clsm member certify ID --fingerprint …). Colleagues hand your
    situations' keys over again once it is certified.
clsm login | logout | whoami
clsm keys backup                     Store a backup of your keys on the server, wrapped on this device
    under your profile passphrase (the server can release it only to someone who knows it).
clsm keys fingerprint [MEMBER_ID]    Your fingerprint, or a colleague's as certified in the directory log.`;

export async function enroll(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { code: { type: 'string' }, 'oidc-token': { type: 'string' } });
  const server = str(p, 'server') ?? process.env.CLSM_SERVER;
  const dir = profileDir(str(p, 'profile'));
  const passphrase = await readPassphrase(str(p, 'passphrase-file'), process.env, true);
  const oidcToken = str(p, 'oidc-token');
  const { identity, me, anchor, rootFingerprint, sas } = await ClsmClient.enroll(
    need({ ...p, values: { ...p.values, server } }, 'server'),
    need(p, 'code'),
    oidcToken === undefined ? {} : { oidcToken },
  );
  await saveNewProfile(
    dir,
    {
      server: identity.serverUrl,
      tenantId: identity.clsmId,
      memberId: identity.memberId,
      role: me.role,
      anchor: Buffer.from(anchor).toString('base64'),
    },
    identity.keys,
    passphrase,
  );
  const print = await fingerprint(identity.keys.signPublicKey, identity.keys.boxPublicKey);
  out.result(
    {
      memberId: identity.memberId,
      tenantId: identity.clsmId,
      role: me.role,
      fingerprint: print,
      rootFingerprint,
      sas: sas ?? null,
      profile: dir,
    },
    () => {
      out.say(`Enrolled as ${me.role} (${me.organisation}), member ${identity.memberId}.`);
      out.say(`Your key fingerprint: ${print}`);
      out.say(`The CLSM's root fingerprint: ${rootFingerprint}`);
      if (sas === undefined)
        out.say('This device signed the CLSM root: give its fingerprint to those you invite.');
      else out.say(`Read this code to the person who invited you: ${sas}`);
      out.say(`Profile saved in ${dir}. Next: clsm charter show, then clsm charter accept.`);
    },
  );
  return EXIT.OK;
}

export async function recover(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { code: { type: 'string' } });
  const server = str(p, 'server') ?? process.env.CLSM_SERVER;
  const dir = profileDir(str(p, 'profile'));
  const passphrase = await readPassphrase(str(p, 'passphrase-file'), process.env);
  const identity = await recoverIdentity(
    need({ ...p, values: { ...p.values, server } }, 'server'),
    need(p, 'code'),
    passphrase,
  );
  await saveNewProfile(
    dir,
    {
      server: identity.serverUrl,
      tenantId: identity.clsmId,
      memberId: identity.memberId,
      role: identity.role,
      anchor: Buffer.from(identity.anchor).toString('base64'),
    },
    identity.keys,
    passphrase,
  );
  const print = await fingerprint(identity.keys.signPublicKey, identity.keys.boxPublicKey);
  out.result(
    {
      memberId: identity.memberId,
      tenantId: identity.clsmId,
      keyVersion: identity.keys.version,
      fingerprint: print,
      profile: dir,
    },
    () => {
      out.say(
        `New keys (version ${identity.keys.version}) for member ${identity.memberId}; the old ones are revoked.`,
      );
      out.say(`Your new key fingerprint: ${print}`);
      out.say(`Profile saved in ${dir}. Read the fingerprint to the coordinator, then: clsm login.`);
    },
  );
  return EXIT.OK;
}

export async function keysBackup(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const passphrase = await readPassphrase(str(p, 'passphrase-file'), process.env);
  const session = await openSession(p, process.env, passphrase);
  await backupKeys(session.client, passphrase);
  await session.save();
  const { version } = session.client.identity.keys;
  out.result({ keyVersion: version }, () => {
    out.say(`Backup of your keys (version ${version}) stored on the server, wrapped under your passphrase.`);
  });
  return EXIT.OK;
}

export async function login(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  const token = await session.client.login();
  await session.save();
  out.result({ expiresAt: token.expiresAt.toISOString() }, () => {
    out.say(`Logged in until ${token.expiresAt.toISOString()}.`);
  });
  return EXIT.OK;
}

export async function logout(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  await session.client.logout();
  await saveToken(session.dir, undefined);
  out.result({ loggedOut: true }, () => {
    out.say('Logged out: the session is closed on the server.');
  });
  return EXIT.OK;
}

export async function whoami(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  const me = await session.client.me();
  await session.save();
  out.result(me, () => {
    out.say(`${me.role} of ${me.organisation} — member ${me.memberId}, CLSM ${me.tenantId}`);
    if (!me.charterAccepted)
      out.say(
        'You have not accepted the current charte éthique: clsm charter show, then clsm charter accept.',
      );
  });
  return EXIT.OK;
}

export async function keysFingerprint(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const session = await openSession(p);
  const target = p.positionals[0];
  const keys =
    target === undefined
      ? session.client.identity.keys
      : await session.client.memberKeys(positional(p, 0, 'MEMBER_ID'));
  const print = await fingerprint(keys.signPublicKey, keys.boxPublicKey);
  await session.save();
  out.result({ memberId: target ?? session.client.identity.memberId, fingerprint: print }, () => {
    out.say(print);
  });
  return EXIT.OK;
}
