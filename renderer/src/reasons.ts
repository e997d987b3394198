import { formatReason } from '../../shared/reason-format.js';
import type { StoredReason } from '../../shared/reasons.js';
import { formattingLocale, type Locale } from './i18n/locale.js';
import { useUi } from './stores/ui.js';

/**
 * A reason (a code with its figures, from main: a flag, an audit detail, the schedule) in the UI's language, with
 * the language's numbers, dates and currency. A reason stored before codes (English text) is shown as it is.
 */
export function sayReason(reason: StoredReason, locale: Locale): string {
  return formatReason(reason, formattingLocale(locale));
}

/** `say(reason)` in the language the UI speaks now (re-renders when it changes). */
export function useSay(): (reason: StoredReason) => string {
  const locale = useUi((s) => s.locale);
  return (reason) => sayReason(reason, locale);
}
