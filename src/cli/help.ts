import { COMPARTMENTS } from '../kernel/compartments.js';
import { URGENCIES } from '../cases/schema.js';
import { ROLES } from '../kernel/roles.js';
import { ADHESION, ATTENDANCE } from '../sittings/schema.js';
import {
  DECISIONS,
  DECLINE_REASONS,
  OUTCOMES,
  PARTNER_CATEGORIES,
  PROBLEMS,
} from '../stats/vocabulary/categories.js';

// The closed lists the API accepts, printed by `clsm help` and `clsm COMMAND --help`, so that
// nobody has to guess a category and read a refusal to learn it.

const VALUES = {
  reason: ['case refer --reason (referral reason)', PROBLEMS],
  urgency: ['case refer --urgency', URGENCIES],
  decline: ['case decline --reason', DECLINE_REASONS],
  outcome: ['case close --outcome', OUTCOMES],
  compartment: ['--compartment / --compartments', COMPARTMENTS],
  decision: ['sitting decide --category (decision category)', DECISIONS],
  adhesion: ["sitting decide --adhesion (the person's)", ADHESION],
  attendance: ['sitting attend', ATTENDANCE],
  role: ['member invite --role, consent --scope ROLE:COMPARTMENT', ROLES],
  partner: ['member invite --partner-category (partners)', PARTNER_CATEGORIES],
} as const satisfies Record<string, readonly [string, readonly string[]]>;

type ValueList = keyof typeof VALUES;

/** Which lists each command takes. */
const COMMAND_VALUES: Record<string, ValueList[]> = {
  case: ['reason', 'urgency', 'decline', 'outcome', 'compartment'],
  participant: ['compartment'],
  entry: ['compartment'],
  grant: ['compartment'],
  revoke: ['compartment'],
  sitting: ['decision', 'adhesion', 'attendance'],
  member: ['role', 'partner'],
  consent: ['role', 'compartment'],
  exception: ['role', 'compartment'],
};

function valuesText(lists: readonly ValueList[]): string {
  return lists.map((k) => `  ${VALUES[k][0]}:\n      ${VALUES[k][1].join(', ')}`).join('\n');
}

export const allValuesHelp = `Accepted values:\n${valuesText(Object.keys(VALUES) as ValueList[])}`;

/** The usage lines of one command (with their continuation lines) and the values it takes. */
export function commandHelp(usage: string, globalOptions: string, name: string, sub?: string): string {
  const blocks: string[][] = [];
  for (const line of usage.split('\n')) {
    if (line.startsWith('clsm ')) blocks.push([line]);
    else if (/^\s/.test(line)) blocks.at(-1)?.push(line);
  }
  // `clsm login | logout | whoami`: a line may give the usage of several commands.
  const ofCommand = blocks.filter(
    (b) => b[0]?.startsWith(`clsm ${name} `) === true || b[0]?.includes(`| ${name}`) === true,
  );
  const ofSub =
    sub === undefined ? [] : ofCommand.filter((b) => b[0]?.split(/[\s|]+/).includes(sub) ?? false);
  const shown = (ofSub.length > 0 ? ofSub : ofCommand).map((b) => b.join('\n')).join('\n');
  const lists = COMMAND_VALUES[name] ?? [];
  return `${shown}\n\n${globalOptions}\n${lists.length === 0 ? '' : `\nAccepted values:\n${valuesText(lists)}\n`}`;
}
