import type { Caller } from '../access/authorize.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by, type AuditEvent } from '../kernel/audit-events.js';

// Refusals on the key path that are about what was sent, not who sent it: a signature that does not
// verify, a key version that is not the one to use, a key that must be rotated first. Recorded as the
// refused action with outcome `denied` and the code as reason, after the action's rollback, like
// every refusal (docs/adr/0008).

export type KeyRefusalCode = 'BAD_SIGNATURE' | 'KEY_VERSION_MISMATCH' | 'ROTATION_REQUIRED';

type RefusedAction = Pick<AuditEvent, 'type'> &
  Pick<
    Partial<AuditEvent>,
    'caseId' | 'compartment' | 'keyVersion' | 'subjectId' | 'resourceType' | 'resourceId'
  >;

export function keyRefusal(
  caller: Caller,
  code: KeyRefusalCode,
  detail: string,
  action: RefusedAction,
): AuditedRefusal {
  return new AuditedRefusal(code, detail, { ...by(caller), outcome: 'denied', reason: code, ...action });
}
