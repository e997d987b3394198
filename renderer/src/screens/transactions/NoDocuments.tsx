import { useTranslation } from 'react-i18next';
import { Empty } from '../../components/common.js';
import { EMPTY_FILTERS, hasFilters, useDocuments } from '../../stores/documents.js';

/** Why the list is empty: the filters hide everything (with a way out), the tab has none, or nothing synced yet. */
export function NoDocuments() {
  const { t } = useTranslation();
  const { tab, filters, setFilters } = useDocuments();
  if (hasFilters(filters)) {
    return (
      <Empty>
        <span data-testid="no-match">{t('transactions.noMatch')}</span>{' '}
        <button type="button" className="secondary" onClick={() => void setFilters(EMPTY_FILTERS)}>
          {t('transactions.clearFilters')}
        </button>
      </Empty>
    );
  }
  return <Empty>{tab === 'all' ? t('transactions.empty') : t('transactions.emptyTab')}</Empty>;
}
