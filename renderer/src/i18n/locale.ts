/** The languages the UI speaks, as saved in `settings.ui.locale`. */
export const LOCALES = ['en', 'sv-SE', 'da-DK', 'de-DE'] as const;
export type Locale = (typeof LOCALES)[number];

/** What `settings.ui.locale` may hold: a language, or `auto` (the computer's). */
export type LocaleChoice = Locale | 'auto';

/**
 * The schema's default for `settings.ui.locale` before `auto` existed: saved before anyone chose, so on its own it
 * says nothing about a choice (English chosen on purpose is remembered on the computer too).
 */
export const SCHEMA_DEFAULT: Locale = 'en';

const BY_LANGUAGE: Record<string, Locale> = { en: 'en', sv: 'sv-SE', da: 'da-DK', de: 'de-DE' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The first of the OS/browser languages we speak ('sv-FI' → 'sv-SE', 'de-AT' → 'de-DE'); English otherwise. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const found = BY_LANGUAGE[tag.toLowerCase().split(/[-_]/)[0] ?? ''];
    if (found) return found;
  }
  return 'en';
}

/**
 * Which language to show: a language saved in Settings wins; the schema's default ('en') counts only when the
 * user picked it on this computer (remembered in `chosen`); otherwise the OS/browser language.
 */
export function resolveLocale(input: { saved?: string; chosen?: string | null; languages: readonly string[] }): Locale {
  // `auto` (also what nothing saved reads as): a language picked on this computer, else the computer's. Saving
  // Automatic forgets the computer's pick (ui.setLocale), so it follows the computer from then on.
  if (isLocale(input.saved) && input.saved !== SCHEMA_DEFAULT) return input.saved;
  if (isLocale(input.chosen)) return input.chosen;
  return localeFromLanguages(input.languages);
}

/** The OS/browser languages, most preferred first. */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/**
 * The locale Intl formats with: the UI locale, except that English follows the OS's English (en-GB writes
 * 20/11/2026, en-US 11/20/2026).
 */
export function formattingLocale(locale: Locale, languages: readonly string[] = browserLanguages()): string {
  if (locale !== 'en') return locale;
  return languages.find((l) => /^en\b/i.test(l)) ?? 'en';
}
