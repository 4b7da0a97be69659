import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { PersonAnswerForm } from '../src/screens/person-answer-form.js';
import { renderInFrench } from './render.js';

// The person's answer to a decision: agreeing or not, in their own words if they wish; it starts
// from their last answer, is sent as chosen (words trimmed), and can be given with the keyboard alone.

const DECISION = '5f0b7c1e-3a9d-4e2b-8c6f-1d2e3f4a5b6c';

describe('the answer form', () => {
  it('sends a disagreement in the person’s own words', async () => {
    const answer = vi.fn();
    renderInFrench(
      <PersonAnswerForm decisionId={DECISION} last={undefined} busy={false} onAnswer={answer} />,
    );
    await userEvent.click(screen.getByRole('radio', { name: 'Je ne suis pas d’accord' }));
    await userEvent.type(
      screen.getByLabelText('Dites-le avec vos mots', { exact: false }),
      '  Je veux être là quand on vient chez moi.  ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Envoyer ma réponse' }));
    expect(answer).toHaveBeenCalledWith({
      decisionId: DECISION,
      adhesion: 'disagrees',
      words: 'Je veux être là quand on vient chez moi.',
    });
  });

  it('lets the person agree without words', async () => {
    const answer = vi.fn();
    renderInFrench(
      <PersonAnswerForm decisionId={DECISION} last={undefined} busy={false} onAnswer={answer} />,
    );
    expect(screen.getByRole('radio', { name: 'Je suis d’accord' })).toHaveProperty('checked', true);
    await userEvent.click(screen.getByRole('button', { name: 'Envoyer ma réponse' }));
    expect(answer).toHaveBeenCalledWith({ decisionId: DECISION, adhesion: 'agrees', words: '' });
  });

  it('starts from the last answer, to change it', async () => {
    const answer = vi.fn();
    renderInFrench(
      <PersonAnswerForm
        decisionId={DECISION}
        last={{ decisionId: DECISION, adhesion: 'disagrees', words: 'Pas sans moi.' }}
        busy={false}
        onAnswer={answer}
      />,
    );
    expect(screen.getByRole('form', { name: 'Changer ma réponse' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Je ne suis pas d’accord' })).toHaveProperty('checked', true);
    expect(screen.getByLabelText('Dites-le avec vos mots', { exact: false })).toHaveProperty(
      'value',
      'Pas sans moi.',
    );
    await userEvent.click(screen.getByRole('radio', { name: 'Je suis d’accord' }));
    await userEvent.click(screen.getByRole('button', { name: 'Envoyer ma réponse' }));
    expect(answer).toHaveBeenCalledWith({ decisionId: DECISION, adhesion: 'agrees', words: 'Pas sans moi.' });
  });

  it('is answered with the keyboard alone', async () => {
    const answer = vi.fn();
    renderInFrench(
      <PersonAnswerForm decisionId={DECISION} last={undefined} busy={false} onAnswer={answer} />,
    );
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'Je suis d’accord' }));
    await userEvent.keyboard('{ArrowDown}');
    await userEvent.tab();
    await userEvent.keyboard('Non.');
    await userEvent.tab();
    await userEvent.keyboard('{Enter}');
    expect(answer).toHaveBeenCalledWith({ decisionId: DECISION, adhesion: 'disagrees', words: 'Non.' });
  });

  it('sends nothing twice while the answer is on its way', async () => {
    const answer = vi.fn();
    renderInFrench(<PersonAnswerForm decisionId={DECISION} last={undefined} busy onAnswer={answer} />);
    await userEvent.click(screen.getByRole('button', { name: 'Veuillez patienter…' }));
    expect(answer).not.toHaveBeenCalled();
  });
});
