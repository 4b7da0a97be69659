// What a device refuses about colleagues' keys. Both are BadKeysErrors: nothing is sealed to such a
// member and nothing they signed is believed, while the rest of the directory stays usable.

export class BadKeysError extends Error {
  override name = 'BadKeysError';
}

export const notSelfSigned = (memberId: string): BadKeysError =>
  new BadKeysError(
    `the keys served for member ${memberId} are not self-signed for that member of this CLSM ` +
      '(forged, malformed, or those of another member): nothing is sealed to them',
  );

export type UncertifiedReason = 'not-certified' | 'suspended';

/** A member the directory log does not vouch for now: never certified by a coordinator, or suspended. */
export class UncertifiedMemberError extends BadKeysError {
  override name = 'UncertifiedMemberError';
  constructor(
    readonly memberId: string,
    readonly reason: UncertifiedReason,
  ) {
    super(
      reason === 'suspended'
        ? `member ${memberId} is suspended in the CLSM's directory log: nothing is sealed to them and nothing they sign is believed`
        : `member ${memberId} has no certificate in the CLSM's directory log (not certified yet, or invented by the server): ` +
            'a coordinator certifies them with clsm member certify after comparing codes with them',
    );
  }
}
