import sodiumModule from 'libsodium-wrappers-sumo';

// The only door to libsodium (the "sumo" build: the standard one lacks Argon2id). All client-side
// crypto of the SDK and CLI goes through it, and so does the server's verification of Ed25519
// signatures (src/crypto/ed25519.ts): one implementation, one set of rules.

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;

export function loadSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
