import { fromMinor } from '../../shared/money.js';
import { formattingLocale, type Locale } from './i18n/locale.js';

/** Amounts and dates in the user's locale; a cache because Intl formatters are costly to build. */
const money = new Map<string, Intl.NumberFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();

export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const key = `${locale}|${currency}`;
  let f = money.get(key);
  if (!f) {
    const intl = formattingLocale(locale);
    try {
      f = new Intl.NumberFormat(intl, { style: 'currency', currency: currency || 'SEK', currencyDisplay: 'code' });
    } catch {
      f = new Intl.NumberFormat(intl, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    money.set(key, f);
  }
  return f.format(amount);
}

/** An amount without its currency (a table whose caption names it once): two decimals, the locale's separators. */
export function formatAmount(amount: number, locale: Locale): string {
  const key = `${locale}|amount`;
  let f = money.get(key);
  if (!f) {
    f = new Intl.NumberFormat(formattingLocale(locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    money.set(key, f);
  }
  return f.format(amount);
}

export function formatDate(iso: string | undefined, locale: Locale): string {
  if (!iso) return '—';
  const key = `${locale}|d`;
  let f = dates.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(formattingLocale(locale), {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      timeZone: 'UTC',
    });
    dates.set(key, f);
  }
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : f.format(d);
}

/** Local time (the computer's zone); `seconds` for the audit trail, where the order of events matters. */
export function formatDateTime(iso: string | undefined, locale: Locale, options: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const key = `${locale}|dt${options.seconds ? 's' : ''}`;
  let f = dates.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(formattingLocale(locale), {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(options.seconds ? { second: '2-digit' } : {}),
    });
    dates.set(key, f);
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.format(d);
}

export function formatRate(rate: number, locale: Locale): string {
  return new Intl.NumberFormat(formattingLocale(locale), { style: 'percent', maximumFractionDigits: 3 }).format(rate);
}

export function formatMonth(month: string, locale: Locale): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? month
    : new Intl.DateTimeFormat(formattingLocale(locale), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
}

/** Integer minor units (öre, øre, cent) with their currency: converted through the exact decimal, never summed as floats. */
export function formatMinor(minor: number, currency: string, locale: Locale): string {
  return formatMoney(fromMinor(minor), currency, locale);
}
