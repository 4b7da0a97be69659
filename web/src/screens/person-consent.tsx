import { useState } from 'react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { CaseView } from '../../../src/client/cases.js';
import type { Consent } from '../../../src/client/consent.js';
import { useClient } from '../device/session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { CONSENT_SCOPES } from './consent-scopes.js';
import { basisWords, partsOf, whoWords } from './person-words.js';

// "Qui peut voir mon dossier": for each role whose access rests on the person's consent, what it
// may see now, in plain words, and the person's own choice to take it away or give it back. Their
// choice is recorded as the professionals record it (client.consent.record), with the same effect
// at once: a narrowed access takes the keys away and the next entry goes under a new key. Then
// what was noted, and the times the law allowed sharing without them.

type ConsentRecord = Awaited<ReturnType<Consent['history']>>['records'][number];
type Exception = Awaited<ReturnType<Consent['exceptions']>>['exceptions'][number];

const ROLES = [...new Set(CONSENT_SCOPES.map((s) => s.split(':')[0] ?? ''))];

/** The consent as it stands: what it opens (nothing unless given). */
export function currentScope(view: CaseView): string[] {
  return view.consent?.decision === 'given' ? view.consent.scope : [];
}

/** The new scope once the person takes a role's access away, or gives it all back. */
export function scopeAfter(scope: readonly string[], role: string, give: boolean): string[] {
  const others = scope.filter((pair) => !pair.startsWith(`${role}:`));
  return give ? [...others, ...CONSENT_SCOPES.filter((pair) => pair.startsWith(`${role}:`))] : others;
}

/** Whether the words for a role are plural ("Les soignants peuvent"): all but the coordination. */
const manyOf = (role: string) => (role === 'coordinator' ? 'no' : 'yes');

function RoleAccess(props: {
  caseId: string;
  view: CaseView;
  role: string;
  who: string;
  onChanged: () => Promise<void>;
}) {
  const m = useMessages();
  const { client } = useClient();
  const [done, setDone] = useState<string | undefined>(undefined);
  const who = { who: props.who, many: manyOf(props.role) };
  const scope = currentScope(props.view);
  const mine = scope.filter((pair) => pair.startsWith(`${props.role}:`));
  const give = mine.length === 0;
  const next = scopeAfter(scope, props.role, give);
  const offered = partsOf(
    m,
    CONSENT_SCOPES.filter((pair) => pair.startsWith(`${props.role}:`)),
  );
  // What the choice changes: all the consent can open for the role, or what it opens now.
  const changing = { ...who, parts: give ? offered : partsOf(m, mine) };
  const change = useAction(async (close: () => void) => {
    setDone(undefined);
    // The person records it themselves, on their own device: a written, signed choice.
    const res = await client.consent.record(props.caseId, {
      decision: next.length === 0 ? 'withdrawn' : 'given',
      scope: next,
      obtained: 'written',
    });
    close();
    setDone(
      res.pending
        ? m('person.consent.pending')
        : m(give ? 'person.consent.given' : 'person.consent.withdrawn', changing),
    );
    await props.onChanged();
  });
  return (
    <li className="person-card">
      <p>{m(give ? 'person.consent.seesNot' : 'person.consent.sees', changing)}</p>
      <ConfirmDialog
        button={m(give ? 'person.consent.give' : 'person.consent.withdraw')}
        buttonLabel={m(give ? 'person.consent.give.label' : 'person.consent.withdraw.label', {
          who: props.who,
        })}
        buttonClass={give ? 'button' : 'button danger'}
        title={m(give ? 'person.consent.give.title' : 'person.consent.withdraw.title')}
        explain={m(give ? 'person.consent.give.explain' : 'person.consent.withdraw.explain', changing)}
        cancel={m('person.consent.cancel')}
        confirm={m(give ? 'person.consent.give.confirm' : 'person.consent.withdraw.confirm')}
        tone={give ? 'primary' : 'danger'}
        busy={change.busy}
        error={change.error}
        onConfirm={(close) => void change.run(close)}
      />
      {done === undefined ? null : <p role="status">{done}</p>}
    </li>
  );
}

export function PersonConsent(props: {
  caseId: string;
  view: CaseView;
  records: ConsentRecord[];
  exceptions: Exception[];
  nameOf: (memberId: string) => string;
  organisationOf(memberId: string): string | undefined;
  onChanged: () => Promise<void>;
}) {
  const m = useMessages();
  const { me } = useClient();
  const who = (role: string) => {
    // The partners of this situation by their organisation: "Les partenaires (Habitat 76)".
    const names = props.view.participants
      .filter((p) => p.role === role && role === 'partner')
      .map((p) => props.organisationOf(p.memberId))
      .filter((o) => o !== undefined && o !== '');
    return names.length === 0 ? whoWords(m, role) : m('person.who.partnerNamed', { names: names.join(', ') });
  };
  const day = (at: string) => <FormattedDate value={at} dateStyle="long" />;
  return (
    <section aria-labelledby="person-consent" className="person-section">
      <h2 id="person-consent">{m('person.consent.title')}</h2>
      <p>{m('person.consent.careTeam')}</p>
      <p>{m('person.consent.intro')}</p>
      <ul className="person-list">
        {ROLES.map((role) => (
          <RoleAccess
            key={role}
            caseId={props.caseId}
            view={props.view}
            role={role}
            who={who(role)}
            onChanged={props.onChanged}
          />
        ))}
      </ul>
      <h3>{m('person.consent.history')}</h3>
      {props.records.length === 0 ? (
        <p>{m('person.consent.history.none')}</p>
      ) : (
        <ol className="person-list">
          {[...props.records].reverse().map((r) => (
            <li key={r.id}>
              {/* What the person chose themselves is said to them as theirs. */}
              <FormattedMessage
                id={
                  r.recordedBy === me.memberId
                    ? `person.consent.record.you.${r.decision}`
                    : `person.consent.record.${r.decision}`
                }
                values={{
                  date: day(r.recordedAt),
                  who: props.nameOf(r.recordedBy),
                  parts: partsOf(m, r.scope),
                }}
              />
            </li>
          ))}
        </ol>
      )}
      <h3>{m('person.consent.exceptions')}</h3>
      {props.exceptions.length === 0 ? (
        <p>{m('person.consent.exceptions.none')}</p>
      ) : (
        <ul className="person-list">
          {props.exceptions.map((e) => {
            const values = {
              parts: partsOf(m, e.scope),
              basis: basisWords(m, e.basis),
              from: day(e.approvedAt ?? ''),
              until: day(e.closedAt ?? e.expiresAt ?? ''),
            };
            return (
              <li key={e.id}>
                {e.approvedAt === null ? (
                  <FormattedMessage id="person.consent.exception.asked" values={values} />
                ) : (
                  <FormattedMessage
                    id={
                      e.closedAt === null && e.expiresAt === null
                        ? 'person.consent.exception.open'
                        : 'person.consent.exception'
                    }
                    values={values}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
