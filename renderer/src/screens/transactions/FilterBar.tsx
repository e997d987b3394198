import { useTranslation } from 'react-i18next';
import { SearchInput } from '../../components/SearchInput.js';
import { EMPTY_FILTERS, type Filters, invertedRange, useDocuments } from '../../stores/documents.js';

const DOCUMENT_TYPES = ['invoice', 'credit-note', 'debit-note'] as const;

/** Search, date range, type, customer, country and currency; a From date after the To date is refused here. */
export function FilterBar() {
  const { t } = useTranslation();
  const { filters, page, setFilters } = useDocuments();
  const inverted = invertedRange(filters);
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('transactions.filters')}>
      <SearchInput
        label={t('transactions.searchLabel')}
        placeholder={t('transactions.searchPlaceholder')}
        value={filters.search}
        onSearch={(search) => void setFilters({ search })}
      />
      <label>
        {t('transactions.from')}
        <input
          type="date"
          value={filters.dateFrom}
          max={filters.dateTo || undefined}
          aria-invalid={inverted || undefined}
          aria-describedby={inverted ? 'date-range-problem' : undefined}
          onChange={(e) => void setFilters({ dateFrom: e.target.value })}
        />
      </label>
      <label>
        {t('transactions.to')}
        <input
          type="date"
          value={filters.dateTo}
          min={filters.dateFrom || undefined}
          aria-invalid={inverted || undefined}
          aria-describedby={inverted ? 'date-range-problem' : undefined}
          onChange={(e) => void setFilters({ dateTo: e.target.value })}
        />
      </label>
      <label>
        {t('transactions.documentType')}
        <select
          value={filters.documentType}
          onChange={(e) => void setFilters({ documentType: e.target.value as Filters['documentType'] })}
        >
          <option value="">{t('app.all')}</option>
          {DOCUMENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`documentType.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('transactions.customer')}
        <select value={filters.customer} onChange={(e) => void setFilters({ customer: e.target.value })}>
          <option value="">{t('app.all')}</option>
          {page.customers.map((c) => (
            <option key={c.number} value={c.number}>
              {t('transactions.customerOption', { name: c.name, number: c.number })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('transactions.country')}
        <select value={filters.country} onChange={(e) => void setFilters({ country: e.target.value })}>
          <option value="">{t('app.all')}</option>
          {page.countries.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        {t('transactions.currency')}
        <select value={filters.currency} onChange={(e) => void setFilters({ currency: e.target.value })}>
          <option value="">{t('app.all')}</option>
          {page.currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <button type="button" className="link" onClick={() => void setFilters(EMPTY_FILTERS)}>
        {t('transactions.clearFilters')}
      </button>
      {inverted ? (
        <p id="date-range-problem" className="filter-problem" role="alert">
          {t('transactions.invertedRange')}
        </p>
      ) : null}
    </form>
  );
}
