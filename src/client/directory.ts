import { fingerprintDigest } from '../crypto/device-keys.js';
import { fromBase64, toBase64 } from '../crypto/encoding.js';
import {
  checkExtends,
  DirectoryError,
  emptyDirectory,
  extendDirectory,
  headOf,
  type DirectoryHead,
  type DirectoryState,
} from '../crypto/directory-replay.js';
import { statementFromWire } from '../directory/wire-schema.js';
import type { z } from 'zod';
import type { directoryPageSchema } from '../directory/wire-schema.js';
import { ROLES } from '../kernel/roles.js';

// The CLSM's directory as this device verified it (docs/adr/0016): the log, fetched from the head it
// knows, replayed from the root its trust anchor names, and held against the head it remembered, so
// that a server that truncates or rewrites the log is refused. Colleagues' keys come only from here.

export { DirectoryError };

/** A verified head as a device keeps it between runs. */
export interface StoredHead {
  seq: number;
  hash: string;
}

export const storedHead = (h: DirectoryHead): StoredHead => ({ seq: h.seq, hash: toBase64(h.hash) });
export const loadedHead = (h: StoredHead): DirectoryHead => ({ seq: h.seq, hash: fromBase64(h.hash) });

export interface DirectorySource {
  clsmId: string;
  memberId: string;
  /** This device's own public keys: the anchor when no other was given (its owner is the root). */
  ownKeys: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array };
  page(after: number | undefined): Promise<z.output<typeof directoryPageSchema>>;
}

export class VerifiedDirectory {
  #state: DirectoryState;
  #remembered: DirectoryHead | undefined;
  #pending: Promise<DirectoryState> | undefined;

  constructor(
    private readonly source: DirectorySource,
    private readonly anchor: Uint8Array | undefined,
    remembered: DirectoryHead | undefined,
    private readonly onHead: ((head: DirectoryHead) => void) | undefined,
  ) {
    this.#state = emptyDirectory(source.clsmId);
    this.#remembered = remembered;
  }

  /** The log as it stands now, verified; concurrent callers share one fetch. */
  current(): Promise<DirectoryState> {
    this.#pending ??= this.refresh().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * The 16 bytes of the root's fingerprint digest, from the verified log's root (its first keys):
   * what an invitation code and a key backup carry.
   */
  async rootAnchor(): Promise<Uint8Array> {
    const state = await this.current();
    const root = state.rootId === undefined ? undefined : state.members.get(state.rootId);
    const first = root === undefined ? undefined : root.keys.get(Math.min(...root.keys.keys()));
    if (first === undefined)
      throw new Error('this CLSM has no root yet: its first coordinator signs it at enrollment');
    return (await fingerprintDigest(first.signPublicKey, first.boxPublicKey)).slice(0, 16);
  }

  private async refresh(): Promise<DirectoryState> {
    const anchor =
      this.anchor ??
      (await fingerprintDigest(this.source.ownKeys.signPublicKey, this.source.ownKeys.boxPublicKey));
    let state = this.#state;
    let after = headOf(state)?.seq;
    for (;;) {
      const page = await this.source.page(after);
      const entries = page.entries.map((e) => statementFromWire(this.source.clsmId, e));
      state = await extendDirectory(state, entries, { clsmId: this.source.clsmId, roles: ROLES, anchor });
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    checkExtends(state, this.#remembered);
    this.#state = state;
    const head = headOf(state);
    if (head !== undefined && head.seq !== this.#remembered?.seq) {
      this.#remembered = head;
      this.onHead?.(head);
    }
    return state;
  }
}
