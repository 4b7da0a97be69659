// The only door to libsodium (the "sumo" build: the standard one lacks Argon2id). All client-side
// crypto of the SDK, the CLI and the web app goes through it, and so does the server's verification
// of Ed25519 signatures (src/crypto/ed25519.ts): one implementation, one set of rules. Imported on
// first use: in the browser its ~190 KB of WebAssembly load after the first screen, not before.

export type Sodium = (typeof import('libsodium-wrappers-sumo'))['default'];

let ready: Promise<Sodium> | undefined;

export function loadSodium(): Promise<Sodium> {
  ready ??= import('libsodium-wrappers-sumo').then(async ({ default: sodium }) => {
    await sodium.ready;
    return sodium;
  });
  return ready;
}
