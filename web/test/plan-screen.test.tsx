import { screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../src/client/cases.js';
import { encodePlan, type Plan } from '../../src/client/plan.js';
import { PlanScreen } from '../src/screens/plan.js';
import { renderInFrench } from './render.js';

// The plan's screen, on what a situation's synthesis holds: the latest plan entry is the plan in
// force; when that one does not match the format, the screen says so plainly, shows none of it,
// and the form starts from the last readable version.

const AUTHOR = '0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11';
const PLAN: Plan = {
  referent: 'Inès Infirmière, CMP secteur 3',
  problems: '',
  wishes: 'Rester dans son logement',
  objectives: [],
  actions: [],
  nextReview: '2027-02-01',
};

const timeline = vi.fn<() => Promise<TimelineEntry[]>>();
vi.mock('../src/device/session.js', () => ({
  useClient: () => ({
    me: { role: 'health_professional' },
    client: {
      members: () => Promise.resolve([{ id: AUTHOR, displayName: 'Inès Infirmière' }]),
      cases: {
        timeline,
        view: () =>
          Promise.resolve({
            id: 'c1',
            reference: '2026-0007',
            compartments: [{ name: 'synthesis', readable: true, keyVersion: 1, rotationRequired: false }],
          }),
      },
    },
  }),
}));

function entry(n: number, plaintext: Uint8Array): TimelineEntry {
  return {
    state: 'verified',
    id: `00000000-0000-4000-8000-00000000000${n}`,
    kind: 'note',
    authorId: AUTHOR,
    refersTo: null,
    keyVersion: 1,
    createdAt: `2026-11-0${n}T10:00:00.000Z`,
    plaintext,
  };
}

function renderScreen() {
  const router = createMemoryRouter([{ path: '/situations/:id/plan', element: <PlanScreen /> }], {
    initialEntries: ['/situations/c1/plan'],
  });
  renderInFrench(<RouterProvider router={router} />);
}

describe('the plan screen', () => {
  it('shows the plan in force as a document to print', async () => {
    timeline.mockResolvedValue([entry(1, new TextEncoder().encode('une note')), entry(2, encodePlan(PLAN))]);
    renderScreen();
    const sheet = await screen.findByRole('article', { name: /^Plan personnalisé de coordination/ });
    expect(sheet.textContent).toContain('Rester dans son logement');
    expect(screen.getByRole('button', { name: 'Imprimer le plan' })).toBeDefined();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says the latest plan is unreadable and starts the form from the last readable one', async () => {
    const foreign = JSON.stringify({ type: 'clsm.plan', version: 1, plan: { referent: 42 } });
    timeline.mockResolvedValue([entry(1, encodePlan(PLAN)), entry(2, new TextEncoder().encode(foreign))]);
    renderScreen();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Le plan le plus récent ne peut pas être affiché');
    expect(screen.queryByRole('article')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Imprimer le plan' })).toBeNull();
    expect(screen.getByLabelText('Souhaits et attentes de la personne', { exact: false })).toHaveProperty(
      'value',
      PLAN.wishes,
    );
    expect(screen.getByRole('region', { name: 'Versions du plan' }).textContent).toContain('illisible');
  });
});
