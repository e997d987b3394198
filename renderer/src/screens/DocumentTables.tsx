import { useTranslation } from 'react-i18next';
import type { AuditEntry, LedgerDocument } from '../../../shared/domain.js';
import { taxByVatId } from '../../../shared/tax-details.js';
import { formatDateTime, formatRate } from '../format.js';
import type { Locale } from '../i18n/locale.js';

type Money = (minor: number) => string;

/** AvaTax's tax per document line, with the Visma VAT code it maps to. */
export function LineResults({
  document: d,
  money,
  locale,
}: {
  document: LedgerDocument;
  money: Money;
  locale: Locale;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('detail.linesTitle')}</h3>
      {d.lines.length === 0 ? (
        <p className="muted">{t('detail.noLines')}</p>
      ) : (
        <table className="small-table">
          <thead>
            <tr>
              <th scope="col">{t('detail.line')}</th>
              <th scope="col" className="num">
                {t('detail.amount')}
              </th>
              <th scope="col" className="num">
                {t('detail.rate')}
              </th>
              <th scope="col" className="num">
                {t('detail.tax')}
              </th>
              <th scope="col">{t('detail.vatCode')}</th>
            </tr>
          </thead>
          <tbody>
            {d.lines.map((l) => (
              <tr key={l.lineNumber}>
                <td>{l.lineNumber}</td>
                <td className="num">{money(l.amount)}</td>
                <td className="num">{formatRate(l.rate, locale)}</td>
                <td className="num">{money(l.tax)}</td>
                <td>{l.vatCategoryId ? `${l.vatCategoryId} / ${l.vatId}` : <em>{t('detail.unmapped')}</em>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The booked VAT per Visma VAT id, as written back to the document. */
export function WrittenToVisma({ document: d, money }: { document: LedgerDocument; money: Money }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('detail.writtenTitle')}</h3>
      {d.writtenBack ? (
        <table className="small-table">
          <thead>
            <tr>
              <th scope="col">{t('detail.vatId')}</th>
              <th scope="col" className="num">
                {t('detail.taxable')}
              </th>
              <th scope="col" className="num">
                {t('detail.vat')}
              </th>
            </tr>
          </thead>
          <tbody>
            {taxByVatId(d.lines).map((v) => (
              <tr key={v.vatId}>
                <td>{v.vatId}</td>
                <td className="num">{money(v.taxable)}</td>
                <td className="num">{money(v.vat)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('detail.nothingWritten')}</p>
      )}
    </>
  );
}

/** The document's audit entries, oldest first. */
export function DocumentHistory({ audit, locale }: { audit: AuditEntry[]; locale: Locale }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('detail.history')}</h3>
      <ol className="history">
        {audit.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time>{' '}
            <span className="action" title={e.action}>
              {t(`auditAction.${e.action}`)}
            </span>{' '}
            {e.detail} <small className="muted">({t(`actor.${e.actor}`)})</small>
          </li>
        ))}
      </ol>
    </>
  );
}
