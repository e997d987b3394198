import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BLOCKING_BUCKETS, BUCKETS, isMonth, monthRange } from '../../../shared/month.js';
import { formatReasons } from '../../../shared/reason-format.js';
import { canDownloadExports, downloadExport } from '../api.js';
import { Empty } from '../components/common.js';
import { ErrorText } from '../components/ErrorText.js';
import { ReasonDialog } from '../components/ReasonDialog.js';
import { Tabs } from '../components/Tabs.js';
import { describeError, sayProblem } from '../errors.js';
import { formatDate, formatMinor, formatMonth } from '../format.js';
import { useApp } from '../stores/app.js';
import { useDocuments } from '../stores/documents.js';
import { blockers, bucketTotals, recentMonths, useMonth } from '../stores/month.js';
import { useUi } from '../stores/ui.js';
import { DocumentDetail } from './DocumentDetail.js';
import { BackfillPanel } from './month/BackfillPanel.js';
import { type Asking, BucketTable } from './month/BucketTable.js';
import { ChangeList } from './month/ChangeList.js';
import { CloseConfirm } from './month/CloseConfirm.js';
import { CloseReport, TotalsTable } from './month/CloseReport.js';
import { DryRunPanel } from './month/DryRunPanel.js';
import { ReasonItems } from './month/ReasonList.js';
import { VatHeads } from './month/VatHeads.js';
import { VatReturnTable } from './month/VatReturnTable.js';

/** Blocking documents named under the disabled Close button; the bucket tables list them all. */
const NAMED_BLOCKERS = 10;

/**
 * Month-end: is the month clean? The summary bar says so, or how many documents block closing; the buckets with
 * their counts and VAT, each document's fix one click away, close and reopen, the files for the VAT return, a
 * print-friendly close report, and the dry run and backfill.
 */
export function MonthEnd() {
  const { t } = useTranslation();
  const { locale, toast } = useUi();
  const m = useMonth();
  const { reconciliation: r, month, bucket, loading, working, error, exported } = m;
  // Reading the month waits for a running backfill (one job at a time): say so rather than seem stuck.
  const reading = loading ? t(m.backfill?.running ? 'month.waitingForBackfill' : 'month.reading') : null;
  const { detail, select } = useDocuments();
  const allChanges = useApp((s) => s.status?.closedMonthChanges);
  const today = useApp((s) => s.status?.today);
  const changes = (allChanges ?? []).filter((c) => c.month === month);
  const [asking, setAsking] = useState<Asking>();
  const [note, setNote] = useState('');
  const [confirmingClose, setConfirmingClose] = useState(false);
  const noteId = useId();

  useEffect(() => {
    void useMonth.getState().load();
    // The detail panel belongs to the screen it was opened on.
    return () => void useDocuments.getState().select(undefined);
  }, []);

  const monthName = formatMonth(month, locale);
  // A month is closed once it has ended in the company's calendar (the engine refuses the running month and later).
  const ended = today !== undefined && month < today.slice(0, 7);
  const incomplete = r?.incomplete ?? [];
  const base = r?.baseCurrency ?? '';
  const money = (minor: number) => formatMinor(minor, base, locale);
  const blocking = blockers(r);
  const problems = r?.problems ?? [];
  const refresh = async () => {
    await m.load();
    await useApp.getState().refresh();
  };

  const onReprocess = async (reference: string) => {
    const result = await m.reprocess(reference);
    if (result?.error)
      toast(
        'error',
        t('month.done.reprocessFailed', { number: reference, error: sayProblem(t, result.error, locale) }),
      );
    else if (result?.state)
      toast('success', t('month.done.reprocessed', { number: reference, state: t(`state.${result.state}`) }));
    void useApp.getState().refresh();
  };

  const onRelease = async (reference: string, kind: 'invoice' | 'credit-note' | 'debit-note') => {
    const result = await m.releaseInDemo(reference, kind);
    if (result?.error || result?.released === false)
      toast(
        'error',
        t('month.done.demoReleaseFailed', { number: reference, error: sayProblem(t, result.error, locale) }),
      );
    else if (result?.state)
      toast('success', t('month.done.demoReleased', { number: reference, state: t(`state.${result.state}`) }));
    void useApp.getState().refresh();
  };

  const onClose = async () => {
    const closed = await m.close(note.trim() || undefined);
    if (closed === true) {
      toast('success', t('month.done.closed', { month: monthName }));
      setNote('');
    } else if (closed === false) toast('error', t('month.done.notClosed', { month: monthName }));
  };

  const onExport = async (kind: 'reconciliation' | 'vat') => {
    const outcome = kind === 'vat' ? await m.exportVatReport() : await m.exportReconciliation();
    if (outcome?.cancelled) toast('info', t('month.exportCancelled'));
  };

  const download = (file: string) => {
    downloadExport(file).catch((e: Error) => toast('error', describeError(t, e.message).text));
  };

  const decide = async (reason: string): Promise<string | undefined> => {
    if (!asking) return undefined;
    if (asking.kind === 'reopen') {
      const problem = await m.reopen(reason);
      if (!problem) toast('success', t('month.done.reopened', { month: monthName }));
      return problem && describeError(t, problem).text;
    }
    if (asking.kind === 'void') {
      const problem = await m.voidInAvaTax(asking.code, reason);
      if (!problem) toast('success', t('month.done.voided', { code: asking.code }));
      return problem && describeError(t, problem).text;
    }
    const problem = await (asking.kind === 'accept' ? m.accept : m.adjust)(asking.reference, reason);
    if (!problem)
      toast(
        'success',
        t(asking.kind === 'accept' ? 'month.done.accepted' : 'month.done.adjusted', { number: asking.reference }),
      );
    void useApp.getState().refresh();
    return problem && describeError(t, problem).text;
  };

  // '' until the company's today is known (the store then opens on the month that just ended).
  const range = isMonth(month) ? monthRange(month) : undefined;
  const listed = r?.documents.filter((d) => d.bucket === bucket) ?? [];

  return (
    <section aria-labelledby="month-title" className="screen with-detail month-end">
      <div className="main-col">
        <header className="screen-head no-print">
          <h1 id="month-title">{t('month.title')}</h1>
          <div className="actions">
            <label>
              {t('month.monthLabel')}{' '}
              <select value={month} onChange={(e) => void m.setMonth(e.target.value)} data-testid="month-picker">
                {[...new Set([month, ...recentMonths(today ?? month)].filter(Boolean))]
                  .sort()
                  .reverse()
                  .map((x) => (
                    <option key={x} value={x}>
                      {formatMonth(x, locale)}
                    </option>
                  ))}
              </select>
            </label>
            <button type="button" className="secondary" onClick={() => void refresh()} disabled={loading}>
              {t('month.refresh')}
            </button>
            <button type="button" className="secondary" onClick={() => window.print()} disabled={!r}>
              {t('month.print')}
            </button>
          </div>
        </header>

        {changes.length > 0 ? (
          <div className="alert warn no-print" role="alert" data-testid="month-changes">
            <strong>{t('month.changes.title')}</strong> {t('month.changes.intro')}
            <ChangeList changes={changes} />
            <button
              type="button"
              className="secondary"
              onClick={async () => {
                const count = await m.acknowledge();
                toast('info', t('month.changes.acknowledged', { count }));
                await useApp.getState().refresh();
              }}
            >
              {t('month.changes.acknowledge')}
            </button>
          </div>
        ) : null}

        {error ? (
          <div className="alert error no-print" role="alert">
            <ErrorText message={error} />
          </div>
        ) : null}

        {!r ? (
          <p className="muted" role="status">
            {reading}
          </p>
        ) : (
          <>
            <div
              className={`summary-bar ${r.clean ? 'tone-good' : 'tone-bad'} no-print`}
              role="status"
              data-testid="month-summary"
              data-clean={r.clean}
              data-incomplete={incomplete.length > 0}
            >
              <strong>
                {r.clean
                  ? t('month.clean', { month: monthName })
                  : incomplete.length > 0
                    ? t('month.incomplete', { month: monthName })
                    : t('month.blocked', { count: blocking.length, month: monthName })}
              </strong>{' '}
              {r.closed ? null : (
                <span>
                  {r.clean
                    ? t('month.cleanHint')
                    : incomplete.length > 0
                      ? t('month.incompleteHint')
                      : t('month.blockedHint')}
                </span>
              )}
              {r.closed ? (
                <span className="badge" data-testid="month-closed">
                  {t('month.closedBy', { date: formatDate(r.closed.closedAt, locale), by: r.closed.by })}
                </span>
              ) : null}
              {reading ? <span className="muted"> {reading}</span> : null}
            </div>
            {incomplete.length > 0 ? (
              <div className="alert error no-print" role="alert" data-testid="month-incomplete">
                {t('month.incompleteTitle')}
                <ul>
                  <ReasonItems reasons={incomplete} />
                </ul>
              </div>
            ) : null}
            {problems.length > 0 ? (
              <div className="alert error no-print" role="alert">
                {t('month.problems')}
                <ul>
                  <ReasonItems reasons={problems} />
                </ul>
              </div>
            ) : null}

            <div className="no-print month-body">
              <table className="small-table bucket-summary" data-testid="bucket-summary">
                <caption>{t('month.summaryTable')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('month.columns.bucket')}</th>
                    <th scope="col" className="num">
                      {t('month.columns.documents')}
                    </th>
                    <VatHeads />
                  </tr>
                </thead>
                <tbody>
                  {bucketTotals(r).map((b) => (
                    <tr
                      key={b.bucket}
                      data-testid={`bucket-${b.bucket}`}
                      className={BLOCKING_BUCKETS.includes(b.bucket) && b.documents > 0 ? 'blocking' : undefined}
                    >
                      <th scope="row">
                        <button type="button" className="link" onClick={() => m.setBucket(b.bucket)}>
                          {t(`month.buckets.${b.bucket}`)}
                        </button>
                        {BLOCKING_BUCKETS.includes(b.bucket) && b.documents > 0 ? (
                          <small className="badge state-needs-attention">{t('month.blocking')}</small>
                        ) : null}
                        <br />
                        <small className="muted">{t(`month.bucketHelp.${b.bucket}`)}</small>
                      </th>
                      <td className="num" data-testid={`count-${b.bucket}`}>
                        {b.documents}
                      </td>
                      <td className="num">{money(b.vismaVat)}</td>
                      <td className="num">{money(b.avataxVat)}</td>
                      <td className="num">{money(b.difference)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('month.report.vatBase')}</th>
                    <td />
                    <td className="num">{money(r.vatBase.visma)}</td>
                    <td className="num">{money(r.vatBase.avatax)}</td>
                    <td className="num">{money(r.vatBase.difference)}</td>
                  </tr>
                </tfoot>
              </table>
              <p className="muted">
                {t('month.baseNote', { currency: base })} {t('month.reportedNote')}{' '}
                {r.withoutRate > 0 ? t('month.withoutRate', { count: r.withoutRate }) : null}
              </p>

              {r.documents.length === 0 ? (
                <Empty>{t('month.noDocuments')}</Empty>
              ) : (
                <>
                  <Tabs
                    tabs={BUCKETS.map((b) => ({ id: b, label: `${t(`month.buckets.${b}`)} (${r.counts[b]})` }))}
                    selected={bucket}
                    onSelect={(b) => m.setBucket(b)}
                    label={t('month.bucketTabs')}
                    controls="month-bucket"
                  />
                  <div id="month-bucket" role="tabpanel" className="tab-panel">
                    <BucketTable
                      documents={listed}
                      caption={t('month.bucketTable', { bucket: t(`month.buckets.${bucket}`) })}
                      onOpen={(key) => void select(key)}
                      onAsk={setAsking}
                      onReprocess={(ref) => void onReprocess(ref)}
                      onRelease={(ref, kind) => void onRelease(ref, kind)}
                    />
                  </div>
                </>
              )}

              <h2>{t('month.return.title')}</h2>
              <p className="muted">{t('month.return.intro', { currency: base })}</p>
              <VatReturnTable vatReturn={r.vatReturn} currency={base} />

              {r.totals.length > 0 ? (
                <>
                  <h2>{t('month.totalsTitle')}</h2>
                  <TotalsTable r={r} />
                </>
              ) : null}

              <div className="two-col">
                <section className="panel" aria-labelledby="close-title" data-testid="close-panel">
                  <h2 id="close-title">
                    {r.closed ? t('month.closedTitle', { month: monthName }) : t('month.closeTitle')}
                  </h2>
                  {r.closed ? (
                    <>
                      <p>
                        {t('month.closedBy', { date: formatDate(r.closed.closedAt, locale), by: r.closed.by })}
                        {r.closed.note ? ` · ${t('month.report.note', { note: r.closed.note })}` : ''}
                      </p>
                      <button
                        type="button"
                        className="secondary"
                        disabled={working !== undefined}
                        onClick={() => setAsking({ kind: 'reopen' })}
                      >
                        {t('month.reopen')}
                      </button>
                    </>
                  ) : (
                    <>
                      <label htmlFor={noteId} className="field-label">
                        {t('month.closeNote')}
                      </label>
                      <input
                        className="close-note"
                        id={noteId}
                        value={note}
                        maxLength={500}
                        onChange={(e) => setNote(e.target.value)}
                        disabled={!r.clean || !ended}
                      />
                      <div className="actions">
                        <button
                          type="button"
                          className="primary"
                          data-testid="close-month"
                          disabled={!r.clean || !ended || working !== undefined || loading}
                          aria-describedby={r.clean && ended ? undefined : 'close-blockers'}
                          onClick={() => setConfirmingClose(true)}
                        >
                          {working === 'close' ? t('month.closing') : t('month.close', { month: monthName })}
                        </button>
                      </div>
                      {r.clean && !ended ? (
                        <p id="close-blockers" data-testid="close-blockers">
                          {t('month.notEnded', { month: monthName })}
                        </p>
                      ) : null}
                      {!r.clean ? (
                        <div id="close-blockers" data-testid="close-blockers">
                          <p>{t('month.closeBlocked')}</p>
                          <ul>
                            <ReasonItems reasons={[...incomplete, ...problems]} />
                            {blocking.slice(0, NAMED_BLOCKERS).map((d) => (
                              <li key={d.code || d.referenceNumber}>
                                <strong>{d.referenceNumber || d.code}</strong> ({t(`month.buckets.${d.bucket}`)}):{' '}
                                {formatReasons(d.why, locale)}
                              </li>
                            ))}
                          </ul>
                          {blocking.length > NAMED_BLOCKERS ? (
                            <p className="muted">{t('month.andMore', { count: blocking.length - NAMED_BLOCKERS })}</p>
                          ) : null}
                        </div>
                      ) : null}
                    </>
                  )}
                </section>

                <section className="panel" aria-labelledby="exports-title" data-testid="exports-panel">
                  <h2 id="exports-title">{t('month.exportsTitle')}</h2>
                  <p className="muted">{t('month.exportsIntro')}</p>
                  <div className="actions">
                    <button
                      type="button"
                      className="secondary"
                      disabled={working !== undefined}
                      onClick={() => void onExport('reconciliation')}
                    >
                      {working === 'export' ? t('month.exporting') : t('month.exportReconciliation')}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      disabled={working !== undefined}
                      onClick={() => void onExport('vat')}
                    >
                      {working === 'vat-report' ? t('month.exporting') : t('month.exportVat')}
                    </button>
                  </div>
                  {exported ? (
                    <div className="alert success" role="status" data-testid="month-export-result">
                      {exported.kind === 'vat' ? t('month.savedVat') : t('month.savedReconciliation')}
                      <ul>
                        {exported.outcome.files.map((f) => (
                          <li key={f.file}>
                            <code>{f.file}</code> — {t('count.rows', { count: f.rows })}
                            {canDownloadExports() ? (
                              <>
                                {' '}
                                <button type="button" className="link" onClick={() => download(f.file)}>
                                  {t('month.download', { file: f.file.split(/[\\/]/).pop() })}
                                </button>
                              </>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                      {exported.kind === 'vat' && exported.outcome.vatReturn ? (
                        <p data-testid="vat-export-figures">
                          {t('month.domesticVat', {
                            vat: formatMinor(
                              exported.outcome.vatReturn.domestic.vat,
                              exported.outcome.baseCurrency ?? '',
                              locale,
                            ),
                            taxable: formatMinor(
                              exported.outcome.vatReturn.domestic.taxable,
                              exported.outcome.baseCurrency ?? '',
                              locale,
                            ),
                          })}
                          <br />
                          {t('month.ossVat', {
                            vat: formatMinor(
                              exported.outcome.vatReturn.oss.vat,
                              exported.outcome.baseCurrency ?? '',
                              locale,
                            ),
                          })}
                          {exported.outcome.clean === false ? ` ${t('month.vatNotClean')}` : ''}
                        </p>
                      ) : null}
                    </div>
                  ) : null}
                </section>
              </div>
            </div>
            <CloseReport r={r} />
          </>
        )}

        {range ? (
          <div className="two-col no-print">
            <DryRunPanel key={`dry-run-${month}`} defaults={range} />
            <BackfillPanel key={`backfill-${month}`} defaults={range} />
          </div>
        ) : null}
      </div>
      {detail ? (
        <div className="no-print">
          <DocumentDetail detail={detail} />
        </div>
      ) : null}

      {confirmingClose && r ? (
        <CloseConfirm
          monthName={monthName}
          reconciliation={r}
          note={note}
          money={money}
          onConfirm={onClose}
          onClose={() => setConfirmingClose(false)}
        />
      ) : null}

      {asking ? (
        <ReasonDialog
          testId="month-reason"
          title={
            asking.kind === 'reopen'
              ? t('month.dialogs.reopenTitle', { month: monthName })
              : asking.kind === 'void'
                ? t('month.dialogs.voidTitle', { code: asking.code })
                : t(asking.kind === 'accept' ? 'month.dialogs.acceptTitle' : 'month.dialogs.adjustTitle', {
                    number: asking.reference,
                  })
          }
          confirmLabel={
            asking.kind === 'reopen'
              ? t('month.dialogs.confirmReopen')
              : asking.kind === 'void'
                ? t('month.dialogs.confirmVoid')
                : asking.kind === 'accept'
                  ? t('month.dialogs.confirmAccept')
                  : t('month.dialogs.confirmAdjust')
          }
          onConfirm={decide}
          onClose={() => setAsking(undefined)}
        >
          <p>
            {asking.kind === 'reopen'
              ? t('month.dialogs.reopenBody')
              : asking.kind === 'void'
                ? t('month.dialogs.voidBody')
                : asking.kind === 'accept'
                  ? t('month.dialogs.acceptBody')
                  : t('month.dialogs.adjustBody')}
          </p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}
