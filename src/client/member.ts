import { fromBase64 } from '../crypto/encoding.js';
import type { PublicDeviceKeys } from '../crypto/device-keys.js';
import type { BadKeysError, KeyChangedError } from './pins.js';
import type { z } from 'zod';
import type { directoryMemberSchema } from '../members/wire-schema.js';

// A member of the CLSM as the directory lists them: on the wire, and once their keys were checked.

export interface Member {
  id: string;
  role: string;
  organisation: string;
  displayName: string;
  status: 'active' | 'suspended';
  keys: PublicDeviceKeys | undefined;
  /**
   * Set when the keys the server lists for this member were refused: not self-signed for them in
   * this CLSM (BadKeysError), or not the pinned ones (KeyChangedError). `keys` is then undefined:
   * nothing is sealed to them and nothing they signed is believed, while the rest of the directory
   * stays usable. Show it to the user.
   */
  keysRefused?: BadKeysError | KeyChangedError;
}

export type MemberWire = z.output<typeof directoryMemberSchema>;

const unb64 = fromBase64;

export const fromWire = (k: NonNullable<MemberWire['keys']>): PublicDeviceKeys => ({
  version: k.version,
  signPublicKey: unb64(k.signPublicKey),
  boxPublicKey: unb64(k.boxPublicKey),
  selfSignature: unb64(k.selfSignature),
});
