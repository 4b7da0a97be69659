import type { AuditTables } from '../audit/schema.js';
import type { AuthTables } from '../auth/schema.js';
import type { CaseTables } from '../cases/schema.js';
import type { CharterTables } from '../charter/schema.js';
import type { ConsentTables } from '../consent/schema.js';
import type { EntryTables } from '../entries/schema.js';
import type { KeyTables } from '../keys/schema.js';
import type { MemberTables } from '../members/schema.js';
import type { SittingTables } from '../sittings/schema.js';
import type { StatsTables } from '../stats/schema.js';
import type { ClsmTables } from '../clsms/schema.js';
import type { DirectoryTables } from '../directory/schema.js';
import type { CaseLogTables } from '../case-log/schema.js';

/** The whole database as Kysely sees it: each domain owns its tables' types. */
export type Database = ClsmTables &
  MemberTables &
  DirectoryTables &
  AuthTables &
  AuditTables &
  CharterTables &
  CaseTables &
  CaseLogTables &
  KeyTables &
  EntryTables &
  ConsentTables &
  SittingTables &
  StatsTables;
