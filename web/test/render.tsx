import type { ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { IntlProvider } from 'react-intl';
import { I18nProvider } from 'react-aria-components';
import { fr } from '../src/i18n/fr.js';

/** Renders a piece of a screen as the app does: in French, with React Aria's French locale. */
export function renderInFrench(ui: ReactElement): RenderResult {
  return render(
    <IntlProvider locale="fr" defaultLocale="fr" messages={fr}>
      <I18nProvider locale="fr-FR">{ui}</I18nProvider>
    </IntlProvider>,
  );
}
