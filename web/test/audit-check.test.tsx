import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { FileVerdict } from '../../src/client/audit-files.js';
import { fr } from '../src/i18n/fr.js';
import { AuditCheck } from '../src/screens/audit-check.js';
import { renderInFrench } from './render.js';

// The DPO's check of a checkpoint file: the file chosen by its label, the verdict said in French,
// an intact log as a status, a break as an alert with its sequence number and what to do.

const intact: FileVerdict = {
  kind: 'checked',
  verdict: { ok: true, events: 42, lastSeq: 42, checkpointsChecked: 3 },
};
const chain = (over: Partial<Extract<FileVerdict, { kind: 'checked' }>['verdict']>): FileVerdict => ({
  kind: 'checked',
  verdict: { ok: false, events: 17, lastSeq: 17, checkpointsChecked: 1, ...over },
});

async function checkWith(verdict: FileVerdict) {
  const verify = vi.fn((_text: string) => Promise.resolve(verdict));
  renderInFrench(<AuditCheck verify={verify} checkpoints={() => Promise.reject(new Error('unused'))} />);
  const file = new File(['{"format":"clsm-audit-checkpoints/1"}'], 'points.json', {
    type: 'application/json',
  });
  await userEvent.upload(screen.getByLabelText(fr['check.file']), file);
  await userEvent.click(screen.getByRole('button', { name: fr['check.submit'] }));
  return verify;
}

describe('the audit log check', () => {
  it('hands the chosen file’s text to the SDK and announces an intact log as a status', async () => {
    const verify = await checkWith(intact);
    expect(verify).toHaveBeenCalledWith('{"format":"clsm-audit-checkpoints/1"}');
    const status = await screen.findByRole('status');
    await vi.waitFor(() => {
      expect(status.textContent).toContain('Journal intact');
    });
    expect(status.textContent).toContain('42 événements vérifiés');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows where the chain breaks and why, as an alert', async () => {
    await checkWith(chain({ firstBadSeq: 12, reason: 'missing', relatedSeq: 14 }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Le journal est rompu à l’événement n° 12');
    expect(alert.textContent).toContain('L’événement n° 12 manque : le journal passe directement au n° 14.');
    expect(alert.textContent).toContain(fr['check.next']);
  });

  it('says a log cut short with the last event kept and the one vouched for', async () => {
    await checkWith(chain({ firstBadSeq: 18, reason: 'cut', relatedSeq: 25 }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Le journal s’arrête au n° 17 alors qu’un point de contrôle signé garantit l’événement n° 25',
    );
  });

  it('says a rewritten log from its start when no checkpoint matched before', async () => {
    await checkWith(chain({ firstBadSeq: 9, reason: 'contradicted', relatedSeq: 0 }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      fr['check.reason.contradictedFromStart'].replace('{seq}', '9'),
    );
  });

  it('names the altered checkpoint of a forged file', async () => {
    await checkWith({ kind: 'forged', seq: 30 });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Le fichier a été altéré au point de contrôle n° 30');
    expect(alert.textContent).toContain(fr['check.forgedDetail']);
  });

  it('refuses a file of another CLSM in plain words', async () => {
    await checkWith({ kind: 'other-clsm' });
    expect((await screen.findByRole('alert')).textContent).toContain(fr['check.other-clsm']);
  });
});

describe('the audit log check without a file', () => {
  it('asks for the file in words, tied to the input', async () => {
    const verify = vi.fn((_text: string) => Promise.resolve(intact));
    renderInFrench(<AuditCheck verify={verify} checkpoints={() => Promise.reject(new Error('unused'))} />);
    await userEvent.click(screen.getByRole('button', { name: fr['check.submit'] }));
    expect((await screen.findByRole('alert')).textContent).toBe(fr['check.noFile']);
    expect(screen.getByLabelText(fr['check.file']).getAttribute('aria-invalid')).toBe('true');
    expect(verify).not.toHaveBeenCalled();
  });
});
