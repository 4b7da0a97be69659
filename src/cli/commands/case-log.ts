import { caseLogHeadOf } from '../../crypto/case-log-state.js';
import type { SignedCaseLogStatement } from '../../crypto/case-log-statements.js';
import { toBase64 } from '../../crypto/encoding.js';
import { parse, positional } from '../args.js';
import { loadDirectory, nameOf, type Directory } from '../directory.js';
import { EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

// A situation's membership log, verified on this device statement by statement (signature, chain,
// who may make each change) and printed one line per statement: who changed what, and when. A log
// that does not follow is refused (CASE_LOG_REFUSED) with the statement and the reason.

export const caseLogHelp = `clsm case log CASE   verify the situation's membership log on this device and print it: who
    was added, narrowed or removed, each key version and its recipients, consent, legal exceptions`;

/** 'memberId:deviceKeyVersion' as a name and the version of their keys. */
const recipient = (directory: Directory, entry: string): string => {
  const [memberId = entry, version] = entry.split(':');
  return `${nameOf(directory, memberId)} keys v${version ?? '?'}`;
};

const listed = (items: readonly string[] | null): string =>
  items === null || items.length === 0 ? 'nothing' : items.join(', ');

/** What a statement changed, in a sentence. */
function describe(s: SignedCaseLogStatement, directory: Directory): string {
  const who = (id: string | null) => (id === null ? '?' : nameOf(directory, id));
  const asked = s.requestedBy === null ? '' : `, as asked by ${who(s.requestedBy)}`;
  switch (s.kind) {
    case 'opened':
      return `referred the situation, taking part in: ${listed(s.compartments)}`;
    case 'added':
      return `added ${who(s.subjectId)} in: ${listed(s.compartments)}${asked}`;
    case 'narrowed':
      return `took ${listed(s.compartments)} from ${who(s.subjectId)}`;
    case 'removed':
      return `removed ${who(s.subjectId)}`;
    case 'key':
      return `made ${listed(s.compartments)} key v${s.keyVersion ?? '?'}, sealed to: ${(s.recipients ?? []).map((r) => recipient(directory, r)).join('; ')}`;
    case 'consent':
      return `recorded the person's consent: ${s.decision ?? '?'} for ${listed(s.scope)}${asked}`;
    case 'exception-opened':
      return `opened a legal exception for ${s.hours ?? '?'} h: ${listed(s.scope)}`;
    case 'exception-approved':
      return `approved the legal exception of statement ${s.ref ?? '?'}`;
    case 'exception-shortened':
      return `shortened the legal exception of statement ${s.ref ?? '?'} to ${s.until ?? '?'}`;
    case 'exception-closed':
      return `closed the legal exception of statement ${s.ref ?? '?'}`;
  }
}

export async function caseLog(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const caseId = positional(p, 0, 'CASE');
  const log = await s.client.caseLogs.current(caseId);
  const directory = await loadDirectory(s.client);
  await s.save();
  const head = caseLogHeadOf(log);
  const statements = log.statements.map((st, i) => ({
    seq: st.seq,
    at: st.at,
    kind: st.kind,
    authorId: st.authorId,
    author: nameOf(directory, st.authorId),
    change: describe(st, directory),
    hash: toBase64(log.hashes[i] ?? new Uint8Array()),
  }));
  const result = {
    caseId,
    verified: true,
    head: head === undefined ? null : { seq: head.seq, hash: toBase64(head.hash) },
    statements,
  };
  out.result(result, () => {
    out.say(
      `Membership log of ${caseId}: ${statements.length} statement(s), each signed by its author and verified on this device.`,
    );
    for (const st of statements)
      out.say(`${String(st.seq).padStart(4)}  ${st.at}  ${st.author}  ${st.change}`);
    if (result.head !== null) out.say(`head: statement ${result.head.seq}, hash ${result.head.hash}`);
  });
  return EXIT.OK;
}
