import sodiumModule from 'libsodium-wrappers-sumo';

// The only door to libsodium (the "sumo" build: the standard one lacks Argon2id). Client-side
// crypto of the SDK and CLI goes through it; the server only verifies Ed25519 signatures natively.

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;

export function loadSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
