import type { CertifiedKeys, DirectoryState } from '../crypto/directory-replay.js';
import { UncertifiedMemberError, type BadKeysError } from './trust-errors.js';
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

/**
 * A member from the verified directory; one the server lists but the log does not vouch for, or a
 * suspended one, comes with `keysRefused`.
 */
export function memberFrom(state: DirectoryState, id: string, listed: MemberWire | undefined): Member {
  const cert = state.members.get(id);
  if (cert === undefined) {
    return {
      id,
      role: listed?.role ?? 'unknown',
      organisation: listed?.organisation ?? '',
      displayName: listed?.displayName ?? '',
      status: listed?.status ?? 'active',
      keys: undefined,
      keysRefused: new UncertifiedMemberError(id, 'not-certified'),
    };
  }
  const member: Member = {
    id,
    role: cert.role,
    organisation: cert.organisation,
    displayName: cert.displayName,
    status: cert.status,
    certifiedBy: cert.certifiedBy,
    keys: cert.keys.get(cert.keyVersion),
  };
  if (cert.status === 'suspended') {
    member.keys = undefined;
    member.keysRefused = new UncertifiedMemberError(id, 'suspended');
  }
  return member;
}
