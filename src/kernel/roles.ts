import { z } from 'zod';

// DESIGN section 3. `person` is the person a situation is about, in their own space. The database CHECK constraint and the Cedar schema list the same roles;
// start-up refuses a policy that names any other.
export const ROLES = [
  'coordinator',
  'health_professional',
  'social_worker',
  'partner',
  'elected_official',
  'dpo',
  'stats_reader',
  'operator',
  'person',
] as const;

export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/**
 * The roles bound by professional secrecy whose care-team access reaches content (identity, health,
 * social): the second pair of eyes on what would open content to the one who asks.
 */
export const BOUND_BY_SECRECY = ['health_professional', 'social_worker'] as const satisfies readonly Role[];
export const isBoundBySecrecy = (role: Role): boolean => (BOUND_BY_SECRECY as readonly Role[]).includes(role);
