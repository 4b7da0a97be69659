import { z } from 'zod';

// The access report as the API answers it: the route declares this schema, and the SDK takes its
// type from it. Only zod here, so that the browser's SDK can read the type without the server's code.

export const accessReportSchema = z.object({
  reference: z.string(),
  lines: z.array(
    z.object({
      at: z.iso.datetime(),
      type: z.string(),
      outcome: z.string(),
      action: z.string().nullable(),
      compartment: z.string().nullable(),
      memberId: z.uuid().nullable(),
      role: z.string().nullable(),
      displayName: z.string().nullable(),
      organisation: z.string().nullable(),
      legalBasis: z.string().nullable(),
      legalBasisId: z.uuid().nullable(),
    }),
  ),
});

/** A situation's reference as participants see it: the year, then its number in that year. */
export const referenceParams = z.strictObject({ reference: z.string().regex(/^[0-9]{4}-[0-9]{4,9}$/) });

export const situationFoundSchema = z.object({ id: z.uuid(), reference: z.string() });
