import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type SortColumn, sortRows, totalsOf } from '../../../shared/document-view.js';
import { Tabs } from '../components/Tabs.js';
import { VirtualTable } from '../components/VirtualTable.js';
import { type Tab, useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';
import { DocumentDetail } from './DocumentDetail.js';
import { documentColumns } from './document-columns.js';
import { FilterBar } from './transactions/FilterBar.js';
import { GridToolbar } from './transactions/GridToolbar.js';
import { NoDocuments } from './transactions/NoDocuments.js';
import { TotalsRows } from './transactions/TotalsRow.js';

const TABS: Tab[] = ['pending', 'flagged', 'needs-attention', 'posted', 'all'];

/**
 * The documents grid: tabs and filters, sort by any column, resize and choose columns (kept on this computer),
 * tick rows for a bulk Reprocess or Accept, totals per currency and in the base currency, export as shown.
 */
export function Transactions() {
  const {
    tab,
    page,
    loading,
    error,
    selectedKey,
    detail,
    layout,
    checked,
    setTab,
    load,
    select,
    setSort,
    resizeColumn,
    setChecked,
  } = useDocuments();
  const locale = useUi((s) => s.locale);
  const { t } = useTranslation();
  useEffect(() => {
    void load();
  }, [load]);

  const all = documentColumns(t, locale);
  const columns = all.filter((c) => !layout.hidden.includes(c.id as SortColumn));
  const rows = useMemo(() => sortRows(page.rows, layout.sort), [page.rows, layout.sort]);
  const totals = useMemo(() => totalsOf(rows, page.baseCurrency), [rows, page.baseCurrency]);
  const checkedSet = useMemo(() => new Set(checked), [checked]);

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
        <GridToolbar
          rows={rows}
          columns={all.map((c) => ({ id: c.id as SortColumn, header: c.header }))}
          shownColumns={columns.map((c) => c.id as SortColumn)}
        />
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
              rows={rows}
              columns={columns}
              rowKey={(r) => r.key}
              selectedKey={selectedKey}
              onOpen={(r) => void select(r.key)}
              onMove={selectedKey ? (r) => void select(r.key) : undefined}
              label={t('transactions.table')}
              controls={{
                sort: layout.sort,
                onSort: (id) => setSort(id as SortColumn),
                widths: layout.widths,
                onResize: (id, width) => resizeColumn(id as SortColumn, width),
                checked: checkedSet,
                onCheck: setChecked,
                labels: {
                  resize: (column) => t('grid.resize', { column }),
                  checkAll: t('grid.checkAll'),
                  checkRow: (r) => t('grid.checkRow', { number: r.referenceNumber }),
                },
                footer: (shown, template) => (
                  <TotalsRows totals={totals} shown={shown} template={template} locale={locale} />
                ),
              }}
            />
          )}
        </div>
      </div>
      {detail ? <DocumentDetail detail={detail} /> : null}
    </section>
  );
}
