import { useTranslation } from 'react-i18next';
import { formatMinor } from '../format.js';
import type { Locale } from '../i18n/locale.js';

/** One line of what is being accepted: a VAT id of one document, or one document of several (minor units). */
export interface AcceptLine {
  key: string;
  label: string;
  currency: string;
  booked?: number;
  calculated?: number;
}

/**
 * The figures the user signs when accepting Visma's booked VAT: what Visma booked beside what AvaTax calculates,
 * line by line, and the totals per currency (a document in its own currency, never summed across currencies).
 */
export function AcceptFigures({ lines, locale, caption }: { lines: AcceptLine[]; locale: Locale; caption: string }) {
  const { t } = useTranslation();
  const money = (minor: number | undefined, currency: string) =>
    minor === undefined ? '—' : formatMinor(minor, currency, locale);
  const totals = new Map<string, { booked: number; calculated: number; count: number }>();
  for (const l of lines) {
    const s = totals.get(l.currency) ?? { booked: 0, calculated: 0, count: 0 };
    s.booked += l.booked ?? 0;
    s.calculated += l.calculated ?? 0;
    s.count++;
    totals.set(l.currency, s);
  }
  const difference = (b: number | undefined, c: number | undefined) =>
    b === undefined || c === undefined ? undefined : b - c;
  return (
    <table className="small-table accept-figures" data-testid="accept-figures">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('accept.line')}</th>
          <th scope="col" className="num">
            {t('accept.booked')}
          </th>
          <th scope="col" className="num">
            {t('accept.calculated')}
          </th>
          <th scope="col" className="num">
            {t('accept.difference')}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <th scope="row">{l.label}</th>
            <td className="num">{money(l.booked, l.currency)}</td>
            <td className="num">{money(l.calculated, l.currency)}</td>
            <td className="num">{money(difference(l.booked, l.calculated), l.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        {[...totals].map(([currency, s]) => (
          <tr key={currency}>
            <th scope="row">{t('accept.total', { currency })}</th>
            <td className="num">{money(s.booked, currency)}</td>
            <td className="num">{money(s.calculated, currency)}</td>
            <td className="num">{money(s.booked - s.calculated, currency)}</td>
          </tr>
        ))}
      </tfoot>
    </table>
  );
}
