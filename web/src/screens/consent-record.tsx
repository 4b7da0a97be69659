import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { ConsentRecordInput } from '../../../src/client/consent.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field, LongField } from '../ui/fields.js';
import { Radios } from '../ui/radios.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { ScopeTable } from './consent-scope.js';

// Recording the person's position: given (with what it opens), refused, or withdrawn; how it was
// obtained and when to review it. A withdrawal or a narrower scope takes keys away at once.

type Decision = ConsentRecordInput['decision'];
type Obtained = ConsentRecordInput['obtained'];
const DECISIONS: readonly Decision[] = ['given', 'refused', 'withdrawn'];
const OBTAINED: readonly Obtained[] = ['oral', 'written', 'legal_representative'];

export function RecordConsent(props: { caseId: string; current: string[]; onRecorded(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [decision, setDecision] = useState<Decision>('given');
  const [scope, setScope] = useState<string[]>(props.current);
  const [obtained, setObtained] = useState<Obtained>('oral');
  const [reviewOn, setReviewOn] = useState('');
  const [evidence, setEvidence] = useState('');
  const [revoked, setRevoked] = useState<number | undefined>(undefined);
  const [pending, setPending] = useState(false);
  const { busy, error, run } = useAction(async () => {
    setRevoked(undefined);
    setPending(false);
    const res = await client.consent.record(props.caseId, {
      decision,
      scope: decision === 'given' ? scope : [],
      obtained,
      ...(reviewOn === '' ? {} : { reviewOn }),
      ...(evidence === '' ? {} : { evidence: new TextEncoder().encode(evidence) }),
    });
    setEvidence('');
    setRevoked(res.keysRevoked);
    setPending(res.pending);
    await props.onRecorded();
  });
  return (
    <section aria-labelledby="record-title">
      <h2 id="record-title">{m('consent.record.title')}</h2>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Radios<Decision>
          label={m('consent.decision')}
          name="decision"
          value={decision}
          onChange={setDecision}
          options={DECISIONS.map((d) => ({ id: d, label: m(`consent.decision.${d}`) }))}
        />
        {decision === 'given' ? (
          <>
            <ScopeTable caption={m('consent.scope')} value={scope} onChange={setScope} />
            <p className="muted">{m('consent.scope.help')}</p>
          </>
        ) : null}
        <Radios<Obtained>
          label={m('consent.obtained')}
          name="obtained"
          value={obtained}
          onChange={setObtained}
          options={OBTAINED.map((o) => ({ id: o, label: m(`consent.obtained.${o}`) }))}
        />
        <LongField
          label={m('consent.evidence')}
          name="evidence"
          value={evidence}
          onChange={setEvidence}
          isRequired={false}
          description={m('consent.evidence.help')}
        />
        <Field
          label={m('consent.reviewOn')}
          name="reviewOn"
          type="date"
          value={reviewOn}
          onChange={setReviewOn}
          isRequired={false}
          description={m('consent.reviewOn.help')}
        />
        <ErrorNotice error={error} action="consent.record" />
        {revoked === undefined ? null : (
          <p role="status">{pending ? m('consent.pending') : m('consent.recorded', { count: revoked })}</p>
        )}
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy
            ? m('common.working')
            : decision === 'withdrawn'
              ? m('consent.withdraw')
              : m('consent.submit')}
        </Button>
      </Form>
    </section>
  );
}
