import { z } from 'zod';
import { CONSENT_DECISIONS, CONSENT_OBTAINED, EXCEPTION_BASES } from './schema.js';

// The person's consent and the legal exceptions as the API answers: the routes declare these
// schemas and the SDK takes its types from them.

/** A record of the consent history; what only participants bound by secrecy may read is null. */
export const consentRecordSchema = z.object({
  id: z.uuid(),
  decision: z.enum(CONSENT_DECISIONS),
  scope: z.array(z.string()),
  obtained: z.enum(CONSENT_OBTAINED).nullable(),
  statisticsObjection: z.boolean().nullable(),
  evidenceEntryId: z.uuid().nullable(),
  reviewOn: z.string().nullable(),
  recordedBy: z.uuid(),
  recordedAt: z.iso.datetime(),
  /** The second participant who confirmed a change that widened its recorder's own access. */
  confirmedBy: z.uuid().nullable(),
});

/** A consent change waiting for a second participant bound by secrecy (it widens its recorder's access). */
export const consentProposalSchema = z.object({
  id: z.uuid(),
  decision: z.enum(CONSENT_DECISIONS),
  scope: z.array(z.string()),
  obtained: z.enum(CONSENT_OBTAINED),
  statisticsObjection: z.boolean(),
  evidenceEntryId: z.uuid().nullable(),
  reviewOn: z.string().nullable(),
  recordedBy: z.uuid(),
  recordedAt: z.iso.datetime(),
});

/** A legal exception, open or past; its legal ground is null for whom the policy keeps it from. */
export const exceptionSchema = z.object({
  id: z.uuid(),
  basis: z.enum(EXCEPTION_BASES).nullable(),
  scope: z.array(z.string()),
  requestedBy: z.uuid(),
  approvedBy: z.uuid().nullable(),
  approvedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  personInformedAt: z.iso.datetime().nullable(),
  /** The seq of its opening statement in the situation's membership log. */
  logSeq: z.number().int().nullable(),
});

/**
 * A consent change as recorded: `pending` when it widens its recorder's own access and waits for a
 * second participant (then `id` names the proposal, and nothing changed yet).
 */
export const recordedConsentSchema = z.object({
  id: z.uuid(),
  keysRevoked: z.number().int(),
  pending: z.boolean(),
});
