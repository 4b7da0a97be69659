import { loadSodium } from './sodium.js';
import { grantSignatureMessage, type GrantContext } from './messages.js';

// A grant gives a compartment key to one member: sealed to their X25519 key (crypto_box_seal,
// anonymous by design), and signed by the granter so the receiver knows who vouches for the key.

export interface SignedGrant {
  context: GrantContext;
  sealedKey: Uint8Array;
  signature: Uint8Array;
}

export class GrantIntegrityError extends Error {
  override name = 'GrantIntegrityError';
}

export async function sealGrant(
  context: GrantContext,
  compartmentKey: Uint8Array,
  granterSignSecretKey: Uint8Array,
): Promise<SignedGrant> {
  const s = await loadSodium();
  const sealedKey = s.crypto_box_seal(compartmentKey, context.granteeBoxPublicKey);
  const signature = s.crypto_sign_detached(
    grantSignatureMessage(context, s.crypto_hash_sha256(sealedKey)),
    granterSignSecretKey,
  );
  return { context, sealedKey, signature };
}

/** Checks the granter's signature, then opens the sealed key with the grantee's own box key pair. */
export async function openGrant(
  grant: SignedGrant,
  granterSignPublicKey: Uint8Array,
  granteeBox: { publicKey: Uint8Array; secretKey: Uint8Array },
): Promise<Uint8Array> {
  const s = await loadSodium();
  const message = grantSignatureMessage(grant.context, s.crypto_hash_sha256(grant.sealedKey));
  if (
    grant.signature.length !== 64 ||
    !s.crypto_sign_verify_detached(grant.signature, message, granterSignPublicKey)
  ) {
    throw new GrantIntegrityError('the grant signature does not verify against the granter key');
  }
  if (!s.memcmp(grant.context.granteeBoxPublicKey, granteeBox.publicKey)) {
    throw new GrantIntegrityError('the grant was sealed to another key');
  }
  let key: Uint8Array;
  try {
    key = s.crypto_box_seal_open(grant.sealedKey, granteeBox.publicKey, granteeBox.secretKey);
  } catch {
    throw new GrantIntegrityError('the sealed key cannot be opened with this device');
  }
  if (key.length !== s.crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw new GrantIntegrityError('the sealed key has a wrong length');
  return key;
}
