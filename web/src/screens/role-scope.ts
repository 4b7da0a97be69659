import type { Role } from '../../../src/kernel/roles.js';

// What the app offers each role, as policies/clsm.cedar and policies/guards.cedar allow it (kept
// equal to them by test/web/role-scope.unit.test.ts). The server decides; these only spare a
// member screens that could show them nothing but refusals.

/** Elected officials, statistics readers and operators take part in no situation (guard/case-roles). */
const BILAN_ONLY: readonly Role[] = ['elected_official', 'stats_reader', 'operator'];
/** The CLSM's released bilan (clsm/statistics). */
const READS_BILAN: readonly Role[] = ['coordinator', 'elected_official', 'stats_reader'];
/** The regional aggregate (clsm/statistics-regional). */
const READS_REGIONAL: readonly Role[] = ['stats_reader', 'operator'];
/** A release that waits for a second person (clsm/statistics-approve). */
const APPROVES_RELEASE: readonly Role[] = ['coordinator', 'dpo'];

export const bilanOnly = (role: Role): boolean => BILAN_ONLY.includes(role);
export const readsBilan = (role: Role): boolean => READS_BILAN.includes(role);
export const readsRegional = (role: Role): boolean => READS_REGIONAL.includes(role);
export const releasesBilan = (role: Role): boolean => role === 'coordinator';
export const approvesRelease = (role: Role): boolean => APPROVES_RELEASE.includes(role);
export const seesBilan = (role: Role): boolean =>
  readsBilan(role) || readsRegional(role) || approvesRelease(role);

/**
 * The DPO's own screen, _Protection des données_: the audit log checked against a checkpoint file
 * (clsm/dpo), a situation's access report found by its reference. The DPO takes part in no
 * situation either (guard/case-roles) but, unlike the bilan-only roles, opens access reports.
 */
export const protectsData = (role: Role): boolean => role === 'dpo';
/**
 * _Mon espace_: the person a situation is about sees their own space only (what the team shares
 * with them, their consent, who looked at their file), never the professionals' screens.
 */
export const ownSpace = (role: Role): boolean => role === 'person';
/** The file active, referring a situation and _mes actions_ (clsm/case-roles). */
export const offersSituations = (role: Role): boolean =>
  !bilanOnly(role) && !protectsData(role) && !ownSpace(role);

/** The roles a sitting may be shown to (sitting/read): the coordinator, and the case roles convened. */
const ATTENDS_SITTINGS: readonly Role[] = ['coordinator', 'health_professional', 'social_worker', 'partner'];
/** _Séances de la cellule_: the sittings the member is convened to (all of them, for the coordinator). */
export const attendsSittings = (role: Role): boolean => ATTENDS_SITTINGS.includes(role);
/** Planning a sitting, its agenda, attendance, minutes, decisions and actions (clsm/coordinator). */
export const runsSittings = (role: Role): boolean => role === 'coordinator';

/** Where the app opens for this role. */
export const homePath = (role: Role): string => {
  if (bilanOnly(role)) return '/bilan';
  if (protectsData(role)) return '/protection-des-donnees';
  if (ownSpace(role)) return '/mon-espace';
  return '/situations';
};
