import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS } from '../../../shared/domain.js';
import type { AuditView } from '../../../shared/ipc-channels.js';
import { canDownloadExports, downloadExport } from '../api.js';
import { Empty } from '../components/common.js';
import { SearchInput } from '../components/SearchInput.js';
import { type ColumnDef, VirtualTable } from '../components/VirtualTable.js';
import { describeError } from '../errors.js';
import { formatDateTime, formatMonth } from '../format.js';
import { sayReason } from '../reasons.js';
import { useAudit } from '../stores/audit.js';
import { EMPTY_FILTERS, useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';
import { whoDid } from './DocumentTables.js';

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
  const { locale, toast, go } = useUi();
  const { t } = useTranslation();
  useEffect(() => {
    void init();
  }, [init]);

  /** From an entry to what it touched: the document opened in Transactions, or the customer's documents. */
  const openDocument = (key: string) => {
    const docs = useDocuments.getState();
    useDocuments.setState({ tab: 'all', filters: EMPTY_FILTERS });
    go('transactions');
    void docs.load().then(() => docs.select(key));
  };
  const openCustomer = (customer: string) => {
    useDocuments.setState({ tab: 'all', filters: { ...EMPTY_FILTERS, customer } });
    go('transactions');
    void useDocuments.getState().load();
  };

  const columns: ColumnDef<AuditView>[] = [
    {
      id: 'at',
      header: t('audit.columns.when'),
      width: '12rem',
      minWidth: 168,
      // To the second, in local time: the order of events is what an auditor reads.
      cell: (e) => <time dateTime={e.at}>{formatDateTime(e.at, locale, { seconds: true })}</time>,
      title: (e) => formatDateTime(e.at, locale, { seconds: true }),
    },
    {
      id: 'actor',
      header: t('audit.columns.who'),
      width: '7rem',
      minWidth: 98,
      priority: 2,
      cell: (e) => whoDid(t, e.by, e.actor),
    },
    {
      id: 'action',
      header: t('audit.columns.what'),
      width: '12rem',
      minWidth: 168,
      cell: (e) => <span className="action">{t(`auditAction.${e.action}`)}</span>,
      title: (e) => `${t(`auditAction.${e.action}`)} (${e.action})`,
    },
    {
      id: 'doc',
      header: t('audit.columns.document'),
      width: '9.5rem',
      minWidth: 133,
      priority: 1,
      cell: (e) => {
        if (e.documentKey && e.referenceNumber)
          return (
            <button
              type="button"
              className="link"
              aria-label={t('auditLinks.openDocument', { number: e.referenceNumber })}
              onClick={() => openDocument(e.documentKey!)}
            >
              {e.referenceNumber}
            </button>
          );
        const customer = typeof e.data?.customer === 'string' ? e.data.customer : undefined;
        if (customer)
          return (
            <button
              type="button"
              className="link"
              aria-label={t('auditLinks.openCustomer', { customer })}
              onClick={() => openCustomer(customer)}
            >
              {t('auditLinks.customerDocuments', { customer })}
            </button>
          );
        return e.referenceNumber ?? '';
      },
      title: (e) =>
        e.referenceNumber ??
        (typeof e.data?.customer === 'string' ? t('auditLinks.customerDocuments', { customer: e.data.customer }) : ''),
    },
    {
      id: 'detail',
      header: t('audit.columns.detail'),
      width: 'minmax(16rem, 1fr)',
      minWidth: 224,
      cell: (e) => sayReason(e.detail, locale),
    },
  ];

  const doExport = async () => {
    const result = await exportMonth();
    if (result?.cancelled) toast('info', t('audit.cancelled'));
    else if (result?.auditFile) {
      const entries = t('count.entries', { count: result.auditRows ?? 0 });
      toast(
        'success',
        t('audit.exported', { entries, documents: t('count.documents', { count: result.documentRows ?? 0 }) }),
      );
    }
  };

  const download = (file: string) => {
    downloadExport(file).catch((e: Error) => toast('error', describeError(t, e.message).text));
  };

  return (
    <section className="screen" aria-labelledby="audit-title">
      <header className="screen-head">
        <h1 id="audit-title">{t('audit.title')}</h1>
        <button type="button" className="primary" onClick={() => void doExport()} disabled={exporting}>
          {exporting ? t('audit.exporting') : t('audit.export')}
        </button>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('audit.filters')}>
        <label>
          {t('audit.month')}
          <select value={month} onChange={(e) => void setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {formatMonth(m, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.action')}
          <select value={action} onChange={(e) => void setFilter({ action: e.target.value })}>
            <option value="">{t('app.all')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`auditAction.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <SearchInput
          label={t('audit.searchLabel')}
          placeholder={t('audit.searchPlaceholder')}
          value={search}
          onSearch={(text) => void setFilter({ search: text })}
        />
        <span className="muted" data-testid="audit-count">
          {loading ? t('app.loading') : t('count.entries', { count: entries.length })}
        </span>
      </form>
      {exported?.auditFile ? (
        <div className="alert success" role="status" data-testid="export-result">
          {t('audit.savedFiles')}
          <ul>
            <li>
              <code>{exported.auditFile}</code> — {t('count.rows', { count: exported.auditRows ?? 0 })}
            </li>
            <li>
              <code>{exported.documentsFile}</code> —{' '}
              <span data-testid="documents-file-count">
                {t('exportFile.documentsInRows', {
                  documents: t('count.documents', { count: exported.documentRows ?? 0 }),
                  rows: t('count.rows', { count: exported.documentLines ?? exported.documentRows ?? 0 }),
                })}
              </span>
            </li>
          </ul>
          {canDownloadExports() ? (
            <p className="downloads">
              <button type="button" className="link" onClick={() => download(exported.auditFile!)}>
                {t('audit.downloadAudit')}
              </button>{' '}
              ·{' '}
              <button type="button" className="link" onClick={() => download(exported.documentsFile!)}>
                {t('audit.downloadDocuments')}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <div className="alert error" role="alert">
          {error}
        </div>
      ) : null}
      {entries.length === 0 && !loading ? (
        <Empty>{t('audit.empty')}</Empty>
      ) : (
        <VirtualTable rows={entries} columns={columns} rowKey={(e) => e.id} label={t('audit.table')} />
      )}
    </section>
  );
}
