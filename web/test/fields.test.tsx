import { useState } from 'react';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Field } from '../src/ui/fields.js';
import { renderInFrench } from './render.js';

// A labelled field: its label and help reach assistive technologies, and its check is said next to it.

function Passphrase() {
  const [value, setValue] = useState('');
  return (
    <form>
      <Field
        label="Phrase de passe"
        name="passphrase"
        type="password"
        value={value}
        onChange={setValue}
        description="Au moins 12 caractères."
        validate={(v) => (v.length > 0 && v.length < 12 ? 'Trop courte.' : null)}
      />
      <button type="submit">Valider</button>
    </form>
  );
}

describe('a field', () => {
  it('is found by its label and described by its help', () => {
    renderInFrench(<Passphrase />);
    const input = screen.getByLabelText('Phrase de passe');
    expect(input.getAttribute('type')).toBe('password');
    const described = input.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(described.split(' ')[0] ?? '')?.textContent).toBe(
      'Au moins 12 caractères.',
    );
  });

  it('says what is wrong when the form is sent, and is marked invalid', async () => {
    renderInFrench(<Passphrase />);
    await userEvent.type(screen.getByLabelText('Phrase de passe'), 'courte');
    await userEvent.click(screen.getByRole('button', { name: 'Valider' }));
    expect(await screen.findByText('Trop courte.')).toBeTruthy();
    expect(screen.getByLabelText('Phrase de passe').getAttribute('aria-invalid')).toBe('true');
  });
});
