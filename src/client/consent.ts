import type { ClsmClient } from './client.js';
import type { z } from 'zod';
import type {
  consentProposalSchema,
  consentRecordSchema,
  exceptionSchema,
  recordedConsentSchema,
} from '../consent/wire-schema.js';

// The person's consent and the legal exceptions, through the SDK. Evidence and justifications are
// written as encrypted entries first (their text never reaches the server in clear).

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
    return this.client.request('POST', `/v1/cases/${caseId}/consent`, {
      decision: input.decision,
      scope: input.scope ?? [],
      obtained: input.obtained,
      statisticsObjection: input.statisticsObjection ?? false,
      evidenceEntryId,
      reviewOn: input.reviewOn ?? null,
    });
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
    return this.client.request('POST', `/v1/cases/${caseId}/consent-proposals/${proposalId}/${decision}`);
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
    durationHours?: number,
  ): Promise<string> {
    const justificationEntryId = await this.client.cases.write(caseId, 'synthesis', justification, {
      kind: 'justification',
    });
    const res = await this.client.request<{ id: string }>('POST', `/v1/cases/${caseId}/exceptions`, {
      basis,
      scope,
      justificationEntryId,
      ...(durationHours === undefined ? {} : { durationHours }),
    });
    return res.id;
  }

  async exceptionStep(
    caseId: string,
    exceptionId: string,
    step: 'approve' | 'close' | 'inform',
  ): Promise<void> {
    await this.client.request('POST', `/v1/cases/${caseId}/exceptions/${exceptionId}/${step}`);
  }

  exceptions(caseId: string): Promise<{ exceptions: z.output<typeof exceptionSchema>[] }> {
    return this.client.request('GET', `/v1/cases/${caseId}/exceptions`);
  }
}
