import type { Compartment } from '../kernel/compartments.js';

// What the device refuses to do with compartment keys, whatever the server says: seal a key to a
// member the rules do not entitle to it, or believe a grant from a member who may not hold the key.
// Messages name members by id only: never case content, never keys.

/** This member may not hold this compartment's key (src/client/entitled.ts): nothing is sealed to them. */
export class NotEntitledError extends Error {
  override name = 'NotEntitledError';
  constructor(
    readonly memberId: string,
    readonly compartment: Compartment,
  ) {
    super(
      `member ${memberId} may not hold the ${compartment} key of this situation (role, participation, ` +
        'assigned compartments, consent and exceptions checked on this device): nothing was sealed to them',
    );
  }
}

/** Some of the keys to hand over were refused (each a NotEntitledError); the others were given. */
export class GrantsRefusedError extends Error {
  override name = 'GrantsRefusedError';
  constructor(
    readonly refused: readonly NotEntitledError[],
    /** How many keys were sealed and handed over all the same. */
    readonly given: number,
  ) {
    super(
      `${refused.length} key(s) not sealed, to members who may not hold them: ` +
        refused.map((r) => `${r.memberId} (${r.compartment})`).join(', ') +
        `; ${given} other key(s) handed over`,
    );
  }
}

/**
 * A grant signed by a member who may not hold this compartment's key: the key in it is not used,
 * for reading or for writing. On the key a device writes under, the granter must be entitled now;
 * on an older version, their role must be one that can hold the compartment at all.
 */
export class UntrustedGrantError extends Error {
  override name = 'UntrustedGrantError';
  constructor(
    readonly granterId: string,
    readonly compartment: Compartment,
    readonly keyVersion: number,
  ) {
    super(
      `version ${keyVersion} of the ${compartment} key was granted by member ${granterId}, who may not ` +
        'hold it: it is not used (tell your DPO; a participant who holds the key can rotate it)',
    );
  }
}

/** The user declined to hand a new key to this member: a rotation must reach every entitled member, so none is made. */
export class HandoverDeclinedError extends Error {
  override name = 'HandoverDeclinedError';
  constructor(
    readonly memberId: string,
    readonly compartment: Compartment,
  ) {
    super(
      `no new ${compartment} key was made: you declined to hand it to member ${memberId}, who is entitled to it ` +
        '(remove them from the situation, or narrow their access, if they should not have it)',
    );
  }
}

/** No participant of the situation may hold this compartment yet: a key sealed to nobody is refused. */
export class NobodyEntitledError extends Error {
  override name = 'NobodyEntitledError';
  constructor(readonly compartment: Compartment) {
    super(`nobody on this situation may hold the ${compartment} compartment yet`);
  }
}
