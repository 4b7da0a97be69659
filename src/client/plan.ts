import { z } from 'zod';
import type { TimelineEntry } from './case-wire.js';

// The situation's plan, shaped like the HAS's plan personnalisé de coordination en santé (PPCS):
// the référent, the problems and the person's own wishes, shared objectives, actions (what, who,
// when) and the next review. A plan is an ordinary entry of the synthesis: its type is inside the
// ciphertext, so the server learns nothing it did not already know. The latest plan entry is the
// plan in force; earlier ones are its history.

export const PLAN_TYPE = 'clsm.plan';

const text = (max: number) => z.string().trim().max(max);
const day = z.iso.date();

export const planActionSchema = z.object({
  what: text(500).min(1),
  who: text(200).min(1),
  when: day,
});

export const planSchema = z.object({
  referent: text(200).min(1),
  problems: text(4000),
  wishes: text(4000),
  objectives: z.array(text(500).min(1)).max(30),
  actions: z.array(planActionSchema).max(50),
  nextReview: day,
});

export type Plan = z.output<typeof planSchema>;
export type PlanAction = z.output<typeof planActionSchema>;

/** What a plan entry holds, decrypted: the type, the format's version, the plan. */
const planEntrySchema = z.object({ type: z.literal(PLAN_TYPE), version: z.literal(1), plan: planSchema });

/** A plan's plaintext, ready for `cases.write(caseId, 'synthesis', …)`. */
export function encodePlan(plan: Plan): Uint8Array {
  const content: z.input<typeof planEntrySchema> = {
    type: PLAN_TYPE,
    version: 1,
    plan: planSchema.parse(plan),
  };
  return new TextEncoder().encode(JSON.stringify(content));
}

/** A plan entry as read: its plan, or `malformed` when its content does not match the format. */
export type PlanVersion = {
  entryId: string;
  authorId: string;
  createdAt: string;
} & ({ state: 'valid'; plan: Plan } | { state: 'malformed' });

function typeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'type' in value ? value.type : undefined;
}

/** The entry's plan version, or undefined when the entry is not a plan (a note, or withheld). */
export function planVersionOf(entry: TimelineEntry): PlanVersion | undefined {
  if (entry.state !== 'verified') return undefined;
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder().decode(entry.plaintext));
  } catch {
    return undefined;
  }
  if (typeOf(content) !== PLAN_TYPE) return undefined;
  const meta = { entryId: entry.id, authorId: entry.authorId, createdAt: entry.createdAt };
  const parsed = planEntrySchema.safeParse(content);
  return parsed.success
    ? { ...meta, state: 'valid', plan: parsed.data.plan }
    : { ...meta, state: 'malformed' };
}

/** The plan versions of a compartment's timeline (oldest first): the last is the plan in force. */
export function planVersions(entries: readonly TimelineEntry[]): PlanVersion[] {
  return entries.map(planVersionOf).filter((v) => v !== undefined);
}
