import { useTranslation } from 'react-i18next';
import type { SupplyAmounts, VatReturn } from '../../../../shared/month.js';
import { formatMinor } from '../../format.js';
import { formattingLocale } from '../../i18n/locale.js';
import { useUi } from '../../stores/ui.js';

/**
 * What each return is filed from, apart (issue 15 #8): the domestic VAT return per VAT id with its total, OSS VAT
 * per country with its own total (never added to the domestic figure), intra-EU supplies and exports. Visma's
 * books of the month in base currency, as the VAT report and the close report give them.
 */
export function VatReturnTable({ vatReturn, currency }: { vatReturn: VatReturn; currency: string }) {
  const { t } = useTranslation();
  const locale = useUi((s) => s.locale);
  const money = (minor: number) => formatMinor(minor, currency, locale);
  const row = (key: string, label: string, a: SupplyAmounts, kind: 'line' | 'total', testId?: string) => (
    <tr key={key} className={kind === 'total' ? 'total' : undefined} data-testid={testId}>
      <th scope="row">{label}</th>
      <td className="num">{a.documents}</td>
      <td className="num">{money(a.taxable)}</td>
      <td className="num" data-testid={testId ? `${testId}-vat` : undefined}>
        {money(a.vat)}
      </td>
    </tr>
  );
  const rate = (r: number | undefined) => (r === undefined ? '' : ` (${r.toLocaleString(formattingLocale(locale))} %)`);
  return (
    <div className="table-scroll">
      <table className="small-table vat-return" data-testid="vat-return">
        <caption>{t('month.return.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('month.return.what')}</th>
            <th scope="col" className="num">
              {t('month.columns.documents')}
            </th>
            <th scope="col" className="num">
              {t('month.columns.taxable')}
            </th>
            <th scope="col" className="num">
              {t('month.columns.vismaVat')}
            </th>
          </tr>
        </thead>
        <tbody data-testid="vat-return-domestic">
          <tr>
            <th colSpan={4} scope="rowgroup">
              {t('month.return.domestic')}
            </th>
          </tr>
          {vatReturn.domestic.byVatId.map((l) =>
            row(`dom-${l.vatId}`, `${l.vatId}${rate(l.rate)}`, l, 'line', `domestic-${l.vatId}`),
          )}
          {row('dom-total', t('month.return.domesticTotal'), vatReturn.domestic, 'total', 'domestic-total')}
        </tbody>
        <tbody data-testid="vat-return-oss">
          <tr>
            <th colSpan={4} scope="rowgroup">
              {t('month.return.oss')}
            </th>
          </tr>
          {vatReturn.oss.byCountry.map((c) => row(`oss-${c.country}`, c.country, c, 'line', `oss-${c.country}`))}
          {row('oss-total', t('month.return.ossTotal'), vatReturn.oss, 'total', 'oss-total')}
        </tbody>
        <tbody>
          {row('eu', t('month.return.intraEu'), vatReturn.intraEuB2b, 'line', 'intra-eu')}
          {row('export', t('month.return.exports'), vatReturn.exports, 'line', 'exports')}
          {vatReturn.unknown.documents > 0
            ? row('unknown', t('month.return.unknown'), vatReturn.unknown, 'line')
            : null}
        </tbody>
      </table>
    </div>
  );
}
