import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../src/kernel/roles.js';
import { fr } from '../src/i18n/fr.js';
import { BilanRelease } from '../src/screens/bilan-release.js';
import { renderInFrench } from './render.js';

// Releasing the year from the bilan screen: the coordinator asks and is told, in words, that the
// release waits for a second person or that it is frozen; the DPO is offered the approval alone.

const request = vi.fn();
const session = { role: 'coordinator' as Role };
vi.mock('../src/device/session.js', () => ({
  useClient: () => ({ client: { request }, me: { role: session.role } }),
}));

const pending = (threshold: number) => ({
  year: 2025,
  status: 'approval_required',
  requestedBy: '0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11',
  requestedAt: '2026-11-30T10:00:00.000Z',
  changedSituations: 12,
  windowDays: 30,
  threshold,
});

describe('releasing the bilan', () => {
  beforeEach(() => {
    request.mockReset();
    session.role = 'coordinator';
  });

  it('says that the release waits for a second person, and why', async () => {
    request.mockResolvedValue(pending(10));
    const released = vi.fn();
    renderInFrench(<BilanRelease year={2025} onReleased={released} />);
    await userEvent.click(screen.getByRole('button', { name: 'Diffuser le bilan de 2025' }));
    expect(request).toHaveBeenCalledWith('POST', '/v1/stats/releases', { year: 2025 });
    const heading = await screen.findByRole('heading', {
      name: 'La diffusion du bilan de 2025 attend une seconde personne.',
    });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('status').textContent).toContain(
      'Les catégories de 12 situations ont été saisies ou modifiées dans les 30 jours précédents (seuil : 10).',
    );
    expect(released).not.toHaveBeenCalled();
  });

  it('says that a site asks a second person for every release', async () => {
    request.mockResolvedValue(pending(0));
    renderInFrench(<BilanRelease year={2025} onReleased={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Diffuser le bilan de 2025' }));
    expect((await screen.findByRole('status')).textContent).toContain(fr['bilan.release.pendingAlways']);
  });

  it('offers the DPO the approval alone, and says the year is frozen once approved', async () => {
    session.role = 'dpo';
    request.mockResolvedValue({
      year: 2025,
      catalogueVersion: '2026.1',
      contentHash: 'ab'.repeat(32),
      releasedAt: '2026-11-30T10:00:00.000Z',
      tables: [],
    });
    const released = vi.fn();
    renderInFrench(<BilanRelease year={2025} onReleased={released} />);
    expect(screen.queryByRole('button', { name: 'Diffuser le bilan de 2025' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Approuver la diffusion du bilan de 2025' }));
    expect(request).toHaveBeenCalledWith('POST', '/v1/stats/releases/2025/approval');
    expect((await screen.findByRole('status')).textContent).toContain(
      'Le bilan de 2025 est diffusé et figé.',
    );
    expect(released).toHaveBeenCalledOnce();
  });
});
