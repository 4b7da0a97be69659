// A situation and its entries as the SDK hands them over, and an entry as the server sends it.

export type Compartment = 'identity' | 'synthesis' | 'social' | 'health' | 'committee';

export interface CaseView {
  id: string;
  reference: string;
  status: string;
  urgency: string;
  participants: { memberId: string; role: string; compartments: Compartment[] }[];
  compartments: {
    name: Compartment;
    keyVersion: number;
    rotationRequired: boolean;
    readable: boolean;
    holdsKey: boolean;
  }[];
  pendingGrants: { compartment: Compartment; keyVersion: number; memberId: string }[];
  consent: { id: string; decision: string; scope: string[] } | null;
  exceptions: { id: string; scope: string[] }[];
  history: {
    seq: number;
    from: string | null;
    to: string;
    category: string | null;
    memberId: string;
    at: string;
  }[];
  [more: string]: unknown;
}

export interface PlainEntry {
  id: string;
  kind: string;
  authorId: string;
  refersTo: string | null;
  keyVersion: number;
  createdAt: string;
  plaintext: Uint8Array;
}

/**
 * An entry of a timeline: verified and decrypted, or withheld with why — `no-key`: this device never
 * held its key version (it joined after a rotation, or a grant is missing); `not-verified`: its
 * signature, its context or its author's keys do not check out. A withheld entry shows no content.
 */
export type TimelineEntry =
  | ({ state: 'verified' } & PlainEntry)
  | ({ state: 'withheld'; reason: 'no-key' | 'not-verified' } & Omit<PlainEntry, 'plaintext'>);

export interface WireEntry {
  id: string;
  keyVersion: number;
  authorId: string;
  kind: string;
  refersTo: string | null;
  nonce: string;
  ciphertext: string;
  signature: string;
  createdAt: string;
}
