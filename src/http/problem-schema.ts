import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../kernel/errors.js';

// RFC 9457 problem details: the body of every error of every route (src/http/problem.ts builds
// them). A wire schema: the SDK may read it.

/** One refused field of a 400: its path, why, and the values it accepts when they are a closed list. */
export const fieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
  allowed: z.array(z.string()).optional(),
});

export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    detail: z.string(),
    requestId: z.string(),
    errors: z
      .array(fieldErrorSchema)
      .optional()
      .describe('each refused field, why, and the values it accepts when they are a closed list'),
  })
  .describe('RFC 9457 problem details');

export type Problem = z.infer<typeof problemSchema>;
