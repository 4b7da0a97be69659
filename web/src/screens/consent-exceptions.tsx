import { useCallback, useEffect, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { Consent } from '../../../src/client/consent.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { Radios } from '../ui/radios.js';
import { useAction } from '../ui/use-action.js';
import { ScopeTable, useScopeText } from './consent-scope.js';

// Legal exceptions: asked for by a participant bound by secrecy, with a justification written as an
// encrypted entry; approved by a second member; closed when no longer needed, or at its term.

type Exception = Awaited<ReturnType<Consent['exceptions']>>['exceptions'][number];
type Basis = Parameters<Consent['openException']>[1];
const BASES: readonly Basis[] = ['danger_grave_imminent', 'unable_to_express_will', 'legal_representative'];
const DURATIONS = ['24', '72', '168', '720'] as const;

function ExceptionRow(props: { caseId: string; exception: Exception; onChanged(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const scopeText = useScopeText();
  const e = props.exception;
  const [step, setStep] = useState<'approve' | 'close'>('approve');
  const { busy, error, run } = useAction(async (next: 'approve' | 'close') => {
    setStep(next);
    await client.consent.exceptionStep(props.caseId, e.id, next);
    await props.onChanged();
  });
  const basis = e.basis === null ? m('consent.hidden') : m(`exception.basis.${e.basis}` as MessageId);
  return (
    <tr>
      <td>{basis}</td>
      <td>{scopeText(e.scope)}</td>
      <td>
        {e.closedAt !== null ? (
          m('exception.state.closed')
        ) : e.approvedAt === null ? (
          m('exception.state.requested')
        ) : (
          <FormattedMessage
            id="exception.state.approved"
            values={{
              date:
                e.expiresAt === null ? (
                  ''
                ) : (
                  <FormattedDate value={e.expiresAt} dateStyle="medium" timeStyle="short" />
                ),
            }}
          />
        )}
      </td>
      <td>
        <div className="row-actions">
          {e.approvedAt === null && e.closedAt === null ? (
            <Button className="button" isDisabled={busy} onPress={() => void run('approve')}>
              {m('exception.approve')}
            </Button>
          ) : null}
          {e.closedAt === null ? (
            <Button className="button" isDisabled={busy} onPress={() => void run('close')}>
              {m('exception.close')}
            </Button>
          ) : null}
        </div>
        <ErrorNotice error={error} action={`exception.${step}`} />
      </td>
    </tr>
  );
}

function RequestException(props: { caseId: string; onRequested(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [basis, setBasis] = useState<Basis>('danger_grave_imminent');
  const [scope, setScope] = useState<string[]>([]);
  const [justification, setJustification] = useState('');
  const [hours, setHours] = useState<(typeof DURATIONS)[number]>('72');
  const [requested, setRequested] = useState(false);
  const { busy, error, run } = useAction(async () => {
    setRequested(false);
    await client.consent.openException(
      props.caseId,
      basis,
      scope,
      new TextEncoder().encode(justification),
      Number(hours),
    );
    setJustification('');
    setRequested(true);
    await props.onRequested();
  });
  return (
    <section aria-labelledby="exception-request-title">
      <h3 id="exception-request-title">{m('exception.request.title')}</h3>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Radios<Basis>
          label={m('exception.basis')}
          name="basis"
          value={basis}
          onChange={setBasis}
          options={BASES.map((b) => ({ id: b, label: m(`exception.basis.${b}`) }))}
        />
        <ScopeTable caption={m('exception.scope')} value={scope} onChange={setScope} />
        <LongField
          label={m('exception.justification')}
          name="justification"
          value={justification}
          onChange={setJustification}
          description={m('exception.justification.help')}
        />
        <Choice
          label={m('exception.duration')}
          name="duration"
          value={hours}
          onChange={setHours}
          options={DURATIONS.map((h) => ({
            id: h,
            label: m('exception.duration.hours', { hours: Number(h) }),
          }))}
        />
        <ErrorNotice error={error} action="consent.record" />
        {requested ? <p role="status">{m('exception.requested')}</p> : null}
        <Button type="submit" className="button primary" isDisabled={busy || scope.length === 0}>
          {busy ? m('common.working') : m('exception.submit')}
        </Button>
      </Form>
    </section>
  );
}

export function Exceptions(props: { caseId: string; onChanged(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [list, setList] = useState<Exception[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      setList((await client.consent.exceptions(props.caseId)).exceptions);
    } catch (err) {
      setError(err);
    }
  }, [client, props.caseId]);
  useEffect(() => {
    void load();
  }, [load]);
  const changed = async () => {
    await load();
    await props.onChanged();
  };
  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">{m('exception.title')}</h2>
      <p>{m('exception.intro')}</p>
      <ErrorNotice error={error} />
      {list !== undefined && list.length === 0 ? <p>{m('exception.none')}</p> : null}
      {list !== undefined && list.length > 0 ? (
        <table aria-labelledby="exceptions-title">
          <thead>
            <tr>
              <th scope="col">{m('exception.col.basis')}</th>
              <th scope="col">{m('exception.col.scope')}</th>
              <th scope="col">{m('exception.col.state')}</th>
              <th scope="col">{m('exception.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <ExceptionRow key={e.id} caseId={props.caseId} exception={e} onChanged={changed} />
            ))}
          </tbody>
        </table>
      ) : null}
      <RequestException caseId={props.caseId} onRequested={changed} />
    </section>
  );
}
