import { join } from 'node:path';
import { type DocumentSort, type SortColumn, sortRows } from '../../shared/document-view.js';
import type { DocumentRow } from '../../shared/ipc-channels.js';
import { minorToDecimalString, toMinor } from '../../shared/money.js';
import { formatReason } from '../../shared/reason-format.js';
import { asReason, type Reason, reason, reasons } from '../../shared/reasons.js';
import { note } from '../engine/recorder.js';
import type { Store } from '../store/index.js';
import { type Column, type Delimiter, toCsv } from './csv.js';
import { writeNew } from './month-export.js';

const amount = (v: number | null) => (v === null ? '' : minorToDecimalString(toMinor(v)));

/**
 * The grid's columns as CSV columns (the same names as the month's documents file); amount and tax with currency;
 * state and reason in the export's language, each beside its stable code.
 */
const columnsIn = (locale: string): Record<SortColumn, Column<DocumentRow>[]> => ({
  date: [{ header: 'document_date', kind: 'text', value: (r) => r.documentDate }],
  ref: [{ header: 'reference_number', kind: 'text', value: (r) => r.referenceNumber }],
  type: [{ header: 'document_type', kind: 'text', value: (r) => r.documentType }],
  customer: [
    { header: 'customer_number', kind: 'text', value: (r) => r.customerNumber },
    { header: 'customer_name', kind: 'text', value: (r) => r.customerName },
  ],
  country: [{ header: 'country', kind: 'text', value: (r) => r.country }],
  amount: [
    { header: 'currency', kind: 'text', value: (r) => r.currency },
    { header: 'amount', kind: 'number', value: (r) => amount(r.amount) },
  ],
  // No tax yet is an empty cell, never a 0.00 that reads as a zero-rated sale.
  tax: [{ header: 'tax', kind: 'number', value: (r) => amount(r.totalTax) }],
  state: [
    { header: 'state', kind: 'text', value: (r) => formatReason(reason(`state-${r.state}`), locale) },
    { header: 'state_code', kind: 'text', value: (r) => r.state },
  ],
  reason: [
    { header: 'reason', kind: 'text', value: (r) => (r.reason === undefined ? '' : formatReason(r.reason, locale)) },
    { header: 'reason_code', kind: 'text', value: (r) => (r.reason === undefined ? '' : asReason(r.reason).code) },
  ],
});

export interface ViewExport {
  rows: readonly DocumentRow[];
  sort: DocumentSort;
  columns: readonly SortColumn[];
  /** Said in the audit trail: which tab and filters the view had ("states needs-attention, currency SEK"). */
  filters: string;
  /** The language of the file's words (the screens' at export time). */
  locale?: string;
}

/**
 * Writes the Transactions grid as it is shown (its filters, its sort, its columns) to
 * `transactions-<local date>-<time>.csv`, and says so in the audit trail with the number of documents.
 */
export async function exportView(
  store: Store,
  outDir: string,
  delimiter: Delimiter,
  view: ViewExport,
  now: Date,
): Promise<{ documentsFile: string; documentRows: number }> {
  const locale = view.locale ?? 'en';
  const rows = sortRows(view.rows, view.sort, locale);
  const all = columnsIn(locale);
  const columns = [...new Set(view.columns)].flatMap((c) => all[c]);
  const stamp = now.toISOString().slice(0, 19).replace('T', '-').replaceAll(':', '');
  // Two exports in the same second each keep their file: the second is transactions-…-2.csv.
  const documentsFile = writeNew(join(outDir, `transactions-${stamp}.csv`), toCsv(rows, columns, delimiter));
  note(store, {
    runId: 'export',
    actor: 'user',
    action: 'exported',
    detail: reason('view-exported', {
      count: rows.length,
      view: reasons([
        reason('view-sorted', { column: view.sort.column, direction: view.sort.direction }),
        ...(view.filters ? [reason('view-filters', { filters: view.filters })] : []),
      ] satisfies Reason[]),
    }),
  });
  await store.checkpoint();
  return { documentsFile, documentRows: rows.length };
}
