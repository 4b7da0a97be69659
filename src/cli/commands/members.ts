import { need, parse } from '../args.js';
import { EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

export const membersHelp = `clsm member invite --role ROLE --org ORGANISATION [--name NAME]   (coordinator) prints a one-time code
clsm member list                                                      the directory, keys checked against your pins
clsm charter show | accept`;

export async function memberInvite(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { role: { type: 'string' }, org: { type: 'string' }, name: { type: 'string' } });
  const session = await openSession(p);
  const org = need(p, 'org');
  const invitation = await session.client.invite(
    need(p, 'role'),
    org,
    typeof p.values.name === 'string' ? p.values.name : org,
  );
  await session.save();
  out.result(invitation, () => {
    out.say(`One-time enrollment code (valid until ${invitation.expiresAt}):`);
    out.say(`    ${invitation.code}`);
    out.say('Hand it over in person or by phone; the new member runs: clsm enroll --server URL --code CODE');
  });
  return EXIT.OK;
}

export async function memberList(argv: string[], out: Output): Promise<number> {
  const session = await openSession(parse(argv));
  const members = await session.client.members();
  await session.save();
  out.result(
    members.map((m) => ({
      id: m.id,
      role: m.role,
      organisation: m.organisation,
      displayName: m.displayName,
      status: m.status,
      keysRefused: m.keysRefused?.message ?? null,
    })),
    () => {
      for (const m of members) {
        out.say(
          `${m.id}  ${m.role.padEnd(20)} ${m.organisation} — ${m.displayName}${m.status === 'active' ? '' : ' (suspended)'}`,
        );
        // Nothing is sealed to such a member: say why, so that someone checks with them.
        if (m.keysRefused !== undefined) out.say(`    keys refused: ${m.keysRefused.message}`);
      }
    },
  );
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
