import { loadSodium } from './sodium.js';

/** SHA-256, hex-encoded: how the servers announce the hash of what they send. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const s = await loadSodium();
  return s.to_hex(s.crypto_hash_sha256(bytes));
}
