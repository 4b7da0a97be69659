import type { ClsmClient, Member } from '../client/client.js';
import { fingerprint } from '../crypto/device-keys.js';

// Colleagues as people read them: a name, an organisation, a role, and the fingerprint of the keys
// this device checked for them, to compare out of band before trusting what is sealed to them.

export interface Colleague {
  id: string;
  displayName: string;
  organisation: string;
  role: string;
  status: 'active' | 'suspended';
  /** Undefined when no keys were registered or they were refused (see `keysRefused`). */
  fingerprint: string | undefined;
  keysRefused: string | undefined;
}

export type Directory = Map<string, Colleague>;

async function colleague(m: Member): Promise<Colleague> {
  return {
    id: m.id,
    displayName: m.displayName,
    organisation: m.organisation,
    role: m.role,
    status: m.status,
    fingerprint:
      m.keys === undefined ? undefined : await fingerprint(m.keys.signPublicKey, m.keys.boxPublicKey),
    keysRefused: m.keysRefused?.message,
  };
}

export async function loadDirectory(client: ClsmClient): Promise<Directory> {
  const members = await client.members();
  return new Map(await Promise.all(members.map(async (m) => [m.id, await colleague(m)] as const)));
}

/** "Dr Martin (CMP Nord)", or the id of someone not in the directory. */
export function nameOf(directory: Directory, memberId: string): string {
  const c = directory.get(memberId);
  return c === undefined ? memberId : `${c.displayName} (${c.organisation})`;
}

/** The line to read before handing keys to someone: who they are and what their keys look like. */
export function receiverLine(directory: Directory, memberId: string): string {
  const c = directory.get(memberId);
  if (c === undefined) return `${memberId} (not in the directory)`;
  const keys =
    c.fingerprint === undefined
      ? `keys refused: ${c.keysRefused ?? 'none registered'}`
      : `fingerprint ${c.fingerprint}`;
  return `${c.displayName}, ${c.role}, ${c.organisation} — ${keys}`;
}
