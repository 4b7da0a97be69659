import { change } from '../crypto/case-log-statements.js';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { latestKey, rotationDue } from './log-facts.js';
import { sealEntry } from './entry-sealing.js';
import type { ClsmClient } from './client.js';
import { CaseKeys } from './case-keys.js';
import { CompartmentReader } from './compartment-reader.js';
import type { EntitlementFacts } from './entitled.js';
import type { HandoverOptions } from './handover.js';
import type {
  AccessReport,
  CaseListItem,
  CaseView,
  Compartment,
  ParticipantRequest,
  PendingAddition,
  PlainEntry,
  Referred,
  SituationFound,
  TimelineEntry,
  Transitioned,
} from './case-wire.js';

// Case files through the SDK: entries are encrypted here and read by CompartmentReader, keys handled
// by CaseKeys. The server only ever sees ciphertext, signatures and sealed keys.

export type {
  AccessReport,
  CaseListItem,
  CaseView,
  Compartment,
  ParticipantRequest,
  PlainEntry,
  TimelineEntry,
} from './case-wire.js';
export type { ConfirmGrantee, Grantee, HandoverOptions } from './handover.js';

/** What became of an addition: effective now, or waiting for a second participant bound by secrecy. */
export type Addition = { status: 'added' } | { status: 'pending'; requestId: string };

export class Cases {
  private readonly keys: CaseKeys;
  private readonly reader: CompartmentReader;

  constructor(private readonly client: ClsmClient) {
    this.keys = new CaseKeys(client, this);
    this.reader = new CompartmentReader(client, this.keys);
  }

  /** Refers a situation; `statistics` are the coarse categories of the bilan (docs/statistics.md). */
  async refer(
    reasonCategory: string,
    urgency: 'routine' | 'soon' | 'urgent',
    statistics?: Record<string, unknown>,
  ): Promise<Referred> {
    const id = globalThis.crypto.randomUUID();
    const opened = change('opened', { subjectId: this.client.identity.memberId, compartments: COMPARTMENTS });
    return this.client.request('POST', '/v1/cases', {
      id,
      reasonCategory,
      urgency,
      ...(statistics === undefined ? {} : { statistics }),
      log: await this.client.caseLogs.opening(id, opened),
    });
  }

  /** Declares (or corrects) the coarse categories of the person for the bilan. */
  async declareStatistics(caseId: string, statistics: Record<string, unknown>): Promise<void> {
    await this.client.request('PUT', `/v1/cases/${caseId}/statistics`, statistics);
  }

  /** Every situation the member sees, newest first (all pages). */
  async list(): Promise<{ cases: CaseListItem[] }> {
    return { cases: await this.client.all('/v1/cases', 'cases') };
  }

  view(caseId: string): Promise<CaseView> {
    return this.client.request('GET', `/v1/cases/${caseId}`);
  }

  /** "Who looked at my file?": every access to the situation's file, line by line (coordinator, DPO). */
  accessReport(caseId: string): Promise<AccessReport> {
    return this.client.request('GET', `/v1/cases/${caseId}/access-report`);
  }

  /** The situation a reference names, for those who answer the person about its access report. */
  findByReference(reference: string): Promise<SituationFound> {
    return this.client.request('GET', `/v1/cases/by-reference/${encodeURIComponent(reference)}`);
  }

  /** The same report as the server writes it in CSV. */
  accessReportCsv(caseId: string): Promise<string> {
    return this.client.raw('GET', `/v1/cases/${caseId}/access-report`, 'text/csv');
  }

  async transition(
    caseId: string,
    transition: 'accept' | 'decline' | 'advance' | 'close',
    category?: string,
  ): Promise<string> {
    const body =
      transition === 'decline' ? { reason: category } : transition === 'close' ? { outcome: category } : {};
    return (await this.client.request<Transitioned>('POST', `/v1/cases/${caseId}/${transition}`, body))
      .status;
  }

  /**
   * Adds a participant, then gives them every key this member holds that they are entitled to;
   * with `handOverKeys: false`, the keys wait (`view().pendingGrants`) until `shareKeys`, so that
   * a user can first see and confirm who receives them. Adding oneself (or, for a coordinator who
   * takes no part in the situation, a health professional or social worker) only asks: the addition
   * waits for a second participant bound by secrecy (`approveParticipant`), and no key is handed over.
   */
  async addParticipant(
    caseId: string,
    memberId: string,
    compartments: readonly Compartment[] = COMPARTMENTS,
    options: { handOverKeys?: boolean } & HandoverOptions = {},
  ): Promise<Addition> {
    // Signed whether or not the addition waits: one that waits stores no statement.
    const added = change('added', { subjectId: memberId, compartments });
    const pending = await this.client.caseLogs.send(caseId, added, (log) =>
      this.client.request<PendingAddition | undefined>('POST', `/v1/cases/${caseId}/participants`, {
        memberId,
        compartments,
        log,
      }),
    );
    if (pending !== undefined) return { status: 'pending', requestId: pending.requestId };
    if (options.handOverKeys !== false)
      await this.shareKeys(caseId, options.confirm === undefined ? {} : { confirm: options.confirm });
    return { status: 'added' };
  }

  /** The additions to a situation that wait for a second participant bound by secrecy. */
  async participantRequests(caseId: string): Promise<ParticipantRequest[]> {
    return (
      await this.client.request<{ requests: ParticipantRequest[] }>(
        'GET',
        `/v1/cases/${caseId}/participant-requests`,
      )
    ).requests;
  }

  /**
   * Approves (a participant bound by secrecy, not the one who asked) or refuses a pending addition;
   * an approval hands over, as `addParticipant` does, the keys this member holds and the newcomer is
   * entitled to, unless `handOverKeys: false`.
   */
  async decideParticipant(
    caseId: string,
    requestId: string,
    decision: 'approve' | 'refuse',
    options: { handOverKeys?: boolean } & HandoverOptions = {},
  ): Promise<void> {
    const path = `/v1/cases/${caseId}/participant-requests/${requestId}/${decision}`;
    if (decision === 'refuse') await this.client.request('POST', path);
    else {
      // The statement says what this member approves: the request as the server shows it to them.
      const asked = (await this.participantRequests(caseId)).find((r) => r.id === requestId);
      if (asked === undefined) throw new Error('this addition no longer waits for approval');
      const added = change('added', {
        subjectId: asked.memberId,
        compartments: asked.compartments,
        requestedBy: asked.requestedBy,
      });
      await this.client.caseLogs.send(caseId, added, (log) => this.client.request('POST', path, { log }));
    }
    if (decision === 'approve' && options.handOverKeys !== false)
      await this.shareKeys(caseId, options.confirm === undefined ? {} : { confirm: options.confirm });
  }

  async removeParticipant(caseId: string, memberId: string): Promise<void> {
    await this.client.caseLogs.send(caseId, change('removed', { subjectId: memberId }), (log) =>
      this.client.request('DELETE', `/v1/cases/${caseId}/participants/${memberId}`, { log }),
    );
  }

  async unassign(caseId: string, memberId: string, compartment: Compartment): Promise<void> {
    const narrowed = change('narrowed', { subjectId: memberId, compartments: [compartment] });
    await this.client.caseLogs.send(caseId, narrowed, (log) =>
      this.client.request(
        'DELETE',
        `/v1/cases/${caseId}/participants/${memberId}/compartments/${compartment}`,
        {
          log,
        },
      ),
    );
  }

  /**
   * Encrypts, signs and stores an entry; creates or rotates the compartment key first if needed
   * (with `confirm`, members new to this device are shown before the new key is sealed to them).
   */
  async write(
    caseId: string,
    compartment: Compartment,
    plaintext: Uint8Array,
    options: { kind?: string; refersTo?: string } & HandoverOptions = {},
  ): Promise<string> {
    const body = await this.seal(
      caseId,
      compartment,
      plaintext,
      options.kind ?? 'note',
      options.refersTo ?? null,
      options.confirm === undefined ? {} : { confirm: options.confirm },
    );
    await this.client.request('POST', `/v1/cases/${caseId}/compartments/${compartment}/entries`, body);
    return body.id;
  }

  /** An entry ready to post: encrypted under the current key (created or rotated first if needed) and signed. */
  async seal(
    caseId: string,
    compartment: Compartment,
    plaintext: Uint8Array,
    kind: string,
    refersTo: string | null,
    handover: HandoverOptions = {},
  ) {
    // The version to write under is the log's newest; a new one is made first if there is none yet,
    // or if the log (or the server) says a change took the compartment from someone since.
    const state = (await this.view(caseId)).compartments.find((c) => c.name === compartment);
    if (state === undefined) throw new Error(`unknown compartment ${compartment}`);
    const log = await this.client.caseLogs.current(caseId);
    let keyVersion = latestKey(log, compartment)?.version ?? 0;
    if (state.rotationRequired || rotationDue(log, compartment, Date.now()))
      keyVersion = await this.rotate(caseId, compartment, handover);
    const key = await this.keys.current(caseId, compartment, keyVersion);
    return sealEntry(
      this.client.identity,
      { caseId, compartment, keyVersion, key },
      plaintext,
      kind,
      refersTo,
    );
  }

  /**
   * Reads and decrypts a compartment, checking every grant and every author's signature, page
   * after page (src/client/compartment-reader.ts).
   */
  read(caseId: string, compartment: Compartment): Promise<PlainEntry[]> {
    return this.reader.read(caseId, compartment);
  }

  /** A compartment entry by entry: what verifies is shown, the rest withheld with its reason. */
  timeline(caseId: string, compartment: Compartment): Promise<TimelineEntry[]> {
    return this.reader.timeline(caseId, compartment);
  }

  /** Opens the keys this member was granted to a compartment (they come with any page of it). */
  openGrants(caseId: string, compartment: Compartment): Promise<void> {
    return this.reader.openGrants(caseId, compartment);
  }

  /** Creates the next key version, sealed to every participant the table entitles to it (`confirm`: newcomers shown first). */
  rotate(caseId: string, compartment: Compartment, options: HandoverOptions = {}): Promise<number> {
    return this.keys.rotate(caseId, compartment, options);
  }

  /**
   * Grants the keys this member holds to the members who lack them and may hold them by the table
   * (checked here; GrantsRefusedError names the others); `confirm` shows each newcomer first.
   */
  shareKeys(caseId: string, options: HandoverOptions = {}): Promise<number> {
    return this.keys.shareKeys(caseId, options);
  }

  /** Seals a key to one member and gives it to them, if the table entitles them (NotEntitledError). */
  grant(
    caseId: string,
    compartment: Compartment,
    memberId: string,
    keyVersion: number,
    options: HandoverOptions = {},
  ): Promise<void> {
    return this.keys.grant(caseId, compartment, memberId, keyVersion, options);
  }

  /** The facts this device decides key holders on: the situation's verified membership log (src/client/log-facts.ts). */
  entitlementFacts(caseId: string): Promise<EntitlementFacts> {
    return this.keys.facts(caseId);
  }
}
