import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { I18nProvider } from 'react-aria-components';
import { fr } from './fr.js';
import { en } from './en.js';

// French first, English second; the choice is a preference of this browser.

export const LOCALES = { fr, en } as const;
export type Locale = keyof typeof LOCALES;
const KEY = 'clsm.locale';

const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({
  locale: 'fr',
  setLocale: () => undefined,
});

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(() => (localStorage.getItem(KEY) === 'en' ? 'en' : 'fr'));
  useEffect(() => {
    localStorage.setItem(KEY, locale);
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <LocaleContext.Provider value={{ locale, setLocale }}>
      <IntlProvider locale={locale} defaultLocale="fr" messages={LOCALES[locale]}>
        <I18nProvider locale={locale === 'fr' ? 'fr-FR' : 'en-GB'}>{children}</I18nProvider>
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export const useLocale = () => useContext(LocaleContext);
