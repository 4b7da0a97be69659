import type { ClsmClient } from './client.js';
import type { z } from 'zod';
import type { consentRecordSchema, exceptionSchema, recordedConsentSchema } from '../consent/wire-schema.js';

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
