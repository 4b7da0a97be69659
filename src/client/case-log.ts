import { extendCaseLog } from '../crypto/case-log-replay.js';
import {
  caseLogHeadOf,
  emptyCaseLog,
  type CaseLogState,
  type LogDirectory,
} from '../crypto/case-log-state.js';
import { signCaseLogStatement, type CaseLogChange } from '../crypto/case-log-statements.js';
import type { DirectoryState } from '../crypto/directory-replay.js';
import { toBase64 } from '../crypto/encoding.js';
import { caseLogFromWire, type LogSealWire, type caseLogPageSchema } from '../case-log/wire-schema.js';
import type { z } from 'zod';
import type { ClsmClient } from './client.js';
import { ApiError } from './http.js';

// Each situation's membership log on this device: fetched, verified statement by statement against
// the verified directory (src/crypto/case-log-replay.ts), and kept for this login, so that each
// statement is checked once and later reads fetch only what was added. Every change this device
// makes to who may hold a key is signed here, in the log's next place.

export class CaseLogs {
  readonly #verified = new Map<string, CaseLogState>();
  readonly #pending = new Map<string, Promise<CaseLogState>>();

  constructor(private readonly client: ClsmClient) {}

  /** The situation's log as it stands now, verified (CaseLogError at the first statement that does not follow). */
  current(caseId: string): Promise<CaseLogState> {
    let pending = this.#pending.get(caseId);
    if (pending === undefined) {
      pending = this.refresh(caseId).finally(() => this.#pending.delete(caseId));
      this.#pending.set(caseId, pending);
    }
    return pending;
  }

  /**
   * Sends an action with its statement signed in the log's next place; if another change took that
   * place meanwhile (LOG_HEAD_MOVED), reads the log again and signs once more.
   */
  async send<T>(caseId: string, change: CaseLogChange, post: (log: LogSealWire) => Promise<T>): Promise<T> {
    try {
      return await post(await this.seal(caseId, change));
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'LOG_HEAD_MOVED') throw err;
      return post(await this.seal(caseId, change));
    }
  }

  /** The statement that opens a new situation's log (seq 0): nothing to read first. */
  opening(caseId: string, change: CaseLogChange): Promise<LogSealWire> {
    return this.sign(emptyCaseLog(this.client.identity.clsmId, caseId), change);
  }

  /** The change signed in the log's next place, for a request sent by hand. */
  async seal(caseId: string, change: CaseLogChange): Promise<LogSealWire> {
    return this.sign(await this.current(caseId), change);
  }

  private async sign(state: CaseLogState, change: CaseLogChange): Promise<LogSealWire> {
    const me = this.client.identity;
    const head = caseLogHeadOf(state);
    const signed = await signCaseLogStatement(
      {
        ...change,
        clsmId: state.clsmId,
        caseId: state.caseId,
        seq: head === undefined ? 0 : head.seq + 1,
        prevHash: head?.hash ?? null,
        authorId: me.memberId,
        authorKeyVersion: me.keys.version,
        at: new Date().toISOString(),
      },
      me.keys.signSecretKey,
    );
    return {
      seq: signed.seq,
      prevHash: signed.prevHash === null ? null : toBase64(signed.prevHash),
      at: signed.at,
      signature: toBase64(signed.signature),
    };
  }

  private async refresh(caseId: string): Promise<CaseLogState> {
    const directory = logDirectory(await this.client.directory.current());
    let state = this.#verified.get(caseId) ?? emptyCaseLog(this.client.identity.clsmId, caseId);
    let after = caseLogHeadOf(state)?.seq;
    for (;;) {
      const query = after === undefined ? '' : `?after=${after}`;
      const page = await this.client.request<z.output<typeof caseLogPageSchema>>(
        'GET',
        `/v1/cases/${caseId}/log${query}`,
      );
      const entries = page.entries.map((e) => caseLogFromWire(state.clsmId, caseId, e));
      state = await extendCaseLog(state, entries, directory);
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    this.#verified.set(caseId, state);
    return state;
  }
}

/** The verified directory as the replay reads it: certified signing keys by version, and roles. */
export function logDirectory(state: DirectoryState): LogDirectory {
  return {
    signKey: (memberId, keyVersion) => state.members.get(memberId)?.keys.get(keyVersion)?.signPublicKey,
    role: (memberId) => state.members.get(memberId)?.role,
  };
}
