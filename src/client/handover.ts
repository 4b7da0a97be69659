import { fingerprint } from '../crypto/device-keys.js';
import type { ClsmClient } from './client.js';

// Before a device hands a situation's keys to a member for the first time, its user sees who they
// are and confirms: a server that slipped an impostor into the circle is caught by a person who
// knows their colleagues, even where every rule on the device was satisfied.

/** Who is about to receive keys, as the user is shown them. */
export interface Grantee {
  memberId: string;
  displayName: string;
  role: string;
  organisation: string;
  /** The display name of the member who added them to the situation (their id if the directory lacks them). */
  addedBy: string;
  /** The fingerprint of the keys the key is sealed to (pinned on this device). */
  fingerprint: string;
}

/** Asked once per situation and member on this device; `false` keeps the keys from them. */
export type ConfirmGrantee = (grantee: Grantee) => boolean | Promise<boolean>;

/**
 * The members each situation's keys went to from this device (or whom its user confirmed): they are
 * not asked about again. In memory by default; the CLI keeps it in its profile, since each command
 * is a process of its own.
 */
export interface HandoverMemory {
  has(caseId: string, memberId: string): Promise<boolean>;
  remember(caseId: string, memberId: string): Promise<void>;
}

export function inMemoryHandovers(): HandoverMemory {
  const pairs = new Set<string>();
  return {
    has: (caseId, memberId) => Promise.resolve(pairs.has(`${caseId}/${memberId}`)),
    remember: (caseId, memberId) => {
      pairs.add(`${caseId}/${memberId}`);
      return Promise.resolve();
    },
  };
}

export interface HandoverOptions {
  /**
   * Shown each member who has not received keys of this situation from this device before. Without
   * it, keys go to every entitled member: for callers that confirmed already (or scripts told so).
   */
  confirm?: ConfirmGrantee;
}

/**
 * Who a member is, for the confirmation: directory entry, who added them (by the verified log),
 * fingerprint of their pinned keys.
 */
export async function describeGrantee(
  client: ClsmClient,
  caseId: string,
  memberId: string,
): Promise<Grantee> {
  const adder = (await client.caseLogs.current(caseId)).participants.get(memberId)?.addedBy;
  const directory = await client.members();
  const member = directory.find((m) => m.id === memberId);
  const keys = await client.memberKeys(memberId);
  return {
    memberId,
    displayName: member?.displayName ?? memberId,
    role: member?.role ?? 'unknown',
    organisation: member?.organisation ?? '',
    addedBy: directory.find((m) => m.id === adder)?.displayName ?? adder ?? 'unknown',
    fingerprint: await fingerprint(keys.signPublicKey, keys.boxPublicKey),
  };
}
