import { z } from 'zod';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { roleSchema } from '../kernel/roles.js';
import { CASE_STATUSES, URGENCIES } from './schema.js';

// A situation as the API answers it: the routes declare these schemas, and the SDK takes its types
// from them. Only zod and plain constants here, so that the browser's SDK can read the types
// without the server's code.

const compartment = z.enum(COMPARTMENTS);
const status = z.enum(CASE_STATUSES);

/** A situation just referred. */
export const referredSchema = z.object({ id: z.uuid(), reference: z.string() });

/** A situation's status after a step of its lifecycle. */
export const transitionedSchema = z.object({ status });

/** A line of the situations list: references and status only. */
export const caseListItemSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  status,
  urgency: z.enum(URGENCIES),
  referredAt: z.iso.datetime(),
  /** The earliest planned sitting, from now on, with this situation on its agenda. */
  nextSittingAt: z.iso.datetime().nullable(),
});

export const caseViewSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  status,
  urgency: z.enum(URGENCIES),
  reasonCategory: z.string().nullable(),
  referredBy: z.uuid(),
  referredAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  declineReason: z.string().nullable(),
  outcome: z.string().nullable(),
  retentionUntil: z.iso.datetime().nullable(),
  history: z.array(
    z.object({
      seq: z.number().int(),
      from: status.nullable(),
      to: status,
      category: z.string().nullable(),
      memberId: z.uuid(),
      at: z.iso.datetime(),
    }),
  ),
  participants: z.array(
    z.object({
      memberId: z.uuid(),
      role: roleSchema,
      compartments: z.array(compartment),
      /** Who added them (shown before keys are handed over to them). */
      addedBy: z.uuid(),
    }),
  ),
  compartments: z.array(
    z.object({
      name: compartment,
      keyVersion: z.number().int(),
      rotationRequired: z.boolean(),
      readable: z.boolean(),
      holdsKey: z.boolean(),
    }),
  ),
  pendingGrants: z.array(z.object({ compartment, keyVersion: z.number().int(), memberId: z.uuid() })),
  consent: z.object({ id: z.uuid(), decision: z.string(), scope: z.array(z.string()) }).nullable(),
  exceptions: z.array(z.object({ id: z.uuid(), scope: z.array(z.string()) })),
});

/** An addition that waits for a second participant bound by secrecy: `requestId` names it. */
export const pendingAdditionSchema = z.object({ requestId: z.uuid() });

/** A pending addition: who would take part, with which need-to-know, asked by whom and when. */
export const participantRequestSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  compartments: z.array(compartment),
  requestedBy: z.uuid(),
  requestedAt: z.iso.datetime(),
});
