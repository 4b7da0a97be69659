import { z } from 'zod';
import {
  ageBandSchema,
  declineReasonSchema,
  decisionSchema,
  delayBandSchema,
  durationBandSchema,
  householdSchema,
  housingSituationSchema,
  outcomeSchema,
  partnerCategorySchema,
  problemCategorySchema,
  referralSourceSchema,
  sexSchema,
} from './categories.js';

// The engine's input: what the `stats` schema holds about a case, and the cellule's activity.
// Objects are strict so that nothing finer than a category or a month (a birth date, an address,
// a day) can slip in through an extra field. No identifier either: the engine only counts.

/** A calendar month, the finest time the statistics ever see. */
export const yearMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');

const uniqueList = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).refine((list) => new Set(list).size === list.length, 'must not repeat a category');

const count = z.number().int().min(0);

/**
 * One referred case, whatever its year: the engine picks, per table, the cases whose month falls in
 * the year of the release. The caller must already have left out every case whose person objected
 * to the statistical use of their situation.
 */
export const caseFactSchema = z.strictObject({
  referredMonth: yearMonthSchema,
  source: referralSourceSchema,
  sex: sexSchema,
  ageBand: ageBandSchema,
  housing: housingSituationSchema,
  household: householdSchema,
  /** As known at referral; may be empty when none was declared. */
  problems: uniqueList(problemCategorySchema),
  /** Present when the cellule declined the referral. */
  declineReason: declineReasonSchema.optional(),
  /** Present once a sitting has examined the case. */
  firstReview: z.strictObject({ month: yearMonthSchema, delay: delayBandSchema }).optional(),
  /** Each category of decision recorded for the case, in the month of the sitting that took it. */
  decisions: z.array(z.strictObject({ month: yearMonthSchema, decision: decisionSchema })),
  /** Present once the case is closed. */
  closure: z
    .strictObject({ month: yearMonthSchema, outcome: outcomeSchema, duration: durationBandSchema })
    .optional(),
});
export type CaseFact = z.infer<typeof caseFactSchema>;

export const attendanceFactSchema = z
  .strictObject({ partner: partnerCategorySchema, expected: count, present: count })
  .refine((a) => a.present <= a.expected, 'present must not exceed expected');
export type AttendanceFact = z.infer<typeof attendanceFactSchema>;

/** The cellule's activity during the year, counted over every case, objections included. */
export const activityFactsSchema = z.strictObject({
  sittingsHeld: count,
  referralsReceived: count,
  /** Seats over the year's sittings, per partner category; a category absent here had none. */
  attendance: z
    .array(attendanceFactSchema)
    .refine(
      (list) => new Set(list.map((a) => a.partner)).size === list.length,
      'must not repeat a partner category',
    ),
});
export type ActivityFacts = z.infer<typeof activityFactsSchema>;

export const releaseInputSchema = z.strictObject({
  year: z.number().int().min(2000).max(9999),
  cases: z.array(caseFactSchema),
  activity: activityFactsSchema,
});
export type ReleaseInput = z.infer<typeof releaseInputSchema>;
