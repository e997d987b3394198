import { useTranslation } from 'react-i18next';
import type { ViewTotals } from '../../../../shared/document-view.js';
import type { DocumentRow } from '../../../../shared/ipc-channels.js';
import type { ColumnDef } from '../../components/VirtualTable.js';
import { formatAmount, formatMoney } from '../../format.js';
import type { Locale } from '../../i18n/locale.js';

/**
 * Under the grid, in its columns: what the documents shown add up to per currency, and in the base currency
 * at Visma's rates (the label names the currency once, so the sums fit their columns). A document with no tax yet is
 * said, not summed as zero.
 */
export function TotalsRows({
  totals,
  shown,
  template,
  locale,
}: {
  totals: ViewTotals;
  shown: ColumnDef<DocumentRow>[];
  template: string;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const lines = [
    ...totals.byCurrency.map((c) => ({ ...c, label: t('grid.total', { currency: c.currency }), withoutRate: 0 })),
    // The base currency alone needs no second line saying the same.
    ...(totals.base && !(totals.byCurrency.length === 1 && totals.byCurrency[0]!.currency === totals.base.currency)
      ? [{ ...totals.base, label: t('grid.totalBase', { currency: totals.base.currency }) }]
      : []),
  ];
  if (lines.length === 0) return null;
  const ticking = template.split(' ').length > shown.length;
  // The label takes every column before Amount (number, customer…), so it has room to say what it sums.
  const before = Math.max(
    1,
    shown.findIndex((c) => c.id === 'amount'),
  );
  const after = shown.slice(before);
  return (
    <div className="vtable-foot" role="rowgroup" aria-label={t('grid.totalsLabel')} data-testid="totals">
      {lines.map((line) => {
        const notes = [
          t('count.documents', { count: line.documents }),
          line.bookedCount
            ? t('grid.bookedWithoutTax', {
                count: line.bookedCount,
                booked: formatMoney(line.bookedWithoutTax / 100, line.currency, locale),
              })
            : '',
          line.withoutTax > line.bookedCount ? t('grid.withoutTax', { count: line.withoutTax - line.bookedCount }) : '',
          line.withoutRate ? t('grid.withoutRate', { count: line.withoutRate }) : '',
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <div
            key={line.label}
            role="row"
            className="vtable-total"
            data-currency={line.currency}
            style={{ gridTemplateColumns: template }}
          >
            <div
              role="rowheader"
              className="total-label"
              title={`${line.label} — ${notes}`}
              style={{ gridColumn: `1 / span ${before + (ticking ? 1 : 0)}` }}
            >
              <strong>{line.label}</strong> <small className="muted">{notes}</small>
            </div>
            {after.map((c) => (
              <div
                key={c.id}
                role="cell"
                data-column={c.id}
                className={c.id === 'amount' || c.id === 'tax' ? 'num' : undefined}
              >
                {c.id === 'amount'
                  ? formatAmount(line.amount / 100, locale)
                  : c.id === 'tax'
                    ? // Nothing recorded to add up: no total, rather than a 0.00 that reads as zero VAT.
                      line.withoutTax === line.documents
                      ? '—'
                      : formatAmount(line.tax / 100, locale)
                    : null}
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}
