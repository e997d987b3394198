import { csvDelimiter, type Settings } from '../../shared/settings.js';
import { formattingLocale } from './i18n/locale.js';
import { useSettings } from './stores/settings.js';
import { useUi } from './stores/ui.js';

/**
 * How an export is written, decided when it is made: the CSV separator the user saved, or, on "Automatic", the
 * one the language the screens speak now calls for (`;` and a decimal comma for Swedish, Danish and German
 * Excel); and that language, for the file's words. Main would otherwise go by what is saved, which on a Swedish
 * computer that never saved a language is not Swedish.
 */
export function exportFormat(
  saved: Settings['export']['delimiter'] = useSettings.getState().view?.settings.export.delimiter ?? 'auto',
  uiLocale = useUi.getState().locale,
): { delimiter: ',' | ';'; locale: string } {
  const locale = formattingLocale(uiLocale);
  return { delimiter: csvDelimiter({ export: { delimiter: saved }, ui: { locale: 'auto' } }, locale), locale };
}
