import { z } from 'zod';

// DESIGN section 3. The database CHECK constraint and the Cedar schema list the same roles;
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
] as const;

export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);
