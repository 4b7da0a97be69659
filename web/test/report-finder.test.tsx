import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/client/http.js';
import { fr } from '../src/i18n/fr.js';
import { ReportFinder } from '../src/screens/report-finder.js';
import { renderInFrench } from './render.js';

// The DPO types the reference the person gave: a well-formed one opens that situation's access
// report; a malformed one is refused before asking; an unknown one is said in plain words.

const ID = '7a1c3f52-1e0b-4a8e-9a51-3c2d9b0e6f11';

function renderFinder(find: (reference: string) => Promise<{ id: string }>) {
  const router = createMemoryRouter(
    [
      { path: '/', element: <ReportFinder find={find} /> },
      { path: '/situations/:id/acces', element: <p>rapport</p> },
    ],
    { initialEntries: ['/'] },
  );
  renderInFrench(<RouterProvider router={router} />);
  return router;
}

describe('the access report finder', () => {
  it('opens the report of the situation the reference names', async () => {
    const find = vi.fn(() => Promise.resolve({ id: ID }));
    const router = renderFinder(find);
    await userEvent.type(screen.getByLabelText(fr['finder.reference'], { exact: false }), ' 2026-0007 ');
    await userEvent.keyboard('{Enter}');
    await vi.waitFor(() => {
      expect(router.state.location.pathname).toBe(`/situations/${ID}/acces`);
    });
    expect(find).toHaveBeenCalledWith('2026-0007');
  });

  it('refuses a malformed reference without asking the server', async () => {
    const find = vi.fn(() => Promise.resolve({ id: ID }));
    renderFinder(find);
    await userEvent.type(screen.getByLabelText(fr['finder.reference'], { exact: false }), 'Mme Exemple');
    await userEvent.click(screen.getByRole('button', { name: fr['finder.submit'] }));
    expect(find).not.toHaveBeenCalled();
  });

  it('says an unknown reference in plain words', async () => {
    renderFinder(() => Promise.reject(new ApiError(404, 'NOT_FOUND', 'case not found', 'req-1')));
    await userEvent.type(screen.getByLabelText(fr['finder.reference'], { exact: false }), '2026-0099');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain(fr['error.NOT_FOUND.reference']);
  });
});
