import { useTranslation } from 'react-i18next';

/**
 * The three money columns the Month-end tables end with: Visma's booked VAT, AvaTax's, and their variance; in the
 * dry run, what Visma booked, what AvaTax would calculate and the difference.
 */
export function VatHeads({ dryRun = false }: { dryRun?: boolean }) {
  const { t } = useTranslation();
  const heads = dryRun
    ? { booked: t('month.dryRun.booked'), other: t('month.dryRun.calculated'), variance: t('month.dryRun.difference') }
    : {
        booked: t('month.columns.vismaVat'),
        other: t('month.columns.avataxVat'),
        variance: t('month.columns.variance'),
      };
  return (
    <>
      {Object.entries(heads).map(([column, head]) => (
        <th key={column} scope="col" className="num">
          {head}
        </th>
      ))}
    </>
  );
}
