import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PublishedTable } from '../../src/stats/vocabulary/release-schema.js';
import { fr } from '../src/i18n/fr.js';
import { BilanSection } from '../src/screens/bilan-section.js';
import { renderInFrench } from './render.js';

// A table of the bilan as an elected official reads it: a chart named by its title with its bars,
// the table view with every value in fr-FR, n.d. drawn without a bar and explained, a table not
// published said as such.

const origin: PublishedTable = {
  id: 'saisines_origine',
  title: 'Origine des saisines',
  population: 'Situations dont la saisine a été reçue dans l’année',
  status: 'published',
  cells: [
    { key: 'bailleur', label: 'Bailleur', value: 1235 },
    { key: 'psychiatrie', label: 'Psychiatrie', value: 'n.d.' },
    { key: 'police', label: 'Police / gendarmerie', value: 0 },
  ],
  total: 1243,
  notes: ['Effectifs arrondis au multiple de 5 le plus proche ; le total est exact.'],
};
const nothing = () => Promise.resolve();
const NBSP = /[\u202f\u00a0]/;

describe('a table of the bilan', () => {
  it('draws the chart and gives the table view, numbers in fr-FR', () => {
    renderInFrench(<BilanSection table={origin} download={nothing} />);
    const chart = screen.getByRole('img', {
      name: 'Origine des saisines',
      description: fr['bilan.chart.desc'],
    });
    expect(chart.querySelectorAll('rect')).toHaveLength(1);
    expect(chart.textContent).toContain(fr['bilan.nd.long']);

    const table = screen.getByRole('table', { name: 'Origine des saisines' });
    const rows = within(table)
      .getAllByRole('row')
      .map((r) => r.textContent);
    expect(rows[0]).toBe(`${fr['bilan.col.category']}${fr['bilan.col.count']}`);
    expect(rows[1]).toMatch(new RegExp(`^Bailleur1${NBSP.source}235$`));
    expect(rows[2]).toBe('Psychiatrien.d.');
    expect(rows[3]).toBe('Police / gendarmerie0');
    expect(rows[4]).toMatch(new RegExp(`^${fr['bilan.total']}1${NBSP.source}243$`));
    expect(within(table).getByTitle(fr['bilan.nd.long']).textContent).toBe('n.d.');
    expect(screen.getByText(origin.notes[0] ?? '')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Télécharger (CSV) : Origine des saisines' })).toBeTruthy();
  });

  it('shows attendance as percentages, drawn against 100 %', () => {
    const attendance: PublishedTable = {
      ...origin,
      id: 'assiduite',
      title: 'Taux de présence des partenaires aux séances (%)',
      cells: [
        { key: 'bailleur', label: 'Bailleurs', value: 50 },
        { key: 'police', label: 'Police / gendarmerie', value: 'n.d.' },
      ],
      total: 50,
    };
    renderInFrench(<BilanSection table={attendance} download={nothing} />);
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('columnheader')[1]?.textContent).toBe(fr['bilan.col.rate']);
    expect(within(table).getAllByRole('row')[1]?.textContent).toMatch(
      new RegExp(`^Bailleurs50${NBSP.source}%$`),
    );
    expect(screen.getByRole('img').querySelector('rect')?.getAttribute('width')).toBe('260');
  });

  it('says a table is not published, with no chart, and how many CLSMs a regional one sums', () => {
    renderInFrench(
      <BilanSection
        table={{
          ...origin,
          status: 'withheld',
          cells: [],
          total: 'n.d.',
          notes: ['Moins de 11 situations.'],
        }}
        contributors={3}
        download={nothing}
      />,
    );
    expect(screen.getByText(fr['bilan.withheld'])).toBeTruthy();
    expect(screen.getByText('Somme des tableaux de 3 CLSM.')).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
