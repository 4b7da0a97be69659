import type { KeyObject } from 'node:crypto';

// The types of the audit checkpoints: what the service signs, with which key, and where it
// publishes them (src/audit/checkpoints.ts signs, src/audit/witness.ts publishes).

/** The service's key that signs the audit checkpoints, and where it publishes what it signs. */
export interface AuditSigner {
  keyId: string;
  publicKey: Buffer;
  privateKey: KeyObject;
  /** Where every checkpoint it signs is published, outside the database. */
  witness: CheckpointWitness;
}

/** A CLSM's chain head as the service signed it. */
export interface Checkpoint {
  clsmId: string;
  seq: number;
  hash: Buffer;
  signedAt: Date;
  keyId: string;
  signature: Buffer;
}

/** Where signed checkpoints are published, outside the database. */
export interface CheckpointWitness {
  publish(cp: Checkpoint, publicKey: Buffer): Promise<void>;
  /** Everything published so far, every CLSM. */
  read(): Promise<WitnessedCheckpoint[]>;
}

/** A checkpoint as a witness file holds it. */
export interface WitnessedCheckpoint extends Checkpoint {
  /** The key the line says signed it: trusted only when no key file is at hand. */
  publicKey: Buffer;
}
