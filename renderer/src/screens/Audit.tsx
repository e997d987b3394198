import { useEffect } from 'react';
import { AUDIT_ACTIONS, type AuditEntry } from '../../../shared/domain.js';
import { canDownloadExports, downloadExport } from '../api.js';
import { Empty } from '../components/common.js';
import { SearchInput } from '../components/SearchInput.js';
import { type ColumnDef, VirtualTable } from '../components/VirtualTable.js';
import { formatDateTime, formatMonth } from '../format.js';
import { useAudit } from '../stores/audit.js';
import { useUi } from '../stores/ui.js';

export function Audit() {
  const {
    months,
    month,
    action,
    search,
    entries,
    loading,
    exporting,
    exported,
    error,
    init,
    setMonth,
    setFilter,
    exportMonth,
  } = useAudit();
  const { locale, toast } = useUi();
  useEffect(() => {
    void init();
  }, [init]);

  const columns: ColumnDef<AuditEntry>[] = [
    {
      id: 'at',
      header: 'When',
      width: '12.5rem',
      cell: (e) => <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time>,
    },
    { id: 'actor', header: 'Who', width: '6rem', cell: (e) => e.actor },
    { id: 'action', header: 'What', width: '9rem', cell: (e) => <span className="action">{e.action}</span> },
    { id: 'doc', header: 'Document', width: '7rem', cell: (e) => e.referenceNumber ?? '' },
    {
      id: 'detail',
      header: 'Detail',
      width: 'minmax(16rem, 1fr)',
      cell: (e) => <span title={e.detail}>{e.detail}</span>,
    },
  ];

  const doExport = async () => {
    const result = await exportMonth();
    if (result?.cancelled) toast('info', 'Export cancelled');
    else if (result?.auditFile)
      toast('success', `Exported ${result.auditRows} audit entries and ${result.documentRows} documents`);
  };

  const download = (file: string) => {
    downloadExport(file).catch((e: Error) => toast('error', e.message));
  };

  return (
    <section className="screen" aria-labelledby="audit-title">
      <header className="screen-head">
        <h1 id="audit-title">Audit trail</h1>
        <button type="button" className="primary" onClick={() => void doExport()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export month CSV'}
        </button>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Audit filters">
        <label>
          Month
          <select value={month} onChange={(e) => void setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {formatMonth(m, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={action} onChange={(e) => void setFilter({ action: e.target.value })}>
            <option value="">All</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <SearchInput
          label="Search the audit trail"
          placeholder="Search document or text"
          value={search}
          onSearch={(text) => void setFilter({ search: text })}
        />
        <span className="muted" data-testid="audit-count">
          {loading ? 'Loading…' : `${entries.length.toLocaleString(locale)} entries`}
        </span>
      </form>
      {exported?.auditFile ? (
        <div className="alert success" role="status" data-testid="export-result">
          Saved <code>{exported.auditFile}</code> ({exported.auditRows} rows) and <code>{exported.documentsFile}</code>{' '}
          ({exported.documentRows} rows).
          {canDownloadExports() ? (
            <>
              {' '}
              <button type="button" className="link" onClick={() => download(exported.auditFile!)}>
                Download audit CSV
              </button>{' '}
              ·{' '}
              <button type="button" className="link" onClick={() => download(exported.documentsFile!)}>
                Download documents CSV
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <div className="alert error" role="alert">
          {error}
        </div>
      ) : null}
      {entries.length === 0 && !loading ? (
        <Empty>No audit entries in this month.</Empty>
      ) : (
        <VirtualTable rows={entries} columns={columns} rowKey={(e) => e.id} label="Audit entries" />
      )}
    </section>
  );
}
