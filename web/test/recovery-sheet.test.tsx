import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fr } from '../src/i18n/fr.js';
import { RecoverySheet } from '../src/screens/recovery-sheet.js';
import { renderInFrench } from './render.js';

// The sheet printed at enrollment and after a recovery: who this device is and how to replace it,
// and nothing that would let whoever finds it act as its owner.

const card = {
  clsmId: '3f0c9e11-7d0a-4c43-9d7c-1b1f0b8c2f0e',
  memberId: '0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11',
  role: 'health_professional',
  fingerprint: 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX',
  root: 'ZYXW-VUTS-RQPO-NMLK-JIHG-FEDC',
};

describe('the recovery sheet', () => {
  it('names the CLSM, the member, the role and both fingerprints, under their labels', () => {
    renderInFrench(<RecoverySheet card={card} />);
    const sheet = screen.getByRole('region', { name: fr['sheet.title'] });
    const value = (label: string) =>
      within(sheet).getByText(label).closest('div')?.querySelector('dd')?.textContent;
    expect(value(fr['sheet.clsm'])).toBe(card.clsmId);
    expect(value(fr['sheet.member'])).toBe(card.memberId);
    expect(value(fr['sheet.role'])).toBe(fr['role.health_professional']);
    expect(value(fr['sheet.fingerprint'])).toBe(card.fingerprint);
    expect(value(fr['sheet.root'])).toBe(card.root);
  });

  it('tells where to recover, and that it holds no secret', () => {
    renderInFrench(<RecoverySheet card={card} />);
    const text = screen.getByRole('region', { name: fr['sheet.title'] }).textContent;
    expect(text).toContain(`${window.location.origin}/recuperation`);
    expect(text).toContain(fr['sheet.noSecret']);
  });

  it('prints from its button, with the keyboard', async () => {
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    renderInFrench(<RecoverySheet card={card} />);
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: fr['sheet.print'] }));
    await userEvent.keyboard('{Enter}');
    expect(print).toHaveBeenCalledTimes(1);
    print.mockRestore();
  });
});
