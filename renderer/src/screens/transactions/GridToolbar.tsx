import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SortColumn } from '../../../../shared/document-view.js';
import type { DocumentRow, ExportOutcome, ReprocessOutcome } from '../../../../shared/ipc-channels.js';

/** A document's outcome: main's, or the message of a call that failed on its way. */
type Outcome = Omit<ReprocessOutcome, 'error'> & { error?: ReprocessOutcome['error'] | string };

import { toMinor } from '../../../../shared/money.js';
import { canDownloadExports, downloadExport } from '../../api.js';
import { AcceptFigures } from '../../components/AcceptFigures.js';
import { ReasonDialog } from '../../components/ReasonDialog.js';
import { describeError, sayProblem } from '../../errors.js';
import { canAcceptRow, canReprocessRow, REQUIRED_COLUMNS, useDocuments } from '../../stores/documents.js';
import { useUi } from '../../stores/ui.js';

/**
 * Above the grid: choose columns, export the view as shown, and the bulk actions on the ticked rows (Reprocess
 * the flagged / failed ones, Accept as booked the variances), each answered per document.
 */
export function GridToolbar({
  rows,
  columns,
  shownColumns,
}: {
  rows: readonly DocumentRow[];
  columns: { id: SortColumn; header: string }[];
  shownColumns: SortColumn[];
}) {
  const { t } = useTranslation();
  const { layout, checked, toggleColumn, setChecked, exportView, reprocess, accept, busy, load } = useDocuments();
  const { toast, locale } = useUi();
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<ExportOutcome>();
  const [asking, setAsking] = useState(false);
  const ticked = rows.filter((r) => checked.includes(r.key));
  const reprocessable = ticked.filter(canReprocessRow);
  const acceptable = ticked.filter(canAcceptRow);

  const report = (action: string, results: Outcome[]) => {
    const list = results
      .map((r) =>
        t('flagged.outcome', {
          number: r.referenceNumber,
          result: r.state ? t(`state.${r.state}`) : sayProblem(t, r.error, locale),
        }),
      )
      .join(', ');
    const failed = results.filter((r) => r.error || !r.state).length;
    // Some done, some not: said as it is, not styled as a failure of them all.
    toast(failed === 0 ? 'success' : failed < results.length ? 'info' : 'error', t('grid.bulkDone', { action, list }));
    return failed;
  };

  const onReprocess = async () => {
    const results = await reprocess(reprocessable.map((r) => r.referenceNumber));
    report(t('grid.reprocessed'), results);
    setChecked([]);
    await load();
  };

  const onAccept = async (reason: string): Promise<string | undefined> => {
    const results: Outcome[] = [];
    for (const r of acceptable) {
      try {
        results.push(...(await accept(r.referenceNumber, reason)));
      } catch (error) {
        results.push({ referenceNumber: r.referenceNumber, error: (error as Error).message });
      }
    }
    const failed = report(t('grid.accepted'), results);
    setChecked([]);
    await load();
    return failed ? t('grid.bulkFailed', { count: failed }) : undefined;
  };

  const onExport = async () => {
    setExporting(true);
    try {
      const out = await exportView(shownColumns);
      if (out.cancelled) toast('info', t('grid.exportCancelled'));
      else if (out.documentsFile && canDownloadExports()) {
        // Browser mode: the file is offered to the browser at once (a path on the app's side means nothing here).
        setExported(out);
        await downloadExport(out.documentsFile);
        toast(
          'success',
          t('grid.exportedDownloaded', {
            documents: t('count.documents', { count: out.documentRows ?? 0 }),
            file: out.documentsFile.split(/[\\/]/).pop() ?? '',
          }),
        );
      } else {
        setExported(out);
        toast(
          'success',
          t('grid.exported', {
            documents: t('count.documents', { count: out.documentRows ?? 0 }),
            file: out.documentsFile ?? '',
          }),
        );
      }
    } catch (error) {
      toast('error', describeError(t, (error as Error).message).text);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="grid-toolbar">
      <details className="column-chooser">
        <summary>{t('grid.columns')}</summary>
        <fieldset>
          <legend className="hint">{t('grid.columnsHint')}</legend>
          {columns.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                // Its own name: the filter bar has a Country and a Customer too.
                aria-label={t('grid.showColumn', { column: c.header })}
                checked={!layout.hidden.includes(c.id)}
                disabled={REQUIRED_COLUMNS.includes(c.id)}
                onChange={() => toggleColumn(c.id)}
              />
              {c.header}
            </label>
          ))}
        </fieldset>
      </details>
      <button
        type="button"
        className="secondary"
        disabled={exporting || rows.length === 0}
        onClick={() => void onExport()}
      >
        {exporting ? t('grid.exporting') : t('grid.export')}
      </button>
      {exported?.documentsFile && canDownloadExports() ? (
        <button
          type="button"
          className="link"
          onClick={() =>
            void downloadExport(exported.documentsFile!).catch((e: Error) =>
              toast('error', describeError(t, e.message).text),
            )
          }
        >
          {t('grid.download')}
        </button>
      ) : null}
      {ticked.length > 0 ? (
        <fieldset className="bulk" aria-label={t('grid.selected', { count: ticked.length })}>
          <span data-testid="bulk-count">{t('grid.selected', { count: ticked.length })}</span>
          <button
            type="button"
            className="primary"
            disabled={busy || reprocessable.length === 0}
            onClick={() => void onReprocess()}
          >
            {t('grid.reprocess', { count: reprocessable.length })}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy || acceptable.length === 0}
            onClick={() => setAsking(true)}
          >
            {t('grid.accept', { count: acceptable.length })}
          </button>
          <button type="button" className="link" onClick={() => setChecked([])}>
            {t('grid.clear')}
          </button>
        </fieldset>
      ) : null}
      {asking ? (
        <ReasonDialog
          testId="bulk-accept-dialog"
          title={t('grid.acceptTitle', { count: acceptable.length })}
          confirmLabel={t('grid.accept', { count: acceptable.length })}
          onConfirm={onAccept}
          onClose={() => setAsking(false)}
        >
          <p>{t('grid.acceptExplain', { numbers: acceptable.map((r) => r.referenceNumber).join(', ') })}</p>
          <AcceptFigures
            caption={t('accept.captionMany')}
            locale={locale}
            lines={acceptable.map((r) => ({
              key: r.key,
              label: r.referenceNumber,
              currency: r.currency,
              booked: r.bookedTax === null ? undefined : toMinor(r.bookedTax),
              calculated: r.calculatedTax === null ? undefined : toMinor(r.calculatedTax),
            }))}
          />
        </ReasonDialog>
      ) : null}
    </div>
  );
}
