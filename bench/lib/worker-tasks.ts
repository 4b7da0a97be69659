import { measureAuditAppend } from '../scenarios/audit-append.js';
import { measureAuditVerify } from '../scenarios/audit-verify.js';
import { measureAuthorization } from '../scenarios/authorization.js';
import { measureCaseLogVerify } from '../scenarios/case-log-verify.js';
import { measureClientCrypto } from '../scenarios/client-crypto.js';
import { measureStatsRelease } from '../scenarios/stats-release.js';

// What a measurement process can be asked to run (bench/lib/worker-main.ts).

export const TASKS = {
  'audit-append': measureAuditAppend,
  'audit-verify': measureAuditVerify,
  authorization: measureAuthorization,
  'client-crypto': measureClientCrypto,
  'case-log-verify': measureCaseLogVerify,
  'stats-release': measureStatsRelease,
};

export type Tasks = typeof TASKS;
