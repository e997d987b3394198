import { useEffect } from 'react';
import type { DocumentRow } from '../../../shared/ipc-channels.js';
import { Empty, StateBadge } from '../components/common.js';
import { SearchInput } from '../components/SearchInput.js';
import { type ColumnDef, VirtualTable } from '../components/VirtualTable.js';
import { formatDate, formatMoney } from '../format.js';
import { EMPTY_FILTERS, type Tab, useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';
import { DocumentDetail } from './DocumentDetail.js';

const TABS: { id: Tab; label: string }[] = [
  { id: 'pending', label: 'Pending' },
  { id: 'flagged', label: 'Flagged' },
  { id: 'needs-attention', label: 'Needs attention' },
  { id: 'posted', label: 'Posted' },
  { id: 'all', label: 'All' },
];

export function Transactions() {
  const { tab, filters, page, loading, error, selectedKey, detail, setTab, setFilters, load, select } = useDocuments();
  const locale = useUi((s) => s.locale);
  useEffect(() => {
    void load();
  }, [load]);

  const columns: ColumnDef<DocumentRow>[] = [
    { id: 'date', header: 'Date', width: '7.5rem', cell: (r) => formatDate(r.documentDate, locale) },
    { id: 'ref', header: 'Number', width: '6.5rem', cell: (r) => r.referenceNumber },
    {
      id: 'type',
      header: 'Type',
      width: '6.5rem',
      cell: (r) => (r.documentType === 'invoice' ? 'Invoice' : 'Credit note'),
    },
    {
      id: 'customer',
      header: 'Customer',
      width: 'minmax(10rem, 2fr)',
      cell: (r) => <span title={r.customerNumber}>{r.customerName}</span>,
    },
    { id: 'country', header: 'Country', width: '4.5rem', cell: (r) => r.country },
    {
      id: 'amount',
      header: 'Amount',
      width: '9rem',
      align: 'right',
      cell: (r) => formatMoney(r.amount, r.currency, locale),
    },
    {
      id: 'tax',
      header: 'Tax',
      width: '8rem',
      align: 'right',
      cell: (r) => formatMoney(r.totalTax, r.currency, locale),
    },
    { id: 'state', header: 'State', width: '15rem', cell: (r) => <StateBadge state={r.state} /> },
    {
      id: 'reason',
      header: 'Reason',
      width: 'minmax(8rem, 2fr)',
      cell: (r) => (
        <span className="muted" title={r.reason}>
          {r.reason}
        </span>
      ),
    },
  ];

  return (
    <section aria-labelledby="tx-title" className="screen with-detail">
      <div className="main-col">
        <header className="screen-head">
          <h1 id="tx-title">Transactions</h1>
          <span className="muted" aria-live="polite" data-testid="tx-total">
            {loading ? 'Loading…' : `${page.total.toLocaleString(locale)} documents`}
          </span>
        </header>
        <div role="tablist" aria-label="Document states" className="tabs">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? 'tab active' : 'tab'}
              onClick={() => void setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
          <SearchInput
            label="Search number, customer or AvaTax code"
            placeholder="Search number, customer, AvaTax code"
            value={filters.search}
            onSearch={(search) => void setFilters({ search })}
          />
          <label>
            From
            <input
              type="date"
              value={filters.dateFrom}
              onChange={(e) => void setFilters({ dateFrom: e.target.value })}
            />
          </label>
          <label>
            To
            <input type="date" value={filters.dateTo} onChange={(e) => void setFilters({ dateTo: e.target.value })} />
          </label>
          <label>
            Customer
            <select value={filters.customer} onChange={(e) => void setFilters({ customer: e.target.value })}>
              <option value="">All</option>
              {page.customers.map((c) => (
                <option key={c.number} value={c.number}>
                  {c.name} ({c.number})
                </option>
              ))}
            </select>
          </label>
          <label>
            Country
            <select value={filters.country} onChange={(e) => void setFilters({ country: e.target.value })}>
              <option value="">All</option>
              {page.countries.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Currency
            <select value={filters.currency} onChange={(e) => void setFilters({ currency: e.target.value })}>
              <option value="">All</option>
              {page.currencies.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <button type="button" className="link" onClick={() => void setFilters(EMPTY_FILTERS)}>
            Clear filters
          </button>
        </form>
        {error ? (
          <div className="alert error" role="alert">
            {error}
          </div>
        ) : null}
        {page.rows.length === 0 && !loading ? (
          <Empty>No documents here. Run Sync now on the Overview, or change the filters.</Empty>
        ) : (
          <VirtualTable
            rows={page.rows}
            columns={columns}
            rowKey={(r) => r.key}
            selectedKey={selectedKey}
            onOpen={(r) => void select(r.key)}
            label="Documents"
          />
        )}
      </div>
      {detail ? <DocumentDetail detail={detail} /> : null}
    </section>
  );
}
