import type { Member } from '../../../src/client/client.js';
import type { MemberWire } from '../../../src/client/member.js';

/**
 * Certified, active members whose registered keys are newer than their certified ones: they
 * replaced a lost device (a recovery). Nobody hands them a key until a coordinator certifies the
 * new ones, by the fingerprint they read out.
 */
export function withNewKeys(members: readonly Member[], listed: readonly MemberWire[]): Member[] {
  const registered = new Map(listed.map((l) => [l.id, l.keys?.version]));
  return members.filter(
    (x) => x.status === 'active' && x.keys !== undefined && (registered.get(x.id) ?? 0) > x.keys.version,
  );
}
