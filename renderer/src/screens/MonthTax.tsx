import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { totalsOf, type ViewTotals } from '../../../shared/document-view.js';
import { DOCUMENT_STATES } from '../../../shared/domain.js';
import { monthRange } from '../../../shared/month.js';
import { getApi } from '../api.js';
import { formatMoney, formatMonth } from '../format.js';
import type { Locale } from '../i18n/locale.js';
import { useApp } from '../stores/app.js';
import { useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';

/** The company's month of `today` (main's, in the company's zone), and its first and last day. */
export function thisMonth(today: string): { month: string; from: string; to: string } {
  const month = today.slice(0, 7);
  return { month, ...monthRange(month) };
}

/**
 * The month's VAT on the Overview: per currency and in the base currency, for every document of the month but
 * the voided ones; documents with no tax yet are said, not summed as zero. A click opens them in Transactions.
 */
export function MonthTax({ version, locale }: { version: string; locale: Locale }) {
  const { t } = useTranslation();
  const go = useUi((s) => s.go);
  const [totals, setTotals] = useState<ViewTotals>();
  const today = useApp((s) => s.status?.today);
  // Until main has said what day it is for the company, there is no month to sum.
  const { month, from, to } = today ? thisMonth(today) : { month: '', from: '', to: '' };
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger (a run or an action changed the documents)
  useEffect(() => {
    if (!month) return;
    let live = true;
    void getApi()
      .listDocuments({ states: DOCUMENT_STATES.filter((s) => s !== 'voided'), dateFrom: from, dateTo: to })
      .then((page) => live && setTotals(totalsOf(page.rows, page.baseCurrency)))
      .catch(() => live && setTotals(undefined));
    return () => {
      live = false;
    };
  }, [month, from, to, version]);

  const open = () => {
    useDocuments.setState({ tab: 'all', filters: { ...useDocuments.getState().filters, dateFrom: from, dateTo: to } });
    go('transactions');
    void useDocuments.getState().load();
  };

  if (!totals || totals.byCurrency.length === 0) return null;
  const lines = [
    ...totals.byCurrency,
    ...(totals.base && totals.byCurrency.length > 1 ? [{ ...totals.base, base: true as const }] : []),
  ];
  return (
    <div className="panel">
      <h2>{t('monthTax.title', { month: formatMonth(month, locale) })}</h2>
      <table className="small-table month-tax" data-testid="month-tax">
        <thead>
          <tr>
            <th scope="col">{t('monthTax.currency')}</th>
            <th scope="col" className="num">
              {t('monthTax.documents')}
            </th>
            <th scope="col" className="num">
              {t('monthTax.amount')}
            </th>
            <th scope="col" className="num">
              {t('monthTax.tax')}
            </th>
            <th scope="col">{t('monthTax.note')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={'base' in l ? 'base' : l.currency} data-currency={'base' in l ? 'base' : l.currency}>
              <th scope="row">{'base' in l ? t('monthTax.inBase', { currency: l.currency }) : l.currency}</th>
              <td className="num">{l.documents}</td>
              <td className="num">{formatMoney(l.amount / 100, l.currency, locale)}</td>
              <td className="num">
                {l.withoutTax === l.documents ? '—' : formatMoney(l.tax / 100, l.currency, locale)}
              </td>
              <td className="muted">
                {[
                  l.bookedCount
                    ? t('grid.bookedWithoutTax', {
                        count: l.bookedCount,
                        booked: formatMoney(l.bookedWithoutTax / 100, l.currency, locale),
                      })
                    : '',
                  l.withoutTax > l.bookedCount ? t('grid.withoutTax', { count: l.withoutTax - l.bookedCount }) : '',
                  'withoutRate' in l && l.withoutRate ? t('grid.withoutRate', { count: l.withoutRate }) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="link" onClick={open}>
        {t('monthTax.open')}
      </button>
    </div>
  );
}
