import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty } from '../components/common.js';
import { SearchInput } from '../components/SearchInput.js';
import { Tabs } from '../components/Tabs.js';
import { VirtualTable } from '../components/VirtualTable.js';
import { EMPTY_FILTERS, type Tab, useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';
import { DocumentDetail } from './DocumentDetail.js';
import { documentColumns } from './document-columns.js';

const TABS: Tab[] = ['pending', 'flagged', 'needs-attention', 'posted', 'all'];

export function Transactions() {
  const { tab, filters, page, loading, error, selectedKey, detail, setTab, setFilters, load, select } = useDocuments();
  const locale = useUi((s) => s.locale);
  const { t } = useTranslation();
  useEffect(() => {
    void load();
  }, [load]);

  const columns = documentColumns(t, locale);

  return (
    <section aria-labelledby="tx-title" className="screen with-detail">
      <div className="main-col">
        <header className="screen-head">
          <h1 id="tx-title">{t('transactions.title')}</h1>
          <span className="muted" aria-live="polite" data-testid="tx-total">
            {loading ? t('app.loading') : t('count.documents', { count: page.total })}
          </span>
        </header>
        <Tabs
          tabs={TABS.map((id) => ({ id, label: t(`transactions.tabs.${id}`) }))}
          selected={tab}
          onSelect={(id) => void setTab(id)}
          label={t('transactions.tablist')}
          controls="documents-table"
        />
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
              onChange={(e) => void setFilters({ dateFrom: e.target.value })}
            />
          </label>
          <label>
            {t('transactions.to')}
            <input type="date" value={filters.dateTo} onChange={(e) => void setFilters({ dateTo: e.target.value })} />
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
        </form>
        {error ? (
          <div className="alert error" role="alert">
            {error}
          </div>
        ) : null}
        <div id="documents-table" role="tabpanel" className="tab-panel" aria-label={t(`transactions.tabs.${tab}`)}>
          {page.rows.length === 0 && !loading ? (
            <Empty>{t('transactions.empty')}</Empty>
          ) : (
            <VirtualTable
              rows={page.rows}
              columns={columns}
              rowKey={(r) => r.key}
              selectedKey={selectedKey}
              onOpen={(r) => void select(r.key)}
              onMove={selectedKey ? (r) => void select(r.key) : undefined}
              label={t('transactions.table')}
            />
          )}
        </div>
      </div>
      {detail ? <DocumentDetail detail={detail} /> : null}
    </section>
  );
}
