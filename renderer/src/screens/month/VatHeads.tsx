import { useTranslation } from 'react-i18next';

/** The three money columns the Month-end tables end with: Visma's booked VAT, AvaTax's, and their variance. */
export function VatHeads() {
  const { t } = useTranslation();
  return (
    <>
      <th scope="col" className="num">
        {t('month.columns.vismaVat')}
      </th>
      <th scope="col" className="num">
        {t('month.columns.avataxVat')}
      </th>
      <th scope="col" className="num">
        {t('month.columns.variance')}
      </th>
    </>
  );
}
