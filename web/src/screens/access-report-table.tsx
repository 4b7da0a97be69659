import { FormattedDate } from 'react-intl';
import { useMessages } from '../ui/messages.js';
import {
  actorLabel,
  basisLabel,
  compartmentLabel,
  eventLabel,
  outcomeLabel,
  type AccessLine,
} from './access-report-labels.js';

// The access report's lines, oldest first, in plain words: when, who, what (and a refusal), in
// which compartment, on which legal basis.

export function AccessReportTable({ reference, lines }: { reference: string; lines: AccessLine[] }) {
  const m = useMessages();
  if (lines.length === 0) return <p>{m('report.empty')}</p>;
  return (
    <table>
      <caption>{m('report.caption', { reference })}</caption>
      <thead>
        <tr>
          <th scope="col">{m('report.col.at')}</th>
          <th scope="col">{m('report.col.who')}</th>
          <th scope="col">{m('report.col.what')}</th>
          <th scope="col">{m('report.col.compartment')}</th>
          <th scope="col">{m('report.col.basis')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr key={i}>
            <td>
              <time dateTime={l.at}>
                <FormattedDate value={l.at} dateStyle="short" timeStyle="medium" />
              </time>
            </td>
            <td>{actorLabel(m, l)}</td>
            <td>
              {eventLabel(m, l.type)}
              {l.outcome === 'success' ? null : (
                <span className="withheld">
                  {' · '}
                  {outcomeLabel(m, l.outcome)}
                </span>
              )}
            </td>
            <td>{l.compartment === null ? null : compartmentLabel(m, l.compartment)}</td>
            <td>{l.legalBasis === null ? null : basisLabel(m, l.legalBasis)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
