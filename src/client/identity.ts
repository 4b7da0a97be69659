import type { DeviceKeys } from '../crypto/device-keys.js';
import type { DirectoryHead } from '../crypto/directory-replay.js';
import type { CheckpointMemory } from './audit-memory.js';
import type { HandoverMemory } from './handover.js';
import type { z } from 'zod';
import type { meSchema } from '../auth/wire-schema.js';

// Who a client is and what it keeps between logins: the device's identity, its access token, the
// trust anchor and verified heads it was given, and what enrolling returns.

export interface Identity {
  serverUrl: string;
  clsmId: string;
  memberId: string;
  keys: DeviceKeys;
}

export type Me = z.output<typeof meSchema>;

export interface AccessToken {
  value: string;
  expiresAt: Date;
}

export interface ClientOptions {
  /**
   * The first 15 or 16 bytes of the SHA-256 the CLSM root's fingerprint shows, from this device's
   * enrollment code: the root of trust. Absent, this device's own keys are (it is the root).
   */
  anchor?: Uint8Array | undefined;
  /** The directory log's head this device verified before: a log that does not extend it is refused. */
  directoryHead?: DirectoryHead | undefined;
  /** Called with each newly verified head (the CLI keeps it in its profile). */
  onDirectoryHead?: (head: DirectoryHead) => void;
  token?: AccessToken | undefined;
  /** Called with each new access token (the CLI caches it in its profile). */
  onToken?: (token: AccessToken) => void;
  /** The latest audit checkpoint this device saw, per CLSM (in memory unless the caller keeps it). */
  checkpoints?: CheckpointMemory;
  /** Whom this device handed each situation's keys to (in memory unless the caller keeps it). */
  handovers?: HandoverMemory;
}

/** What enrolling gives: the identity, who the server says it is, and what to show the user. */
export interface Enrolled {
  identity: Identity;
  me: Omit<Me, 'charterAccepted'>;
  /** The trust anchor to keep (16 bytes of the root's fingerprint digest). */
  anchor: Uint8Array;
  /** The CLSM root's fingerprint, to show (the first 15 bytes of the anchor). */
  rootFingerprint: string;
  /** For an invited member: the code to read to whoever invited them. Absent for the root. */
  sas?: string;
}
