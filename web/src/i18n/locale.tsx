import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { I18nProvider } from 'react-aria-components';
import { fr, type MessageId } from './fr.js';

// French first, English second; the choice is a preference of this browser. The English catalogue
// loads only when chosen: the entry script carries French alone (docs/performance.md).

export type Locale = 'fr' | 'en';
const KEY = 'clsm.locale';

const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({
  locale: 'fr',
  setLocale: () => undefined,
});

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(() => (localStorage.getItem(KEY) === 'en' ? 'en' : 'fr'));
  const [messages, setMessages] = useState<{ locale: Locale; catalogue: Record<MessageId, string> }>({
    locale: 'fr',
    catalogue: fr,
  });
  useEffect(() => {
    localStorage.setItem(KEY, locale);
    if (locale === 'fr') setMessages({ locale, catalogue: fr });
    else
      void import('./en.js').then(({ en }) => {
        setMessages({ locale, catalogue: en });
      });
  }, [locale]);
  useEffect(() => {
    document.documentElement.lang = messages.locale;
  }, [messages.locale]);
  return (
    <LocaleContext.Provider value={{ locale, setLocale }}>
      <IntlProvider locale={messages.locale} defaultLocale="fr" messages={messages.catalogue}>
        <I18nProvider locale={messages.locale === 'fr' ? 'fr-FR' : 'en-GB'}>{children}</I18nProvider>
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export const useLocale = () => useContext(LocaleContext);
