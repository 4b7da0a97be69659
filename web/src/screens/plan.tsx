import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import { Link, useParams } from 'react-router';
import type { CaseView } from '../../../src/client/cases.js';
import type { Member } from '../../../src/client/client.js';
import { encodePlan, planVersions, type PlanVersion } from '../../../src/client/plan.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { KeyCreationConfirm } from './key-creation-confirm.js';
import { rotationsDue } from './key-handover.js';
import { PlanForm } from './plan-form.js';
import { PlanSheet } from './plan-sheet.js';
import { useKeyedWrite } from './use-keyed-write.js';

// The situation's plan (PPCS): the plan in force, read from the synthesis and decrypted here, to
// read or print; its earlier versions; the form that saves a new version. Who may read and write it
// is who may read and write the synthesis.

type Loaded =
  { view: CaseView; readable: false } | { view: CaseView; readable: true; versions: PlanVersion[] };

export function PlanScreen() {
  const m = useMessages();
  const { id = '' } = useParams();
  const { client } = useClient();
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    try {
      const view = await client.cases.view(id);
      setMembers(await client.members());
      const synthesis = view.compartments.find((c) => c.name === 'synthesis');
      if (synthesis?.readable !== true) {
        setLoaded({ view, readable: false });
        return;
      }
      const entries = synthesis.keyVersion === 0 ? [] : await client.cases.timeline(id, 'synthesis');
      setLoaded({ view, readable: true, versions: planVersions(entries) });
    } catch (err) {
      setError(err);
    }
  }, [client, id]);
  useEffect(() => {
    void load();
  }, [load]);
  const saving = useKeyedWrite(id, async () => {
    setSaved(true);
    await load();
  });

  if (error !== undefined) return <ErrorNotice error={error} />;
  if (loaded === undefined) return <p>{m('common.loading')}</p>;
  const { view } = loaded;
  const back = <Link to={`/situations/${id}`}>{m('plan.back')}</Link>;
  const title = <h1 id="title">{m('plan.title', { reference: view.reference })}</h1>;
  if (!loaded.readable)
    return (
      <section aria-labelledby="title">
        {title}
        <p>{m('plan.closed')}</p>
        <p>{back}</p>
      </section>
    );

  const authorName = (memberId: string) =>
    members.find((x) => x.id === memberId)?.displayName ?? m('entry.unknownAuthor');
  const current = loaded.versions.at(-1);
  const lastValid = loaded.versions.findLast((v) => v.state === 'valid');
  const rotating = rotationsDue(view).includes('synthesis');
  return (
    <section aria-labelledby="title">
      {title}
      <p className="muted">{m('plan.intro')}</p>
      {current === undefined ? <p>{m('plan.none')}</p> : null}
      {current?.state === 'malformed' ? (
        <div role="alert" className="notice notice-error">
          <p className="notice-title">{m('plan.malformed.title')}</p>
          <p>{m('plan.malformed')}</p>
        </div>
      ) : null}
      {current?.state === 'valid' ? (
        <>
          <PlanSheet
            reference={view.reference}
            plan={current.plan}
            author={authorName(current.authorId)}
            createdAt={current.createdAt}
          />
          <Button
            className="button"
            onPress={() => {
              window.print();
            }}
          >
            {m('plan.print')}
          </Button>
        </>
      ) : null}
      {loaded.versions.length > 1 ? (
        <section aria-labelledby="plan-history-title">
          <h2 id="plan-history-title">{m('plan.history')}</h2>
          <ol className="timeline">
            {[...loaded.versions].reverse().map((v) => (
              <li key={v.entryId}>
                <FormattedDate value={v.createdAt} dateStyle="medium" timeStyle="short" />
                {' · '}
                {authorName(v.authorId)}
                {v.state === 'malformed' ? (
                  <span className="withheld"> · {m('plan.history.malformed')}</span>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="plan-form-title" className="write">
        <h2 id="plan-form-title">{current === undefined ? m('plan.form.first') : m('plan.form.title')}</h2>
        {rotating ? (
          <div className="notice">
            <p>{m('situation.handover')}</p>
            <Link to={`/situations/${id}/cercle`}>{m('situation.handover.link')}</Link>
          </div>
        ) : saving.asking !== undefined ? (
          <KeyCreationConfirm
            compartment={saving.asking.compartment}
            recipients={saving.asking.recipients}
            busy={saving.confirm.busy}
            onConfirm={() => void saving.confirm.run()}
            onCancel={saving.cancel}
          />
        ) : (
          <PlanForm
            key={lastValid?.entryId ?? 'new'}
            initial={lastValid?.state === 'valid' ? lastValid.plan : undefined}
            busy={saving.write.busy}
            onSave={(plan) => {
              setSaved(false);
              void saving.write.run('synthesis', encodePlan(plan));
            }}
          />
        )}
        <ErrorNotice error={saving.write.error ?? saving.confirm.error} />
        {saved ? <p role="status">{m('plan.saved')}</p> : null}
      </section>
      <p>{back}</p>
    </section>
  );
}
