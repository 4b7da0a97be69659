import type { Migration } from 'kysely';
import * as foundation from './2026112201_foundation.js';
import * as audit from './2026112202_audit.js';
import * as charter from './2026112203_charter.js';
import * as cases from './2026112204_cases.js';
import * as keyBackup from './2026112205_key_backup.js';
import * as stats from './2026112206_stats.js';
import * as consentOrder from './2026112207_consent_order.js';
import * as sittings from './2026112208_sittings.js';
import * as inviteeIds from './2026113001_invitee_ids.js';
import * as statisticsControls from './2026113003_statistics_controls.js';
import * as auditHardening from './2026113004_audit_hardening.js';
import * as accessMetadata from './2026113005_access_metadata.js';
import * as directoryLog from './2026113006_directory_log.js';
import * as fourEyes from './2026113007_four_eyes.js';
import * as deviceRecovery from './2026113008_device_recovery.js';
import * as caseLog from './2026113009_case_log.js';
import * as personSpace from './2026120101_person_space.js';
import * as auditSealer from './2026120201_audit_sealer.js';
import * as auditSealMany from './2026120301_audit_seal_many.js';
import * as auditPreimageInlined from './2026120302_audit_preimage_inlined.js';

// Explicit, ordered list: adding a migration means adding a line here (no directory scanning).
export const migrations: Record<string, Migration> = {
  '2026112201_foundation': foundation,
  '2026112202_audit': audit,
  '2026112203_charter': charter,
  '2026112204_cases': cases,
  '2026112205_key_backup': keyBackup,
  '2026112206_stats': stats,
  '2026112207_consent_order': consentOrder,
  '2026112208_sittings': sittings,
  '2026113001_invitee_ids': inviteeIds,
  '2026113003_statistics_controls': statisticsControls,
  '2026113004_audit_hardening': auditHardening,
  '2026113005_access_metadata': accessMetadata,
  '2026113006_directory_log': directoryLog,
  '2026113007_four_eyes': fourEyes,
  '2026113008_device_recovery': deviceRecovery,
  '2026113009_case_log': caseLog,
  '2026120101_person_space': personSpace,
  '2026120201_audit_sealer': auditSealer,
  '2026120301_audit_seal_many': auditSealMany,
  '2026120302_audit_preimage_inlined': auditPreimageInlined,
};
