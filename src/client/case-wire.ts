import type { z } from 'zod';
import type { accessReportSchema, situationFoundSchema } from '../access-report/wire-schema.js';
import type {
  caseListItemSchema,
  caseViewSchema,
  participantRequestSchema,
  pendingAdditionSchema,
  referredSchema,
  transitionedSchema,
} from '../cases/wire-schema.js';
import type { compartmentPageSchema, entrySchema, grantSchema } from '../entries/wire-schema.js';

// A situation and its entries as the SDK hands them over, and as the server sends them: the wire
// types are those of the routes' own response schemas.

export type { Compartment } from '../kernel/compartments.js';

export type CaseView = z.output<typeof caseViewSchema>;
export type CaseListItem = z.output<typeof caseListItemSchema>;
export type Referred = z.output<typeof referredSchema>;
export type Transitioned = z.output<typeof transitionedSchema>;
export type PendingAddition = z.output<typeof pendingAdditionSchema>;
export type ParticipantRequest = z.output<typeof participantRequestSchema>;
export type WireEntry = z.output<typeof entrySchema>;
export type WireGrant = z.output<typeof grantSchema>;
export type CompartmentPage = z.output<typeof compartmentPageSchema>;
export type AccessReport = z.output<typeof accessReportSchema>;
export type SituationFound = z.output<typeof situationFoundSchema>;

export interface PlainEntry {
  id: string;
  kind: string;
  authorId: string;
  refersTo: string | null;
  keyVersion: number;
  createdAt: string;
  plaintext: Uint8Array;
}

/**
 * An entry of a timeline: verified and decrypted, or withheld with why — `no-key`: this device never
 * held its key version (it joined after a rotation, or a grant is missing); `not-verified`: its
 * signature, its context or its author's keys do not check out, or the grant of its key came from a
 * member who may not hold it (UntrustedGrantError). A withheld entry shows no content.
 */
export type TimelineEntry =
  | ({ state: 'verified' } & PlainEntry)
  | ({ state: 'withheld'; reason: 'no-key' | 'not-verified' } & Omit<PlainEntry, 'plaintext'>);
