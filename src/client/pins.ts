import { fingerprint, verifySelfSignature, type PublicDeviceKeys } from '../crypto/device-keys.js';
import { fromBase64, toBase64 } from '../crypto/encoding.js';
import type { KeyOwner } from '../crypto/messages.js';

// Trust on first use, then never silently: the first keys seen for a colleague are pinned; a later
// change is refused until the user has compared fingerprints out of band and trusted the new keys.
// A server substituting keys to read what is sealed to a colleague is caught here.

export interface PinnedKeys {
  version: number;
  signPublicKey: string;
  boxPublicKey: string;
}

export class KeyChangedError extends Error {
  override name = 'KeyChangedError';
  constructor(
    readonly memberId: string,
    readonly pinnedFingerprint: string,
    readonly offeredFingerprint: string,
  ) {
    super(
      `the keys of member ${memberId} changed (pinned ${pinnedFingerprint}, now ${offeredFingerprint}): ` +
        'compare fingerprints with them in person or by phone, then trust the new keys explicitly',
    );
  }
}

export class BadKeysError extends Error {
  override name = 'BadKeysError';
}

export const notSelfSigned = (memberId: string): BadKeysError =>
  new BadKeysError(
    `the keys served for member ${memberId} are not self-signed for that member of this CLSM ` +
      '(forged, malformed, or those of another member): nothing is sealed to them',
  );

const b64 = toBase64;

export class KeyPins {
  constructor(private readonly pins: Record<string, PinnedKeys> = {}) {}

  /**
   * Returns the keys if they are self-signed for this member of this CLSM and are the pinned ones
   * (or pins them if none were); throws otherwise.
   */
  async check(owner: KeyOwner, keys: PublicDeviceKeys): Promise<PublicDeviceKeys> {
    const { memberId } = owner;
    if (!(await verifySelfSignature(keys, owner))) throw notSelfSigned(memberId);
    const offered: PinnedKeys = {
      version: keys.version,
      signPublicKey: b64(keys.signPublicKey),
      boxPublicKey: b64(keys.boxPublicKey),
    };
    const pinned = this.pins[memberId];
    if (pinned === undefined) {
      this.pins[memberId] = offered;
      return keys;
    }
    if (pinned.signPublicKey !== offered.signPublicKey || pinned.boxPublicKey !== offered.boxPublicKey) {
      throw new KeyChangedError(
        memberId,
        await fingerprint(fromBase64(pinned.signPublicKey), fromBase64(pinned.boxPublicKey)),
        await fingerprint(keys.signPublicKey, keys.boxPublicKey),
      );
    }
    return keys;
  }

  /** After an out-of-band check: replace a pin. */
  trust(memberId: string, keys: PinnedKeys): void {
    this.pins[memberId] = keys;
  }

  pinned(memberId: string): PinnedKeys | undefined {
    return this.pins[memberId];
  }

  toJSON(): Record<string, PinnedKeys> {
    return { ...this.pins };
  }
}
