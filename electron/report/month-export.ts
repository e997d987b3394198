import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditEntry, type LedgerDocument, STATE_LABELS } from '../../shared/domain.js';
import { minorToDecimalString } from '../../shared/money.js';
import { taxMinor } from '../../shared/tax-details.js';
import type { ChainedAuditEntry, Store } from '../store/index.js';
import { type Column, type Delimiter, toCsv } from './csv.js';

/** Column names are a contract (README, "Month-end CSV"): add at the end, never rename. */
export const AUDIT_COLUMNS: Column<ChainedAuditEntry>[] = [
  { header: 'timestamp_utc', kind: 'text', value: (e) => e.at },
  { header: 'run_id', kind: 'text', value: (e) => e.runId },
  { header: 'actor', kind: 'text', value: (e) => e.actor },
  { header: 'action', kind: 'text', value: (e) => e.action },
  { header: 'document_type', kind: 'text', value: (e) => e.documentKey?.split(':')[0] },
  { header: 'reference_number', kind: 'text', value: (e) => e.referenceNumber },
  { header: 'detail', kind: 'text', value: (e) => e.detail },
  { header: 'avatax_code', kind: 'text', value: (e) => str(e.data?.avataxCode) },
  { header: 'state', kind: 'text', value: (e) => str(e.data?.state) },
  { header: 'currency', kind: 'text', value: (e) => str(e.data?.currency) },
  { header: 'amount', kind: 'number', value: (e) => str(e.data?.amount) },
  { header: 'tax', kind: 'number', value: (e) => str(e.data?.bookedTax ?? e.data?.totalTax) },
  { header: 'rates', kind: 'text', value: (e) => str(e.data?.rates) },
  { header: 'vat_codes', kind: 'text', value: (e) => str(e.data?.vatCodes) },
  { header: 'error_code', kind: 'text', value: (e) => str(e.data?.code) },
  { header: 'correlation_id', kind: 'text', value: (e) => str(e.data?.correlationId) },
  { header: 'entry_hash', kind: 'text', value: (e) => e.hash },
];

export const DOCUMENT_COLUMNS: Column<LedgerDocument>[] = [
  { header: 'document_type', kind: 'text', value: (d) => (d.documentType === 'invoice' ? 'Invoice' : 'Credit note') },
  { header: 'reference_number', kind: 'text', value: (d) => d.referenceNumber },
  { header: 'customer_number', kind: 'text', value: (d) => d.customerNumber },
  { header: 'customer_name', kind: 'text', value: (d) => d.customerName },
  { header: 'document_date', kind: 'text', value: (d) => d.documentDate },
  { header: 'currency', kind: 'text', value: (d) => d.currency },
  { header: 'amount', kind: 'number', value: (d) => minorToDecimalString(d.amount) },
  { header: 'tax', kind: 'number', value: (d) => money(taxMinor(d)) },
  {
    header: 'rates',
    kind: 'text',
    value: (d) => [...new Set(d.lines.map((l) => `${Math.round(l.rate * 1_000_000) / 10_000}%`))].join(' '),
  },
  {
    header: 'vat_codes',
    kind: 'text',
    value: (d) => [...new Set(d.lines.map((l) => l.vatCategoryId).filter(Boolean))].join(' '),
  },
  { header: 'avatax_code', kind: 'text', value: (d) => d.avataxCode },
  { header: 'avatax_status', kind: 'text', value: (d) => d.avataxStatus },
  { header: 'state', kind: 'text', value: (d) => STATE_LABELS[d.state] },
  { header: 'first_processed_utc', kind: 'text', value: (d) => d.firstProcessedAt },
  { header: 'last_processed_utc', kind: 'text', value: (d) => d.lastProcessedAt },
  {
    header: 'errors',
    kind: 'text',
    value: (d) =>
      [...d.reasons, d.lastError && !d.reasons.includes(d.lastError.message) ? d.lastError.message : '']
        .filter(Boolean)
        .join(' | '),
  },
];

export interface ExportResult {
  auditFile: string;
  documentsFile: string;
  auditRows: number;
  documentRows: number;
}

export function isMonth(month: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
}

/** Writes `audit-YYYY-MM.csv` (one row per audit entry) and `documents-YYYY-MM.csv` (one row per document). */
export async function exportMonth(
  store: Store,
  month: string,
  outDir: string,
  delimiter: Delimiter,
  audit: Pick<AuditEntry, 'runId' | 'actor'>,
): Promise<ExportResult> {
  if (!isMonth(month)) throw new RangeError(`Month must look like 2026-11, not "${month}"`);
  await store.checkpoint();
  const entries = await store.audit.entries(month);
  const documents = (await store.ledger.inMonth(month)).sort(
    (a, b) => a.documentDate.localeCompare(b.documentDate) || a.referenceNumber.localeCompare(b.referenceNumber),
  );
  mkdirSync(outDir, { recursive: true });
  const auditFile = join(outDir, `audit-${month}.csv`);
  const documentsFile = join(outDir, `documents-${month}.csv`);
  writeFileSync(auditFile, toCsv(entries, AUDIT_COLUMNS, delimiter));
  writeFileSync(documentsFile, toCsv(documents, DOCUMENT_COLUMNS, delimiter));
  await store.audit.append({
    ...audit,
    action: 'exported',
    detail: `Month ${month} exported: ${entries.length} audit entries, ${documents.length} documents`,
  });
  await store.checkpoint();
  return { auditFile, documentsFile, auditRows: entries.length, documentRows: documents.length };
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** An amount, or an empty cell when there is none yet (never a zero that reads as a zero-rated sale). */
function money(m: number | undefined): string {
  return m === undefined ? '' : minorToDecimalString(m);
}
