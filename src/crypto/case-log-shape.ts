import {
  CASE_LOG_KINDS,
  KIND_FIELDS,
  OPTIONAL_FIELDS,
  type SignedCaseLogStatement,
} from './case-log-statements.js';

// The shape a membership log statement of each kind has: the fields it carries and no other, one
// compartment where it names one, hours from 1, a 64-byte signature, a time that is a date.

const FIELDS = [
  'subjectId',
  'compartments',
  'keyVersion',
  'recipients',
  'decision',
  'scope',
  'hours',
  'until',
  'ref',
  'requestedBy',
] as const;

/** What is wrong with a statement's shape, if anything (refused as its reason says). */
export function shapeProblem(
  e: SignedCaseLogStatement,
): { reason: 'MALFORMED' | 'BAD_SIGNATURE'; detail: string } | undefined {
  const malformed = (detail: string) => ({ reason: 'MALFORMED' as const, detail });
  if (!(CASE_LOG_KINDS as readonly string[]).includes(e.kind)) return malformed('unknown kind');
  const wanted = KIND_FIELDS[e.kind];
  for (const field of FIELDS)
    if (
      (e[field] !== null) !== wanted.includes(field) &&
      !(OPTIONAL_FIELDS.includes(field) && e[field] === null)
    )
      return malformed(`a ${e.kind} statement ${e[field] === null ? 'needs a' : 'carries no'} ${field}`);
  if (['narrowed', 'key'].includes(e.kind) && e.compartments?.length !== 1)
    return malformed('it names one compartment');
  if (e.hours !== null && (!Number.isSafeInteger(e.hours) || e.hours < 1))
    return malformed('hours count from 1');
  if (e.signature.length !== 64) return { reason: 'BAD_SIGNATURE', detail: 'a signature is 64 bytes' };
  if (Number.isNaN(Date.parse(e.at))) return malformed('its time is not a date');
  return undefined;
}
