import { useTranslation } from 'react-i18next';
import type { ClosedMonthChange } from '../../../../shared/month.js';
import { formatDateTime, formatMonth } from '../../format.js';
import { useUi } from '../../stores/ui.js';

/** The documents of closed months changed since, one line each: on the Overview (the first few) and Month-end. */
export function ChangeList({ changes, limit }: { changes: readonly ClosedMonthChange[]; limit?: number }) {
  const { t } = useTranslation();
  const { locale } = useUi();
  const shown = limit === undefined ? changes : changes.slice(0, limit);
  return (
    <>
      <ul>
        {shown.map((c) => (
          <li key={`${c.key}|${c.at}`}>
            {t('month.changes.item', {
              month: formatMonth(c.month, locale),
              number: c.referenceNumber,
              at: formatDateTime(c.at, locale),
              detail: c.detail,
            })}
          </li>
        ))}
      </ul>
      {changes.length > shown.length ? <p>{t('month.andMore', { count: changes.length - shown.length })}</p> : null}
    </>
  );
}
