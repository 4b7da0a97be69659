import type { MessageId } from '../i18n/fr.js';
import { CellCheck } from '../ui/checks.js';
import { useMessages } from '../ui/messages.js';
import { CONSENT_SCOPES } from './consent-scopes.js';
import { COMPARTMENTS } from '../../../src/kernel/compartments.js';

// What a consent (or a legal exception) opens: a role × compartment table of checkboxes, offered
// only where consent makes a difference (CONSENT_SCOPES).

const ROLES = [...new Set(CONSENT_SCOPES.map((s) => s.split(':')[0] ?? ''))];

export function ScopeTable(props: { caption: string; value: string[]; onChange(value: string[]): void }) {
  const m = useMessages();
  const toggle = (pair: string, on: boolean) => {
    props.onChange(on ? [...props.value, pair] : props.value.filter((x) => x !== pair));
  };
  return (
    <table className="scope">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{m('consent.scope.role')}</th>
          {COMPARTMENTS.map((c) => (
            <th key={c} scope="col">
              {m(`compartment.${c}` as MessageId)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ROLES.map((role) => (
          <tr key={role}>
            <th scope="row">{m(`role.${role}` as MessageId)}</th>
            {COMPARTMENTS.map((c) => {
              const pair = `${role}:${c}`;
              return (
                <td key={c}>
                  {CONSENT_SCOPES.includes(pair) ? (
                    <CellCheck
                      label={`${m(`role.${role}` as MessageId)} : ${m(`compartment.${c}` as MessageId)}`}
                      isSelected={props.value.includes(pair)}
                      onChange={(on) => {
                        toggle(pair, on);
                      }}
                    />
                  ) : (
                    <span className="muted">{m('consent.scope.notApplicable')}</span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A scope read back: "Partenaire : Synthèse, …". */
export function useScopeText(): (scope: string[]) => string {
  const m = useMessages();
  return (scope) =>
    scope
      .map((s) => {
        const [role, c] = s.split(':');
        return `${m(`role.${role}` as MessageId)} : ${m(`compartment.${c}` as MessageId)}`;
      })
      .join(', ');
}
