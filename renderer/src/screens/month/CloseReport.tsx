import { useTranslation } from 'react-i18next';
import type { Reconciliation } from '../../../../shared/month.js';
import { formatReasons } from '../../../../shared/reason-format.js';
import { formatDate, formatDateTime, formatMinor, formatMonth } from '../../format.js';
import { formattingLocale } from '../../i18n/locale.js';
import { blockers, bucketTotals } from '../../stores/month.js';
import { useUi } from '../../stores/ui.js';
import { ReasonItems } from './ReasonList.js';
import { VatHeads } from './VatHeads.js';
import { VatReturnTable } from './VatReturnTable.js';

/**
 * The close report as it prints: the month, when it was read, its status, the buckets with their VAT, the VAT per
 * country and VAT id, what blocks it, and a line to sign. Hidden on screen; `@media print` shows only this.
 */
export function CloseReport({ r }: { r: Reconciliation }) {
  const { t } = useTranslation();
  const locale = useUi((s) => s.locale);
  const base = r.baseCurrency ?? '';
  const money = (minor: number) => formatMinor(minor, base, locale);
  const month = formatMonth(r.month, locale);
  const blocking = blockers(r);
  return (
    <article className="close-report print-only" data-testid="close-report">
      <h1>{t('month.report.title', { month })}</h1>
      <p>
        {t('month.report.read', { at: formatDateTime(r.generatedAt, locale) })} ·{' '}
        {t('month.report.tolerance', { amount: money(r.tolerance) })}
      </p>
      <dl className="facts">
        <dt>{t('month.report.status')}</dt>
        <dd>
          {r.clean
            ? t('month.clean', { month })
            : r.incomplete.length > 0
              ? t('month.incomplete', { month })
              : t('month.blocked', { count: blocking.length, month })}{' '}
          —{' '}
          {r.closed
            ? t('month.report.closed', { date: formatDate(r.closed.closedAt, locale), by: r.closed.by })
            : t('month.report.open')}
          {r.closed?.note ? ` · ${t('month.report.note', { note: r.closed.note })}` : ''}
        </dd>
        <dt>{t('month.report.vatBase')}</dt>
        <dd>
          {t('month.columns.vismaVat')} {money(r.vatBase.visma)} · {t('month.columns.avataxVat')}{' '}
          {money(r.vatBase.avatax)} · {t('month.columns.variance')} {money(r.vatBase.difference)}
        </dd>
      </dl>
      <table className="small-table">
        <caption>{t('month.summaryTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('month.columns.bucket')}</th>
            <th scope="col" className="num">
              {t('month.columns.documents')}
            </th>
            <VatHeads />
          </tr>
        </thead>
        <tbody>
          {bucketTotals(r).map((b) => (
            <tr key={b.bucket}>
              <td>{t(`month.buckets.${b.bucket}`)}</td>
              <td className="num">{b.documents}</td>
              <td className="num">{money(b.vismaVat)}</td>
              <td className="num">{money(b.avataxVat)}</td>
              <td className="num">{money(b.difference)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.incomplete.length > 0 ? (
        <>
          <p>{t('month.incompleteTitle')}</p>
          <ul>
            <ReasonItems reasons={r.incomplete} />
          </ul>
        </>
      ) : null}
      <h2>{t('month.return.title')}</h2>
      <VatReturnTable vatReturn={r.vatReturn} currency={base} />
      <TotalsTable r={r} />
      {blocking.length > 0 ? (
        <table className="small-table">
          <caption>{t('month.report.blockingTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('month.columns.bucket')}</th>
              <th scope="col">{t('month.columns.number')}</th>
              <th scope="col">{t('month.columns.customer')}</th>
              <th scope="col">{t('month.columns.why')}</th>
            </tr>
          </thead>
          <tbody>
            {blocking.map((d) => (
              <tr key={d.code || d.referenceNumber}>
                <td>{t(`month.buckets.${d.bucket}`)}</td>
                <td>{d.referenceNumber || d.code}</td>
                <td>{d.customerName}</td>
                <td>{formatReasons(d.why, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="signature">
        {t('month.report.checkedBy')}: ______________________ {t('month.report.signedOn')}: ____________
      </p>
    </article>
  );
}

/** Both sides' taxable amount and VAT per country, VAT id and rate, in base currency. */
export function TotalsTable({ r }: { r: Reconciliation }) {
  const { t } = useTranslation();
  const locale = useUi((s) => s.locale);
  const base = r.baseCurrency ?? '';
  const money = (minor: number) => formatMinor(minor, base, locale);
  if (r.totals.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="small-table" data-testid="month-totals">
        <caption>{t('month.totalsTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('month.columns.country')}</th>
            <th scope="col">{t('month.columns.vatId')}</th>
            <th scope="col" className="num">
              {t('month.columns.rate')}
            </th>
            <th scope="col">{t('month.columns.currency')}</th>
            <th scope="col" className="num">
              {t('month.columns.taxable')}
            </th>
            <VatHeads />
          </tr>
        </thead>
        <tbody>
          {r.totals.map((x) => (
            <tr key={`${x.country}|${x.vatId}|${x.rate ?? ''}|${x.currency}`}>
              <td>{x.country || '—'}</td>
              <td>{x.vatId || '—'}</td>
              <td className="num">
                {x.rate === undefined ? '—' : `${x.rate.toLocaleString(formattingLocale(locale))} %`}
              </td>
              <td>{x.currency}</td>
              <td className="num">{money(x.visma.taxableBase)}</td>
              <td className="num">{money(x.visma.vatBase)}</td>
              <td className="num">{money(x.avatax.vatBase)}</td>
              <td className="num">{money(x.visma.vatBase - x.avatax.vatBase)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
