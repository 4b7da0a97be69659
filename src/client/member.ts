import type { CertifiedKeys } from '../crypto/directory-replay.js';
import type { BadKeysError } from './trust-errors.js';
import type { z } from 'zod';
import type { directoryMemberSchema } from '../members/wire-schema.js';

// A member of the CLSM as this device knows them: from the directory log it verified, with what the
// server lists only for those the log does not vouch for.

export interface Member {
  id: string;
  role: string;
  organisation: string;
  displayName: string;
  status: 'active' | 'suspended';
  /** Their current certified keys; undefined when the log does not vouch for them (`keysRefused`). */
  keys: CertifiedKeys | undefined;
  /** Who certified them (themselves for the CLSM's root), when they are certified. */
  certifiedBy?: string;
  /**
   * Set when this device will not use this member's keys: the server lists them but no coordinator
   * certified them in the directory log (UncertifiedMemberError, also what a member invented by the
   * server looks like), or they are suspended. Nothing is sealed to them and nothing they signed is
   * believed, while the rest of the directory stays usable. Show it to the user.
   */
  keysRefused?: BadKeysError;
}

export type MemberWire = z.output<typeof directoryMemberSchema>;
