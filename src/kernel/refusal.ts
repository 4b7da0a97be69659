import type { AuditEvent } from './audit-events.js';
import { AppError, type ErrorCode } from './errors.js';

/**
 * A refusal that must be recorded. Thrown out of the refused action's transaction, which rolls back;
 * the HTTP error handler then records its event in a transaction of its own (src/http/problem.ts).
 */
export class AuditedRefusal extends AppError {
  override name = 'AuditedRefusal';
  constructor(
    code: ErrorCode,
    detail: string,
    readonly event: AuditEvent,
  ) {
    super(code, detail);
  }
}
