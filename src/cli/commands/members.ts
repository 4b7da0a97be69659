import { need, parse, positional, str } from '../args.js';
import { loadDirectory } from '../directory.js';
import { EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

export const membersHelp = `clsm member invite --role ROLE --org ORGANISATION [--name NAME] [--partner-category C]
    (coordinator) prints a one-time code made on this device; --partner-category: the institution a partner sits for
clsm member certify MEMBER_ID --sas CODE | --fingerprint "XXXX …"
    (coordinator) certify the keys a member registered, once the code they read out (or their
    whole fingerprint, compared in person or by phone) matches; after a recovery, --fingerprint
    certifies their new device keys
clsm member recovery-code MEMBER_ID  (coordinator) a one-time code for a member replacing a lost or stolen
    device: check who is asking, as for an enrollment; alone it opens nothing without their passphrase
clsm member suspend | reinstate MEMBER_ID     (coordinator) a signed statement in the directory log
clsm member role MEMBER_ID --role ROLE        (coordinator) a signed role change
clsm member verify MEMBER_ID         the member's chain of certificates from the CLSM root, with fingerprints
clsm member list                     the directory as its verified log vouches for it, with fingerprints
clsm charter show | accept`;

export async function memberInvite(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, {
    role: { type: 'string' },
    org: { type: 'string' },
    name: { type: 'string' },
    'partner-category': { type: 'string' },
  });
  const session = await openSession(p);
  const org = need(p, 'org');
  const invitation = await session.client.invite(
    need(p, 'role'),
    org,
    str(p, 'name') ?? org,
    str(p, 'partner-category'),
  );
  await session.save();
  out.result(invitation, () => {
    out.say(`One-time enrollment code (valid until ${invitation.expiresAt}):`);
    out.say(`    ${invitation.code}`);
    out.say(
      `Hand it over in person or by phone; the new member runs: clsm enroll --server ${session.client.identity.serverUrl} --code CODE`,
    );
    out.say(
      `They will read you a 4-symbol code; then: clsm member certify ${invitation.memberId} --sas CODE`,
    );
  });
  return EXIT.OK;
}

export async function memberRecoveryCode(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const session = await openSession(p);
  const memberId = positional(p, 0, 'MEMBER_ID');
  const issued = await session.client.directoryWriter.recoveryCode(memberId);
  await session.save();
  out.result(issued, () => {
    out.say(`One-time recovery code (valid until ${issued.expiresAt}):`);
    out.say(`    ${issued.code}`);
    out.say(
      `Hand it over in person or by phone; on the new device the member runs: clsm recover --server ${session.client.identity.serverUrl} --code CODE`,
    );
  });
  return EXIT.OK;
}

export async function memberList(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  const directory = await loadDirectory(session.client);
  await session.save();
  const rows = [...directory.values()].map((c) => ({
    id: c.id,
    role: c.role,
    organisation: c.organisation,
    displayName: c.displayName,
    status: c.status,
    fingerprint: c.fingerprint ?? null,
    keysRefused: c.keysRefused ?? null,
  }));
  out.result(rows, () => {
    for (const m of rows) {
      out.say(
        `${m.displayName} — ${m.role}, ${m.organisation}${m.status === 'active' ? '' : ' (suspended)'}  ${m.id}`,
      );
      if (m.fingerprint !== null) out.say(`    fingerprint ${m.fingerprint}`);
      // Nothing is sealed to such a member: say why, so that someone checks with them.
      if (m.keysRefused !== null) out.say(`    keys refused: ${m.keysRefused}`);
    }
  });
  return EXIT.OK;
}

export async function charterShow(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  const charter = await session.client.charter();
  await session.save();
  out.result(charter, () => {
    out.say(charter.text);
    out.say(
      charter.accepted
        ? `(version ${charter.version}: accepted)`
        : `(version ${charter.version}: not accepted yet — clsm charter accept)`,
    );
  });
  return EXIT.OK;
}

export async function charterAccept(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  const charter = await session.client.charter();
  await session.client.acceptCharter(charter.version);
  await session.save();
  out.result({ accepted: charter.version }, () => {
    out.say(`You accepted version ${charter.version} of the charte éthique.`);
  });
  return EXIT.OK;
}
