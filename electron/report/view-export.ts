import { join } from 'node:path';
import { type DocumentSort, type SortColumn, sortRows } from '../../shared/document-view.js';
import { STATE_LABELS } from '../../shared/domain.js';
import type { DocumentRow } from '../../shared/ipc-channels.js';
import { minorToDecimalString, toMinor } from '../../shared/money.js';
import type { Store } from '../store/index.js';
import { type Column, type Delimiter, toCsv } from './csv.js';
import { writeNew } from './month-export.js';

const amount = (v: number | null) => (v === null ? '' : minorToDecimalString(toMinor(v)));

/** The grid's columns as CSV columns (the same names as the month's documents file); amount and tax with currency. */
const COLUMNS: Record<SortColumn, Column<DocumentRow>[]> = {
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
  state: [{ header: 'state', kind: 'text', value: (r) => STATE_LABELS[r.state] }],
  reason: [{ header: 'reason', kind: 'text', value: (r) => r.reason }],
};

export interface ViewExport {
  rows: readonly DocumentRow[];
  sort: DocumentSort;
  columns: readonly SortColumn[];
  /** Said in the audit trail: which tab and filters the view had. */
  described: string;
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
  const rows = sortRows(view.rows, view.sort);
  const columns = [...new Set(view.columns)].flatMap((c) => COLUMNS[c]);
  const stamp = now.toISOString().slice(0, 19).replace('T', '-').replaceAll(':', '');
  // Two exports in the same second each keep their file: the second is transactions-…-2.csv.
  const documentsFile = writeNew(join(outDir, `transactions-${stamp}.csv`), toCsv(rows, columns, delimiter));
  await store.audit.append({
    runId: 'export',
    actor: 'user',
    action: 'exported',
    detail: `Transactions view exported: ${rows.length} document${rows.length === 1 ? '' : 's'} (${view.described})`,
  });
  await store.checkpoint();
  return { documentsFile, documentRows: rows.length };
}
