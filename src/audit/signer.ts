import type { KeyObject } from 'node:crypto';
import type { CheckpointWitness } from './witness.js';

/** The service's key that signs the audit checkpoints, and where it publishes what it signs. */
export interface AuditSigner {
  keyId: string;
  publicKey: Buffer;
  privateKey: KeyObject;
  /** Where every checkpoint it signs is published, outside the database. */
  witness: CheckpointWitness;
}
