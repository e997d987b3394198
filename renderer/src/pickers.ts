import { ISO_COUNTRIES, ISO_CURRENCIES } from '../../shared/countries.js';

/**
 * The choices of Settings' country and currency pickers: every ISO 3166 country and every ISO 4217 currency a
 * company keeps books in, named in the user's language (Intl), the code beside the name, sorted by name. Picking
 * replaces typing: "Sverige" can no longer become SV (El Salvador), nor "XYZ" a currency. A value saved before
 * that the lists do not have is kept as a choice of its own, so the form shows it with the reason it is refused.
 */
export interface Choice {
  code: string;
  label: string;
}

function named(type: 'region' | 'currency', locale: string): (code: string) => string | undefined {
  try {
    const names = new Intl.DisplayNames([locale, 'en'], { type });
    return (code) => {
      const name = names.of(code);
      return name && name !== code ? name : undefined;
    };
  } catch {
    return () => undefined;
  }
}

export function countryChoices(locale: string, current?: string): Choice[] {
  const name = named('region', locale);
  const choices = [...ISO_COUNTRIES].map((code) => ({ code, label: `${name(code) ?? code} (${code})` }));
  return withCurrent(sortByLabel(choices, locale), current);
}

export function currencyChoices(locale: string, current?: string): Choice[] {
  const name = named('currency', locale);
  const choices = [...ISO_CURRENCIES].map((code) => ({ code, label: `${code} – ${name(code) ?? code}` }));
  return withCurrent(
    choices.sort((a, b) => a.code.localeCompare(b.code)),
    current,
  );
}

function sortByLabel(choices: Choice[], locale: string): Choice[] {
  const collator = new Intl.Collator(locale);
  return choices.sort((a, b) => collator.compare(a.label, b.label));
}

function withCurrent(choices: Choice[], current: string | undefined): Choice[] {
  const code = current?.trim().toUpperCase();
  if (!code || choices.some((c) => c.code === code)) return choices;
  return [{ code: current!.trim(), label: current!.trim() }, ...choices];
}
