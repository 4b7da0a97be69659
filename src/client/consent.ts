import type { ClsmClient } from './client.js';
import { change } from '../crypto/case-log-statements.js';
import { DEFAULT_EXCEPTION_HOURS } from '../kernel/exception-hours.js';
import type { z } from 'zod';
import type {
  consentProposalSchema,
  consentRecordSchema,
  exceptionSchema,
  recordedConsentSchema,
} from '../consent/wire-schema.js';

// The person's consent and the legal exceptions, through the SDK. Evidence and justifications are
// written as encrypted entries first (their text never reaches the server in clear). Each change
// that takes effect carries its membership log statement, signed here (src/client/case-log.ts).

type Exception = z.output<typeof exceptionSchema>;

export interface ConsentRecordInput {
  decision: 'given' | 'refused' | 'withdrawn';
  scope?: string[];
  obtained: 'oral' | 'written' | 'legal_representative';
  statisticsObjection?: boolean;
  evidence?: Uint8Array;
  reviewOn?: string;
}

export class Consent {
  constructor(private readonly client: ClsmClient) {}

  /**
   * Records the person's position; a change that widens the recorder's own role's access comes back
   * `pending` (its `id` names the proposal), until a second participant confirms it.
   */
  async record(caseId: string, input: ConsentRecordInput): Promise<z.output<typeof recordedConsentSchema>> {
    const evidenceEntryId =
      input.evidence === undefined
        ? null
        : await this.client.cases.write(caseId, 'identity', input.evidence, { kind: 'evidence' });
    const scope = input.scope ?? [];
    // Signed whether or not the change waits for a second person: one that waits stores no statement.
    const stated = change('consent', { decision: input.decision, scope });
    return this.client.caseLogs.send(caseId, stated, (log) =>
      this.client.request('POST', `/v1/cases/${caseId}/consent`, {
        decision: input.decision,
        scope,
        obtained: input.obtained,
        statisticsObjection: input.statisticsObjection ?? false,
        evidenceEntryId,
        reviewOn: input.reviewOn ?? null,
        log,
      }),
    );
  }

  /** The consent change waiting for a second participant bound by secrecy, if any. */
  async proposals(caseId: string): Promise<z.output<typeof consentProposalSchema>[]> {
    return (
      await this.client.request<{ proposals: z.output<typeof consentProposalSchema>[] }>(
        'GET',
        `/v1/cases/${caseId}/consent-proposals`,
      )
    ).proposals;
  }

  /**
   * Confirms (a participant bound by secrecy, not its recorder) a change that widens its recorder's
   * own access, which then takes effect; or refuses it (its recorder withdraws it), and nothing changes.
   */
  async decideProposal(
    caseId: string,
    proposalId: string,
    decision: 'confirm' | 'refuse',
  ): Promise<z.output<typeof recordedConsentSchema> | undefined> {
    const path = `/v1/cases/${caseId}/consent-proposals/${proposalId}/${decision}`;
    if (decision === 'refuse') return this.client.request('POST', path);
    // The statement says what this member confirms: the proposal as the server shows it to them.
    const proposal = (await this.proposals(caseId)).find((p) => p.id === proposalId);
    if (proposal === undefined) throw new Error('this consent change no longer waits for confirmation');
    const stated = change('consent', {
      decision: proposal.decision,
      scope: proposal.scope,
      requestedBy: proposal.recordedBy,
    });
    return this.client.caseLogs.send(caseId, stated, (log) => this.client.request('POST', path, { log }));
  }

  /** The whole consent history, oldest first (all pages): the last record is the current position. */
  async history(caseId: string): Promise<{ records: z.output<typeof consentRecordSchema>[] }> {
    return { records: await this.client.all(`/v1/cases/${caseId}/consent`, 'records') };
  }

  async openException(
    caseId: string,
    basis: 'danger_grave_imminent' | 'unable_to_express_will' | 'legal_representative',
    scope: string[],
    justification: Uint8Array,
    durationHours: number = DEFAULT_EXCEPTION_HOURS,
  ): Promise<string> {
    const justificationEntryId = await this.client.cases.write(caseId, 'synthesis', justification, {
      kind: 'justification',
    });
    const opened = change('exception-opened', { scope, hours: durationHours });
    const res = await this.client.caseLogs.send(caseId, opened, (log) =>
      this.client.request<{ id: string }>('POST', `/v1/cases/${caseId}/exceptions`, {
        basis,
        scope,
        justificationEntryId,
        durationHours,
        log,
      }),
    );
    return res.id;
  }

  async exceptionStep(
    caseId: string,
    exceptionId: string,
    step: 'approve' | 'close' | 'inform',
  ): Promise<void> {
    const path = `/v1/cases/${caseId}/exceptions/${exceptionId}/${step}`;
    if (step === 'inform') {
      await this.client.request('POST', path);
      return;
    }
    const ref = await this.logSeqOf(caseId, exceptionId);
    const stated = change(step === 'approve' ? 'exception-approved' : 'exception-closed', { ref });
    await this.client.caseLogs.send(caseId, stated, (log) => this.client.request('POST', path, { log }));
  }

  /** Brings forward the end of an exception (its approver): `expiresAt` in ISO 8601, still to come. */
  async shortenException(caseId: string, exceptionId: string, expiresAt: string): Promise<void> {
    const ref = await this.logSeqOf(caseId, exceptionId);
    const stated = change('exception-shortened', { ref, until: expiresAt });
    await this.client.caseLogs.send(caseId, stated, (log) =>
      this.client.request('POST', `/v1/cases/${caseId}/exceptions/${exceptionId}/shorten`, {
        expiresAt,
        log,
      }),
    );
  }

  /**
   * Where the exception was opened in the verified log: the server names the place, and the log's
   * statement there must be an exception of the same scope, or the server pointed elsewhere.
   */
  private async logSeqOf(caseId: string, exceptionId: string): Promise<number> {
    const listed: Exception | undefined = (await this.exceptions(caseId)).exceptions.find(
      (e) => e.id === exceptionId,
    );
    const opened =
      listed?.logSeq == null
        ? undefined
        : (await this.client.caseLogs.current(caseId)).exceptions.get(listed.logSeq);
    if (listed === undefined || opened === undefined || opened.scope.join() !== listed.scope.join())
      throw new Error("this exception is not in the situation's verified membership log");
    return opened.openedSeq;
  }

  exceptions(caseId: string): Promise<{ exceptions: z.output<typeof exceptionSchema>[] }> {
    return this.client.request('GET', `/v1/cases/${caseId}/exceptions`);
  }
}
