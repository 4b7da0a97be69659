import { createHash, createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { decryptEntry, encryptEntry, newCompartmentKey } from '../../src/crypto/entries.js';
import { sealGrant } from '../../src/crypto/grants.js';
import { generateDeviceKeys } from '../../src/crypto/device-keys.js';
import { entrySignatureMessage, type EntryContext } from '../../src/crypto/messages.js';
import { verifyEd25519 } from '../../src/crypto/ed25519.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { ratePerSecond } from '../lib/timing.js';
import { inWorker } from '../lib/worker-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 5: what the SDK's crypto costs on a member's device (libsodium-wrappers-sumo, WASM),
// and the one operation the server does, verifying an entry's signature: the server's own check
// (libsodium's WASM build, docs/adr/0011) against node:crypto's native one, which it gave up for
// OpenSSL's laxer rules, as the price of that choice.

export interface CryptoParams {
  seconds: number;
  runs: number;
}

export type CryptoRates = Record<
  'encrypt4k' | 'encrypt1m' | 'seal10' | 'read4k' | 'verifyNative' | 'verifyWasm' | 'verifyServer',
  number[]
>;

export async function measureClientCrypto(params: CryptoParams): Promise<CryptoRates> {
  const sodium = await loadSodium();
  const author = await generateDeviceKeys();
  const key = await newCompartmentKey();
  const grantees = await Promise.all(Array.from({ length: 10 }, () => generateDeviceKeys()));
  const context = (): EntryContext => ({
    caseId: randomUUID(),
    compartment: 'health',
    entryId: randomUUID(),
    keyVersion: 1,
    authorId: randomUUID(),
    kind: 'note',
    refersTo: null,
  });
  const small = randomBytes(4096);
  const large = randomBytes(1024 * 1024);
  const stored = await encryptEntry(context(), small, key, author.signSecretKey);
  // What the server receives and checks before storing: context, nonce, the ciphertext's hash.
  const serverMessage = () =>
    entrySignatureMessage(
      stored.context,
      stored.nonce,
      createHash('sha256').update(stored.ciphertext).digest(),
    );

  const nativeKey = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), author.signPublicKey]),
    format: 'der',
    type: 'spki',
  });

  const rates: CryptoRates = {
    encrypt4k: [],
    encrypt1m: [],
    seal10: [],
    read4k: [],
    verifyNative: [],
    verifyWasm: [],
    verifyServer: [],
  };
  for (let run = 0; run < params.runs; run += 1) {
    const s = params.seconds;
    rates.encrypt4k.push(
      await ratePerSecond(s, () => encryptEntry(context(), small, key, author.signSecretKey)),
    );
    rates.encrypt1m.push(
      await ratePerSecond(s, () => encryptEntry(context(), large, key, author.signSecretKey)),
    );
    rates.seal10.push(
      await ratePerSecond(s, async () => {
        const caseId = randomUUID();
        for (const grantee of grantees) {
          await sealGrant(
            {
              caseId,
              compartment: 'health',
              keyVersion: 2,
              granterId: randomUUID(),
              granteeId: randomUUID(),
              granteeBoxPublicKey: grantee.boxPublicKey,
            },
            key,
            author.signSecretKey,
          );
        }
      }),
    );
    rates.read4k.push(await ratePerSecond(s, () => decryptEntry(stored, key, author.signPublicKey)));
    rates.verifyNative.push(
      await ratePerSecond(s, () => {
        if (!verify(null, serverMessage(), nativeKey, stored.signature)) throw new Error('bad signature');
      }),
    );
    rates.verifyServer.push(
      await ratePerSecond(s, () => {
        if (!verifyEd25519(author.signPublicKey, serverMessage(), stored.signature))
          throw new Error('bad signature');
      }),
    );
    rates.verifyWasm.push(
      await ratePerSecond(s, () => {
        const message = entrySignatureMessage(
          stored.context,
          stored.nonce,
          sodium.crypto_hash_sha256(stored.ciphertext),
        );
        if (!sodium.crypto_sign_verify_detached(stored.signature, message, author.signPublicKey))
          throw new Error('bad signature');
      }),
    );
  }
  return rates;
}

export async function clientCrypto(params: CryptoParams): Promise<RowInput[]> {
  const { value, peakRssMb } = await inWorker('client-crypto', params);
  const base = { scenario: 5, peakRssMb };
  return [
    {
      ...base,
      id: 'crypto-encrypt-4k',
      name: 'client: encrypt + sign a 4 KB entry',
      unit: 'entries/s',
      runs: value.encrypt4k,
    },
    {
      ...base,
      id: 'crypto-encrypt-1m',
      name: 'client: encrypt + sign a 1 MB entry',
      unit: 'entries/s',
      runs: value.encrypt1m,
    },
    {
      ...base,
      id: 'crypto-seal-10',
      name: 'client: seal + sign a key for 10 participants',
      unit: 'keys/s',
      runs: value.seal10,
    },
    {
      ...base,
      id: 'crypto-read-4k',
      name: 'client: verify + decrypt a 4 KB entry',
      unit: 'entries/s',
      runs: value.read4k,
    },
    {
      ...base,
      id: 'verify-wasm',
      name: 'entry signature check, libsodium WASM',
      unit: 'checks/s',
      runs: value.verifyWasm,
    },
    {
      ...base,
      id: 'verify-server',
      name: 'entry signature check, server (libsodium WASM)',
      unit: 'checks/s',
      runs: value.verifyServer,
      baseline: 'verify-wasm',
    },
    {
      ...base,
      id: 'verify-native',
      name: 'entry signature check, node:crypto (not used: OpenSSL rules)',
      unit: 'checks/s',
      runs: value.verifyNative,
      baseline: 'verify-server',
    },
  ];
}
