import { need, parse, positional, str } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

// A coordinator's signed statements in the CLSM's directory log, and the chain any member can check.

export async function memberCertify(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { sas: { type: 'string' }, fingerprint: { type: 'string' } });
  const session = await openSession(p);
  const memberId = positional(p, 0, 'MEMBER_ID');
  const sas = str(p, 'sas');
  const print = str(p, 'fingerprint');
  if ((sas === undefined) === (print === undefined))
    throw new CliError('give either --sas CODE or --fingerprint "…"', EXIT.USAGE, 'USAGE');
  await session.client.directoryWriter.certify(
    memberId,
    sas === undefined ? { fingerprint: print ?? '' } : { sas },
  );
  await session.save();
  out.result({ memberId, certified: true }, () => {
    out.say(`Member ${memberId} certified: their keys are now trusted by every colleague's device.`);
  });
  return EXIT.OK;
}

async function statement(
  argv: string[],
  out: Output,
  kind: 'suspend' | 'reinstate' | 'role',
): Promise<number> {
  const p = parse(argv, kind === 'role' ? { role: { type: 'string' } } : {});
  const session = await openSession(p);
  const memberId = positional(p, 0, 'MEMBER_ID');
  const w = session.client.directoryWriter;
  if (kind === 'suspend') await w.suspend(memberId);
  else if (kind === 'reinstate') await w.reinstate(memberId);
  else await w.setRole(memberId, need(p, 'role'));
  await session.save();
  const done = { suspend: 'suspended', reinstate: 'reinstated', role: `now ${str(p, 'role') ?? ''}` }[kind];
  out.result({ memberId, [kind]: true }, () => {
    out.say(`Member ${memberId} ${done} (a statement you signed, in the directory log).`);
  });
  return EXIT.OK;
}

export const memberSuspend = (argv: string[], out: Output) => statement(argv, out, 'suspend');
export const memberReinstate = (argv: string[], out: Output) => statement(argv, out, 'reinstate');
export const memberRole = (argv: string[], out: Output) => statement(argv, out, 'role');

export async function memberVerify(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const session = await openSession(p);
  const chain = await session.client.directoryWriter.chain(positional(p, 0, 'MEMBER_ID'));
  await session.save();
  out.result(chain, () => {
    chain.forEach((m, i) => {
      const what = i === 0 ? 'root' : `certified by the one above (statement ${m.seq})`;
      out.say(
        `${'  '.repeat(i)}${m.displayName} — ${m.role}${m.status === 'active' ? '' : ' (suspended)'}  ${m.id}`,
      );
      out.say(`${'  '.repeat(i)}    fingerprint ${m.fingerprint}  ${what}`);
    });
  });
  return EXIT.OK;
}
