import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Tabs } from '../components/Tabs.js';
import { VirtualTable } from '../components/VirtualTable.js';
import { type Tab, useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';
import { DocumentDetail } from './DocumentDetail.js';
import { documentColumns } from './document-columns.js';
import { FilterBar } from './transactions/FilterBar.js';
import { NoDocuments } from './transactions/NoDocuments.js';

const TABS: Tab[] = ['pending', 'flagged', 'needs-attention', 'posted', 'all'];

export function Transactions() {
  const { tab, page, loading, error, selectedKey, detail, setTab, load, select } = useDocuments();
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
        <FilterBar />
        {error ? (
          <div className="alert error" role="alert">
            {error}
          </div>
        ) : null}
        <div id="documents-table" role="tabpanel" className="tab-panel" aria-label={t(`transactions.tabs.${tab}`)}>
          {page.rows.length === 0 && !loading ? (
            <NoDocuments />
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
