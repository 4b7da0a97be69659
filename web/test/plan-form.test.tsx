import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Plan } from '../../src/client/plan.js';
import { PlanForm } from '../src/screens/plan-form.js';
import { renderInFrench } from './render.js';

// The plan's form: it starts from the plan in force, objectives are one per line, actions are added
// and removed as groups of fields, and what it saves is the plan as typed, checked by its schema.

const PLAN: Plan = {
  referent: 'Inès Infirmière, CMP secteur 3',
  problems: 'Impayés de loyer',
  wishes: 'Rester dans son logement',
  objectives: ['Éviter l’expulsion'],
  actions: [{ what: 'Rencontrer le bailleur', who: 'Sacha Social', when: '2027-01-15' }],
  nextReview: '2027-02-01',
};

describe('the plan form', () => {
  it('saves a first plan as typed, objectives one per line', async () => {
    const save = vi.fn();
    renderInFrench(<PlanForm initial={undefined} busy={false} onSave={save} />);
    await userEvent.type(
      screen.getByLabelText('Référent de la situation', { exact: false }),
      'Inès Infirmière',
    );
    await userEvent.type(
      screen.getByLabelText('Objectifs partagés', { exact: false }),
      ' Éviter l’expulsion \n\nRenouer avec le CMP',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Ajouter une action' }));
    const action = screen.getByRole('group', { name: 'Action 1' });
    await userEvent.type(
      within(action).getByLabelText('Action à mener', { exact: false }),
      'Appeler le bailleur',
    );
    await userEvent.type(within(action).getByLabelText('Qui', { exact: false }), 'Sacha Social');
    await userEvent.type(within(action).getByLabelText('Échéance', { exact: false }), '2027-01-15');
    await userEvent.type(screen.getByLabelText('Prochaine révision du plan', { exact: false }), '2027-02-01');
    await userEvent.click(screen.getByRole('button', { name: 'Enregistrer le plan' }));
    expect(save).toHaveBeenCalledWith({
      referent: 'Inès Infirmière',
      problems: '',
      wishes: '',
      objectives: ['Éviter l’expulsion', 'Renouer avec le CMP'],
      actions: [{ what: 'Appeler le bailleur', who: 'Sacha Social', when: '2027-01-15' }],
      nextReview: '2027-02-01',
    });
  });

  it('starts from the plan in force; an action removed is gone from the new version', async () => {
    const save = vi.fn();
    renderInFrench(<PlanForm initial={PLAN} busy={false} onSave={save} />);
    expect(screen.getByLabelText('Souhaits et attentes de la personne', { exact: false })).toHaveProperty(
      'value',
      PLAN.wishes,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retirer l’action 1' }));
    expect(screen.queryByRole('group', { name: 'Action 1' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Enregistrer le plan' }));
    expect(save).toHaveBeenCalledWith({ ...PLAN, actions: [] });
  });

  it('says the plan was not saved when a text is longer than the format allows', async () => {
    const save = vi.fn();
    renderInFrench(<PlanForm initial={{ ...PLAN, referent: 'x'.repeat(201) }} busy={false} onSave={save} />);
    await userEvent.click(screen.getByRole('button', { name: 'Enregistrer le plan' }));
    expect(screen.getByRole('alert').textContent).toContain('Le plan n’a pas été enregistré');
    expect(save).not.toHaveBeenCalled();
  });
});
