import type { Output } from '../output.js';
import { openSession } from '../session.js';
import { parse } from '../args.js';
import {
  accountHelp,
  enroll,
  keysBackup,
  keysFingerprint,
  login,
  logout,
  recover,
  whoami,
} from './account.js';
import { adminHelp, keygen, clsmCreate } from './admin.js';
import { auditCheckpoints, auditHelp, auditVerify } from './audit.js';
import {
  charterAccept,
  charterShow,
  memberInvite,
  memberList,
  memberRecoveryCode,
  membersHelp,
} from './members.js';
import { memberCertify, memberReinstate, memberRole, memberSuspend, memberVerify } from './certification.js';
import {
  caseList,
  caseInvitePerson,
  caseRefer,
  caseRotate,
  caseShow,
  casesHelp,
  caseTransition,
  participantAdd,
  participantDecide,
  participantPending,
  participantRemove,
} from './cases.js';
import { entryAdd, entryList, grant, revoke } from './entries.js';
import {
  consentDecide,
  consentHelp,
  consentPending,
  consentRecord,
  consentShow,
  exceptionOpen,
  exceptionStep,
} from './consent.js';
import { purge, purgeHelp } from './purge.js';
import { actions, sittingCreate, sittingList, sittingShow, sittingsHelp, sittingStep } from './sittings.js';
import { statsApprove, statsHelp, statsRelease, statsShow } from './stats.js';
import { allValuesHelp } from '../help.js';
import { accessReportHelp, caseAccessReport } from './access-report.js';
import { caseLog, caseLogHelp } from './case-log.js';

export type Handler = (argv: string[], out: Output) => Promise<number>;

export const commands: Record<string, Handler | Record<string, Handler>> = {
  enroll,
  recover,
  login,
  logout,
  whoami,
  keys: { backup: keysBackup, fingerprint: keysFingerprint },
  member: {
    invite: memberInvite,
    'recovery-code': memberRecoveryCode,
    list: memberList,
    certify: memberCertify,
    verify: memberVerify,
    suspend: memberSuspend,
    reinstate: memberReinstate,
    role: memberRole,
  },
  case: {
    refer: caseRefer,
    create: caseRefer,
    list: caseList,
    show: caseShow,
    accept: caseTransition('accept'),
    advance: caseTransition('advance'),
    decline: caseTransition('decline'),
    close: caseTransition('close'),
    rotate: caseRotate,
    'invite-person': caseInvitePerson,
    'access-report': caseAccessReport,
    log: caseLog,
  },
  participant: {
    add: participantAdd,
    remove: participantRemove,
    pending: participantPending,
    approve: participantDecide('approve'),
    refuse: participantDecide('refuse'),
  },
  entry: { add: entryAdd, list: entryList },
  grant,
  revoke,
  consent: {
    record: (argv, out) => consentRecord(argv, out),
    withdraw: (argv, out) => consentRecord(argv, out, true),
    show: consentShow,
    pending: consentPending,
    confirm: consentDecide('confirm'),
    refuse: consentDecide('refuse'),
  },
  exception: {
    open: exceptionOpen,
    approve: exceptionStep('approve'),
    close: exceptionStep('close'),
    inform: exceptionStep('inform'),
  },
  purge,
  sitting: {
    create: sittingCreate,
    list: sittingList,
    show: sittingShow,
    agenda: sittingStep('agenda'),
    attend: sittingStep('attend'),
    minutes: sittingStep('minutes'),
    decide: sittingStep('decide'),
    action: sittingStep('action'),
    hold: sittingStep('hold'),
    close: sittingStep('close'),
  },
  actions,
  stats: { release: statsRelease, approve: statsApprove, show: statsShow },
  charter: { show: charterShow, accept: charterAccept },
  admin: {
    tenant: (argv, out) => {
      const [sub, ...rest] = argv;
      return sub === 'create' ? clsmCreate(rest, out) : Promise.resolve(2);
    },
    keygen,
  },
  audit: {
    verify: auditVerify,
    checkpoints: (argv, out) =>
      auditCheckpoints(argv, out, () => openSession(parse(argv, { out: { type: 'string' } }))),
  },
};

export const globalOptionsHelp = `Global options, before or after the command: --server URL (or CLSM_SERVER), --profile DIR
(or CLSM_PROFILE, default ~/.config/clsm), --passphrase-file FILE (or CLSM_PASSPHRASE; else a
prompt), --json (machine-readable output). clsm COMMAND --help: one command's usage.
Exit codes: 0 ok, 1 refused or failed, 2 usage, 3 server or database unreachable, 4 log in again.`;

export const usageText = [
  accountHelp,
  membersHelp,
  casesHelp,
  accessReportHelp,
  caseLogHelp,
  consentHelp,
  sittingsHelp,
  auditHelp,
  adminHelp,
  purgeHelp,
  statsHelp,
].join('\n');

export const helpText = `clsm — the CLSM cellule's command line (all encryption happens on this device)

${globalOptionsHelp}

${usageText}

${allValuesHelp}
`;
