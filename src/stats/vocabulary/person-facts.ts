import type { z } from 'zod';
import { caseFactSchema } from './facts.js';

/**
 * What a client declares about the person of a case, at referral or later: the engine's own schema
 * for these fields, strict (an extra field such as a birth date is refused), problems each once.
 */
export const personFactsSchema = caseFactSchema.pick({
  source: true,
  sex: true,
  ageBand: true,
  housing: true,
  household: true,
  problems: true,
});
export type PersonFacts = z.infer<typeof personFactsSchema>;
