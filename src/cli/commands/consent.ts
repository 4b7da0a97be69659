import { readFile } from 'node:fs/promises';
import { need, parse, positional, str } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

export const consentHelp = `clsm consent record CASE --decision given|refused --obtained oral|written|legal_representative
                   [--scope partner:synthesis,social_worker:health] [--evidence-file FILE] [--statistics-objection]
clsm consent withdraw CASE --obtained oral|written|legal_representative | consent show CASE
clsm consent pending CASE | confirm CASE PROPOSAL | refuse CASE PROPOSAL   a change widening its recorder's access
clsm exception open CASE --basis danger_grave_imminent|unable_to_express_will|legal_representative
                   --scope S --justification-file FILE [--hours N]
clsm exception approve|close|inform CASE EXCEPTION`;

const list = (v: string | undefined) =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export async function consentRecord(argv: string[], out: Output, withdraw = false): Promise<number> {
  const p = parse(argv, {
    decision: { type: 'string' },
    obtained: { type: 'string' },
    scope: { type: 'string' },
    'evidence-file': { type: 'string' },
    'statistics-objection': { type: 'boolean' },
  });
  const decision = withdraw ? 'withdrawn' : need(p, 'decision');
  if (!['given', 'refused', 'withdrawn'].includes(decision))
    throw new CliError('--decision must be given or refused', EXIT.USAGE, 'USAGE');
  const evidenceFile = str(p, 'evidence-file');
  const s = await openSession(p);
  const recorded = await s.client.consent.record(positional(p, 0, 'CASE'), {
    decision: decision as 'given',
    scope: list(str(p, 'scope')),
    obtained: need(p, 'obtained') as 'oral',
    statisticsObjection: p.values['statistics-objection'] === true,
    ...(evidenceFile === undefined ? {} : { evidence: new Uint8Array(await readFile(evidenceFile)) }),
  });
  await s.save();
  out.result(recorded, () => {
    if (recorded.pending) {
      out.say(`Consent ${decision} proposed (${recorded.id}): it widens what your own role may read.`);
      out.say(
        'Nothing changes until a participant bound by secrecy confirms it: clsm consent confirm CASE PROPOSAL.',
      );
      return;
    }
    out.say(`Consent ${decision} recorded (${recorded.id}).`);
    if (recorded.keysRevoked > 0)
      out.say(
        `${recorded.keysRevoked} key(s) withdrawn from members it no longer covers; those compartments will be rotated.`,
      );
  });
  return EXIT.OK;
}

export async function consentShow(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const { records } = await s.client.consent.history(positional(p, 0, 'CASE'));
  await s.save();
  out.result(records, () => {
    if (records.length === 0) out.say('No consent recorded.');
    for (const r of records)
      out.say(
        `${r.recordedAt} ${r.decision.padEnd(9)} ${r.obtained === null ? '' : `(${r.obtained}) `}${r.scope.join(', ')}`,
      );
  });
  return EXIT.OK;
}

export async function consentPending(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const proposals = await s.client.consent.proposals(positional(p, 0, 'CASE'));
  await s.save();
  out.result(proposals, () => {
    if (proposals.length === 0) out.say('No consent change waits for confirmation.');
    for (const r of proposals)
      out.say(
        `${r.id} ${r.recordedAt} ${r.decision} (${r.obtained}) ${r.scope.join(', ')}, by ${r.recordedBy}`,
      );
  });
  return EXIT.OK;
}

export function consentDecide(decision: 'confirm' | 'refuse') {
  return async (argv: string[], out: Output): Promise<number> => {
    const p = parse(argv);
    const s = await openSession(p);
    const recorded = await s.client.consent.decideProposal(
      positional(p, 0, 'CASE'),
      positional(p, 1, 'PROPOSAL'),
      decision,
    );
    await s.save();
    out.result(recorded ?? { refused: true }, () => {
      out.say(
        recorded === undefined
          ? 'Consent change turned down: the consent in force is unchanged.'
          : `Consent change confirmed: it is the person's consent from now on (${recorded.id}).`,
      );
    });
    return EXIT.OK;
  };
}

export async function exceptionOpen(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, {
    basis: { type: 'string' },
    scope: { type: 'string' },
    'justification-file': { type: 'string' },
    hours: { type: 'string' },
  });
  const justification = new Uint8Array(await readFile(need(p, 'justification-file')));
  const s = await openSession(p);
  const hours = str(p, 'hours');
  const id = await s.client.consent.openException(
    positional(p, 0, 'CASE'),
    need(p, 'basis') as 'danger_grave_imminent',
    list(str(p, 'scope')),
    justification,
    hours === undefined ? undefined : Number(hours),
  );
  await s.save();
  out.result({ id }, () => {
    out.say(
      `Exception ${id} requested. A second person (coordinator or health professional) must approve it: clsm exception approve CASE ${id}`,
    );
  });
  return EXIT.OK;
}

export function exceptionStep(step: 'approve' | 'close' | 'inform') {
  return async (argv: string[], out: Output): Promise<number> => {
    const p = parse(argv);
    const s = await openSession(p);
    await s.client.consent.exceptionStep(positional(p, 0, 'CASE'), positional(p, 1, 'EXCEPTION'), step);
    await s.save();
    out.result({ [step]: true }, () => {
      out.say(
        step === 'approve'
          ? 'Exception approved: its time box starts now.'
          : step === 'close'
            ? 'Exception closed: the access it gave ends now.'
            : 'Recorded: the person was informed.',
      );
    });
    return EXIT.OK;
  };
}
