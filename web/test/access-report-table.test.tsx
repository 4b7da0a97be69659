import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fr } from '../src/i18n/fr.js';
import type { AccessLine } from '../src/screens/access-report-labels.js';
import { AccessReportTable } from '../src/screens/access-report-table.js';
import { renderInFrench } from './render.js';

// The access report as the person is given it: every line in plain French, a code the catalogue
// does not know shown as it is, and a report with no line saying so.

const member = {
  memberId: '0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11',
  role: 'coordinator',
  displayName: 'Camille Martin',
  organisation: 'CLSM de Villeneuve',
};
const line = (over: Partial<AccessLine>): AccessLine => ({
  at: '2026-03-14T09:05:00.000Z',
  type: 'case.read',
  outcome: 'success',
  action: null,
  compartment: null,
  ...member,
  legalBasis: null,
  legalBasisId: null,
  ...over,
});

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('the access report table', () => {
  it('says who did what, where and on which basis, in French', () => {
    renderInFrench(
      <AccessReportTable
        reference="S-2026-0042"
        lines={[
          line({ type: 'entry.written', compartment: 'health', legalBasis: 'care_team' }),
          line({ type: 'compartment.read', compartment: 'social', legalBasis: 'consent' }),
          line({ type: 'access.denied', outcome: 'denied', compartment: 'health' }),
          line({ type: 'case.purged', memberId: null, role: null, displayName: null, organisation: null }),
        ]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Accès au dossier de la situation S-2026-0042' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual([
      fr['report.col.at'],
      fr['report.col.who'],
      fr['report.col.what'],
      fr['report.col.compartment'],
      fr['report.col.basis'],
    ]);
    const [, written, read, denied, purged] = within(table).getAllByRole('row');
    if (written === undefined || read === undefined || denied === undefined || purged === undefined)
      throw new Error('four lines expected');
    expect(cells(written).slice(1)).toEqual([
      'Camille Martin (Coordination, CLSM de Villeneuve)',
      fr['report.event.entry.written'],
      fr['compartment.health'],
      fr['report.basis.care_team'],
    ]);
    expect(cells(written)[0]).toMatch(/^14\/03\/2026 \d\d:05:00$/);
    expect(cells(read).slice(2)).toEqual([
      fr['report.event.compartment.read'],
      fr['compartment.social'],
      fr['report.basis.consent'],
    ]);
    expect(cells(denied)[2]).toBe(`${fr['report.event.access.denied']} · ${fr['report.outcome.denied']}`);
    expect(cells(purged).slice(1, 3)).toEqual([fr['report.system'], fr['report.event.case.purged']]);
    expect(table.textContent).not.toMatch(/entry\.written|compartment\.read|care_team|coordinator/);
  });

  it('shows an event type it does not know as its code', () => {
    renderInFrench(<AccessReportTable reference="S-2026-0042" lines={[line({ type: 'case.archived' })]} />);
    const [, row] = screen.getAllByRole('row');
    expect(row === undefined ? [] : cells(row)[2]).toBe('case.archived');
  });

  it('says when nobody accessed the file', () => {
    renderInFrench(<AccessReportTable reference="S-2026-0042" lines={[]} />);
    expect(screen.getByText(fr['report.empty'])).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
