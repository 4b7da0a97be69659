import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/client/http.js';
import { fr } from '../src/i18n/fr.js';
import { ErrorNotice } from '../src/ui/error-notice.js';
import { renderInFrench } from './render.js';

// A refusal is said in the catalogue's plain French, with what to do next, and never in the
// server's own words: a server's detail may name things the user must not be shown.

const refusal = (code: string) =>
  new ApiError(409, code, 'détail du serveur : membre 8f6dc59e, version 3', 'req-1');

describe('the error notice', () => {
  it('says a known code in French, with the next step, as an alert', () => {
    renderInFrench(<ErrorNotice error={refusal('KEY_VERSION_MISMATCH')} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(fr['error.title']);
    expect(alert.textContent).toContain(fr['error.KEY_VERSION_MISMATCH']);
    expect(alert.textContent).not.toContain('détail du serveur');
  });

  it('says what the attempted action calls for when the catalogue has it', () => {
    renderInFrench(<ErrorNotice error={refusal('FORBIDDEN')} action="exception.approve" />);
    expect(screen.getByRole('alert').textContent).toContain(fr['error.FORBIDDEN.exception.approve']);
  });

  it('falls back to the code’s own message for an action it has none for', () => {
    renderInFrench(<ErrorNotice error={refusal('CONFLICT')} action="no.such.action" />);
    expect(screen.getByRole('alert').textContent).toContain(fr['error.CONFLICT']);
  });

  it('says an unknown failure without its message', () => {
    renderInFrench(<ErrorNotice error={new Error('clé privée: 0x1234')} />);
    const text = screen.getByRole('alert').textContent;
    expect(text).toContain(fr['error.unknown']);
    expect(text).not.toContain('0x1234');
  });

  it('shows nothing when nothing failed', () => {
    renderInFrench(<ErrorNotice error={undefined} />);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
