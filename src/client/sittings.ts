import type { ClsmClient } from './client.js';
import type { HandoverOptions } from './handover.js';
import type { z } from 'zod';
import type {
  caseDecisionSchema,
  myActionSchema,
  overdueActionSchema,
  sittingSummarySchema,
  sittingViewSchema,
} from '../sittings/wire-schema.js';

// Sittings through the SDK. Minutes and action descriptions are encrypted entries of the case's
// committee compartment, sealed here like any other entry.

export class Sittings {
  constructor(private readonly client: ClsmClient) {}

  async create(scheduledFor: Date, location: string, convened: string[]): Promise<string> {
    return (
      await this.client.request<{ id: string }>('POST', '/v1/sittings', {
        scheduledFor: scheduledFor.toISOString(),
        location,
        convened,
      })
    ).id;
  }

  /** Every sitting the member is convened to, latest first (all pages). */
  async list(): Promise<{ sittings: z.output<typeof sittingSummarySchema>[] }> {
    return { sittings: await this.client.all('/v1/sittings', 'sittings') };
  }

  view(sittingId: string): Promise<z.output<typeof sittingViewSchema>> {
    return this.client.request('GET', `/v1/sittings/${sittingId}`);
  }

  async addToAgenda(sittingId: string, caseId: string): Promise<string> {
    return (
      await this.client.request<{ itemId: string }>('POST', `/v1/sittings/${sittingId}/agenda`, { caseId })
    ).itemId;
  }

  async attendance(
    sittingId: string,
    marks: { memberId: string; attendance: 'present' | 'excused' | 'absent' }[],
  ): Promise<void> {
    await this.client.request('PUT', `/v1/sittings/${sittingId}/attendance`, { marks });
  }

  async hold(sittingId: string): Promise<void> {
    await this.client.request('POST', `/v1/sittings/${sittingId}/hold`);
  }

  async close(sittingId: string): Promise<void> {
    await this.client.request('POST', `/v1/sittings/${sittingId}/close`);
  }

  /** `handover.confirm`: when the entry makes the committee's key, each newcomer is shown first. */
  async minutes(
    sittingId: string,
    itemId: string,
    caseId: string,
    text: Uint8Array,
    handover: HandoverOptions = {},
  ): Promise<string> {
    const {
      kind: _kind,
      refersTo: _refersTo,
      ...entry
    } = await this.client.cases.seal(caseId, 'committee', text, 'minutes', itemId, handover);
    await this.client.request('POST', `/v1/sittings/${sittingId}/agenda/${itemId}/minutes`, entry);
    return entry.id;
  }

  /** A correction of frozen minutes: a new committee entry that refers to the original. */
  correct(
    caseId: string,
    minutesEntryId: string,
    text: Uint8Array,
    handover: HandoverOptions = {},
  ): Promise<string> {
    return this.client.cases.write(caseId, 'committee', text, {
      kind: 'correction',
      refersTo: minutesEntryId,
      ...handover,
    });
  }

  async decide(
    sittingId: string,
    itemId: string,
    category: string,
    adhesion: 'agrees' | 'disagrees' | 'not_asked' = 'not_asked',
  ): Promise<string> {
    return (
      await this.client.request<{ id: string }>(
        'POST',
        `/v1/sittings/${sittingId}/agenda/${itemId}/decisions`,
        { category, adhesion },
      )
    ).id;
  }

  /** A situation's decisions across its sittings, oldest first (whoever reads its committee compartment). */
  async decisionsOf(caseId: string): Promise<z.output<typeof caseDecisionSchema>[]> {
    const page = await this.client.request<{ decisions: z.output<typeof caseDecisionSchema>[] }>(
      'GET',
      `/v1/cases/${caseId}/decisions`,
    );
    return page.decisions;
  }

  /** The person's own answer to a decision about them (the person's device; their words go in their space). */
  async answer(decisionId: string, adhesion: 'agrees' | 'disagrees'): Promise<void> {
    await this.client.request('PUT', `/v1/decisions/${decisionId}/answer`, { adhesion });
  }

  /** The person's adhesion to a decision, once asked. */
  async adhesion(decisionId: string, adhesion: 'agrees' | 'disagrees' | 'not_asked'): Promise<void> {
    await this.client.request('PUT', `/v1/decisions/${decisionId}/adhesion`, { adhesion });
  }

  async action(
    sittingId: string,
    itemId: string,
    caseId: string,
    assigneeId: string,
    dueOn: string,
    what: Uint8Array,
    decisionId?: string,
    handover: HandoverOptions = {},
  ): Promise<string> {
    const descriptionEntryId = await this.client.cases.write(caseId, 'committee', what, {
      kind: 'action',
      ...handover,
    });
    const res = await this.client.request<{ id: string }>(
      'POST',
      `/v1/sittings/${sittingId}/agenda/${itemId}/actions`,
      { assigneeId, dueOn, descriptionEntryId, decisionId: decisionId ?? null },
    );
    return res.id;
  }

  /** Every open action assigned to the member, by due date (all pages). */
  async myActions(): Promise<{ actions: z.output<typeof myActionSchema>[] }> {
    return { actions: await this.client.all('/v1/actions/mine', 'actions') };
  }

  /** Every overdue action of the CLSM, by due date (all pages). */
  async overdue(): Promise<{ actions: z.output<typeof overdueActionSchema>[] }> {
    return { actions: await this.client.all('/v1/actions/overdue', 'actions') };
  }

  async completeAction(actionId: string, status: 'done' | 'cancelled' = 'done'): Promise<void> {
    await this.client.request('POST', `/v1/actions/${actionId}/status`, { status });
  }
}
