import { z } from 'zod';
import type { TimelineEntry } from './case-wire.js';

// What the person's own space holds: the entries of the `person` compartment, written by the
// participants for the person (a summary in plain words, the decisions that concern them) and by
// the person (their own view, their answer to a decision). Like the plan (plan.ts), each entry's
// type is inside the ciphertext: the server sees one more entry of the compartment, nothing else.
// A decision shared with the person names the sitting's decision it explains, so that the
// person's answer can also record their adhesion to it (sittings.adhesion).

export const PERSON_SUMMARY_TYPE = 'clsm.person.summary';
export const PERSON_DECISION_TYPE = 'clsm.person.decision';
export const PERSON_STATEMENT_TYPE = 'clsm.person.statement';
export const PERSON_ANSWER_TYPE = 'clsm.person.answer';

const text = (max: number) => z.string().trim().min(1).max(max);

export const summarySchema = z.object({ text: text(8000) });
export const sharedDecisionSchema = z.object({
  decisionId: z.uuid(),
  decidedOn: z.iso.date(),
  text: text(4000),
});
export const statementSchema = z.object({ text: text(8000) });
export const answerSchema = z.object({
  decisionId: z.uuid(),
  adhesion: z.enum(['agrees', 'disagrees']),
  // The person may answer without words: agreeing needs none.
  words: z.string().trim().max(4000),
});

export type Summary = z.output<typeof summarySchema>;
export type SharedDecision = z.output<typeof sharedDecisionSchema>;
export type Statement = z.output<typeof statementSchema>;
export type Answer = z.output<typeof answerSchema>;

const envelope = <T extends string, S extends z.ZodType>(type: T, content: S) =>
  z.object({ type: z.literal(type), version: z.literal(1), content });

const FORMATS = {
  [PERSON_SUMMARY_TYPE]: envelope(PERSON_SUMMARY_TYPE, summarySchema),
  [PERSON_DECISION_TYPE]: envelope(PERSON_DECISION_TYPE, sharedDecisionSchema),
  [PERSON_STATEMENT_TYPE]: envelope(PERSON_STATEMENT_TYPE, statementSchema),
  [PERSON_ANSWER_TYPE]: envelope(PERSON_ANSWER_TYPE, answerSchema),
} as const;
type PersonType = keyof typeof FORMATS;

function encode<T extends PersonType>(type: T, content: z.input<(typeof FORMATS)[T]>['content']): Uint8Array {
  const checked: unknown = FORMATS[type].parse({ type, version: 1, content });
  return new TextEncoder().encode(JSON.stringify(checked));
}

/** Plaintexts ready for `cases.write(caseId, 'person', …)`; each refuses content the format does not allow. */
export const encodeSummary = (summary: Summary) => encode(PERSON_SUMMARY_TYPE, summary);
export const encodeSharedDecision = (decision: SharedDecision) => encode(PERSON_DECISION_TYPE, decision);
export const encodeStatement = (statement: Statement) => encode(PERSON_STATEMENT_TYPE, statement);
export const encodeAnswer = (answer: Answer) => encode(PERSON_ANSWER_TYPE, answer);

/** Who wrote an entry of the space, and when. */
export interface Written<T> {
  entryId: string;
  authorId: string;
  createdAt: string;
  content: T;
}

export interface PersonSpace {
  summaries: Written<Summary>[];
  /** Each decision once (its latest wording), with the person's latest answer to it. */
  decisions: (Written<SharedDecision> & { answer: Written<Answer> | undefined })[];
  statements: Written<Statement>[];
  /** Entries of a known type whose content does not match its format: said, never shown. */
  malformed: Omit<Written<unknown>, 'content'>[];
  /** Entries this device cannot show (no key for their version, or their signature does not verify). */
  withheld: number;
  /**
   * Answers and statements signed by someone who is not the person (a professional holds the
   * compartment's key too): never passed on as the person's words.
   */
  notTheirs: Omit<Written<unknown>, 'content'>[];
}

type Parsed =
  | { type: typeof PERSON_SUMMARY_TYPE; content: Summary }
  | { type: typeof PERSON_DECISION_TYPE; content: SharedDecision }
  | { type: typeof PERSON_STATEMENT_TYPE; content: Statement }
  | { type: typeof PERSON_ANSWER_TYPE; content: Answer };

function isPersonType(value: unknown): value is PersonType {
  return typeof value === 'string' && Object.hasOwn(FORMATS, value);
}

/** The entry's content: parsed, malformed, or not an entry of the space (a plain note). */
function parse(plaintext: Uint8Array): Parsed | 'malformed' | undefined {
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    return undefined;
  }
  const type =
    typeof content === 'object' && content !== null && 'type' in content ? content.type : undefined;
  if (!isPersonType(type)) return undefined;
  const parsed = FORMATS[type].safeParse(content);
  return parsed.success ? parsed.data : 'malformed';
}

/**
 * The person's space read from the `person` compartment's timeline (oldest first); lists oldest
 * first. `isPerson` says whether an author is the person: only their answers and statements count.
 */
export function readPersonSpace(
  entries: readonly TimelineEntry[],
  isPerson: (authorId: string) => boolean,
): PersonSpace {
  const space: PersonSpace = {
    summaries: [],
    decisions: [],
    statements: [],
    malformed: [],
    withheld: 0,
    notTheirs: [],
  };
  const decisions = new Map<string, PersonSpace['decisions'][number]>();
  const answers = new Map<string, Written<Answer>>();
  for (const entry of entries) {
    if (entry.state !== 'verified') {
      space.withheld += 1;
      continue;
    }
    const meta = { entryId: entry.id, authorId: entry.authorId, createdAt: entry.createdAt };
    const parsed = parse(entry.plaintext);
    if (parsed === undefined) continue;
    if (parsed === 'malformed') {
      space.malformed.push(meta);
      continue;
    }
    const theirs = parsed.type === PERSON_STATEMENT_TYPE || parsed.type === PERSON_ANSWER_TYPE;
    if (theirs && !isPerson(entry.authorId)) {
      space.notTheirs.push(meta);
      continue;
    }
    switch (parsed.type) {
      case PERSON_SUMMARY_TYPE:
        space.summaries.push({ ...meta, content: parsed.content });
        break;
      case PERSON_STATEMENT_TYPE:
        space.statements.push({ ...meta, content: parsed.content });
        break;
      case PERSON_DECISION_TYPE: {
        // Shared again (reworded): the decision keeps its place, with the newer words.
        const earlier = decisions.get(parsed.content.decisionId);
        decisions.set(parsed.content.decisionId, {
          ...meta,
          createdAt: earlier?.createdAt ?? meta.createdAt,
          content: parsed.content,
          answer: undefined,
        });
        break;
      }
      case PERSON_ANSWER_TYPE:
        answers.set(parsed.content.decisionId, { ...meta, content: parsed.content });
        break;
    }
  }
  space.decisions = [...decisions.values()].map((d) => ({ ...d, answer: answers.get(d.content.decisionId) }));
  return space;
}
