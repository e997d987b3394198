import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import da from './da.json' with { type: 'json' };
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import type { Locale } from './locale.js';
import sv from './sv.json' with { type: 'json' };

/**
 * i18next with the four catalogues bundled (no loading, so the first paint is already translated). Plurals
 * follow Intl.PluralRules (`documents_one` / `documents_other`); `{{count, number}}` formats with Intl too.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, sv: { translation: sv }, da: { translation: da }, de: { translation: de } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en', 'sv', 'da', 'de'],
  nonExplicitSupportedLngs: true,
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

/** Switches the catalogues and tells the page its language (date pickers and screen readers read `lang`). */
export function applyLocale(locale: Locale): void {
  void i18n.changeLanguage(locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
