import i18next, { type i18n as I18n } from 'i18next';
import da from './i18n/reasons.da.json' with { type: 'json' };
import de from './i18n/reasons.de.json' with { type: 'json' };
import en from './i18n/reasons.en.json' with { type: 'json' };
import sv from './i18n/reasons.sv.json' with { type: 'json' };
import { minorToDecimalString } from './money.js';
import { asReason, type Reason, type ReasonValue, type StoredReason } from './reasons.js';

/**
 * Renders reasons in a language: one definition for the renderer (screens) and main (a CSV in the export's
 * language, the CLI). Figures are formatted with Intl in the given locale: money with its currency code,
 * days as the locale writes them, rates as percentages, lists with the locale's "and".
 */
export const REASON_CATALOGUES = { en, sv, da, de } as const;
export type ReasonCode = keyof typeof en;
export type ReasonLanguage = keyof typeof REASON_CATALOGUES;

let instance: I18n | undefined;

function catalogue(): I18n {
  if (instance) return instance;
  instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(
      Object.entries(REASON_CATALOGUES).map(([lng, messages]) => [lng, { reasons: messages }]),
    ),
    ns: ['reasons'],
    defaultNS: 'reasons',
    lng: 'en',
    fallbackLng: 'en',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** 'sv-SE' → 'sv'; a language we do not speak → 'en'. */
export function reasonLanguage(locale: string): ReasonLanguage {
  const lang = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return (lang in REASON_CATALOGUES ? lang : 'en') as ReasonLanguage;
}

/** The locale Intl formats with: the language's own region ('sv' → 'sv-SE'), or what the caller gave. */
function intlLocale(locale: string): string {
  const lang = reasonLanguage(locale);
  if (locale.includes('-')) return locale;
  return { en: 'en-GB', sv: 'sv-SE', da: 'da-DK', de: 'de-DE' }[lang];
}

export function formatValue(value: ReasonValue, locale: string): string {
  const intl = intlLocale(locale);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Intl.NumberFormat(intl).format(value);
  if (typeof value === 'boolean') return String(value);
  if ('money' in value) {
    const amount = Number(minorToDecimalString(value.money));
    try {
      return new Intl.NumberFormat(intl, {
        style: 'currency',
        currency: value.currency,
        currencyDisplay: 'code',
      }).format(amount);
    } catch {
      const plain = new Intl.NumberFormat(intl, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      return `${plain.format(amount)} ${value.currency}`.trim();
    }
  }
  if ('date' in value) {
    const iso = value.date.length === 10 ? `${value.date}T00:00:00Z` : value.date;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return value.date;
    return new Intl.DateTimeFormat(intl, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(value.date.length === 10 ? { timeZone: 'UTC' } : { hour: '2-digit', minute: '2-digit' }),
    }).format(d);
  }
  if ('month' in value) {
    const d = new Date(`${value.month}-01T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return value.month;
    return new Intl.DateTimeFormat(intl, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
  }
  if ('rate' in value)
    return new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 3 }).format(value.rate);
  if ('reasons' in value) return value.reasons.map((r) => formatReason(r, locale)).join('; ');
  if ('list' in value) return new Intl.ListFormat(intl, { style: 'long', type: 'conjunction' }).format(value.list);
  return '';
}

/**
 * One reason in a language. A number parameter named `count` also picks the plural form (`code_one`,
 * `code_other` in the catalogue). A code the catalogue does not know is shown as the code with its parameters,
 * never dropped.
 */
export function formatReason(stored: StoredReason, locale: string): string {
  const r: Reason = asReason(stored);
  const i18n = catalogue();
  const lng = reasonLanguage(locale);
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(r.params ?? {})) params[name] = formatValue(value, locale);
  if (typeof r.params?.count === 'number') params.count = r.params.count;
  if (!i18n.exists(r.code, { lng }) && !i18n.exists(`${r.code}_other`, { lng })) {
    const shown = Object.entries(params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return shown ? `${r.code} (${shown})` : r.code;
  }
  // The renderer types its own catalogue's keys into i18next; reason codes are data, looked up as strings.
  const t = i18n.t as unknown as (key: string, options: Record<string, unknown>) => string;
  return t(r.code, { ...params, lng });
}

/** Several reasons as one text ("; " between them), as a CSV cell or a tooltip shows them. */
export function formatReasons(list: readonly StoredReason[], locale: string): string {
  return list.map((r) => formatReason(r, locale)).join('; ');
}
