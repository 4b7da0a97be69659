import { useCallback, useEffect, useState } from 'react';
import type { AccessReport, CaseView } from '../../../src/client/cases.js';
import type { Consent } from '../../../src/client/consent.js';
import { readPersonSpace, type PersonSpace } from '../../../src/client/person-space.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { PersonAccess } from './person-access.js';
import { PersonConsent } from './person-consent.js';
import { PersonDecisions } from './person-decisions.js';
import { PersonStatement, PersonSummaries } from './person-writings.js';

// One situation seen by the person it is about: what the team shares with them (decided, summed
// up), their own view, who may see their file and who looked at it. Everything is read on their
// device; their space is the only compartment they hold.

interface Loaded {
  view: CaseView;
  space: PersonSpace;
  records: Awaited<ReturnType<Consent['history']>>['records'];
  exceptions: Awaited<ReturnType<Consent['exceptions']>>['exceptions'];
  report: AccessReport;
  people: Map<string, { name: string; organisation: string }>;
}

export function PersonFolder(props: { caseId: string }) {
  const m = useMessages();
  const { client, me } = useClient();
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      const view = await client.cases.view(props.caseId);
      const own = view.compartments.find((c) => c.name === 'person');
      const entries =
        own === undefined || !own.readable || own.keyVersion === 0
          ? []
          : await client.cases.timeline(props.caseId, 'person');
      const [history, exceptions, report, members] = await Promise.all([
        client.consent.history(props.caseId),
        client.consent.exceptions(props.caseId),
        client.cases.accessReport(props.caseId),
        client.members(),
      ]);
      const people = new Map(
        members.map((x) => [x.id, { name: x.displayName, organisation: x.organisation }]),
      );
      setLoaded({
        view,
        // Their own answers and statements are those this device signed.
        space: readPersonSpace(entries, (authorId) => authorId === me.memberId),
        records: history.records,
        exceptions: exceptions.exceptions,
        report,
        people,
      });
    } catch (err) {
      setError(err);
    }
  }, [client, me.memberId, props.caseId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error !== undefined) return <ErrorNotice error={error} />;
  if (loaded === undefined) return <p>{m('common.loading')}</p>;
  const nameOf = (id: string) =>
    id === me.memberId ? m('person.you') : (loaded.people.get(id)?.name ?? m('person.someone'));
  const { space } = loaded;
  return (
    <>
      <nav aria-label={m('person.sections')} className="person-sections">
        <a href="#person-decisions">{m('person.decisions.title')}</a>
        <a href="#person-summary">{m('person.summary.title')}</a>
        <a href="#person-statement">{m('person.statement.title')}</a>
        <a href="#person-consent">{m('person.consent.title')}</a>
        <a href="#person-access">{m('person.access.title')}</a>
      </nav>
      {space.malformed.length === 0 ? null : (
        <p className="notice">{m('person.malformed', { count: space.malformed.length })}</p>
      )}
      {space.withheld === 0 ? null : (
        <p className="notice">{m('person.withheld', { count: space.withheld })}</p>
      )}
      <PersonDecisions caseId={props.caseId} space={space} onSaved={load} />
      <PersonSummaries space={space} nameOf={nameOf} />
      <PersonStatement caseId={props.caseId} space={space} nameOf={nameOf} onSaved={load} />
      <PersonConsent
        caseId={props.caseId}
        view={loaded.view}
        records={loaded.records}
        exceptions={loaded.exceptions}
        nameOf={nameOf}
        organisationOf={(id) => loaded.people.get(id)?.organisation}
        onChanged={load}
      />
      <PersonAccess report={loaded.report} />
    </>
  );
}
