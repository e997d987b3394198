import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DOCUMENT_TYPE_LABELS } from '../../shared/document-code.js';
import type { AuditEntry, LedgerDocument, VatLine } from '../../shared/domain.js';
import { type Minor, minorToDecimalString, toBase } from '../../shared/money.js';
import { isMonth } from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';
import { asReason, reason, type StoredReason } from '../../shared/reasons.js';
import { taxMinor } from '../../shared/tax-details.js';
import { note } from '../engine/recorder.js';
import { type ChainedAuditEntry, type Store, WriteFailedError } from '../store/index.js';
import { type Column, csvChunks, type Delimiter, excelTime } from './csv.js';

/** Column names are a contract (README, "Month-end CSV"): add at the end, never rename. */
export function auditColumns(locale = 'en'): Column<ChainedAuditEntry>[] {
  return [
    { header: 'timestamp_utc', kind: 'text', value: (e) => excelTime(e.at) },
    { header: 'run_id', kind: 'text', value: (e) => e.runId },
    { header: 'actor', kind: 'text', value: (e) => e.actor },
    { header: 'action', kind: 'text', value: (e) => e.action },
    { header: 'document_type', kind: 'text', value: (e) => e.documentKey?.split(':')[0] },
    { header: 'reference_number', kind: 'text', value: (e) => e.referenceNumber },
    { header: 'detail', kind: 'text', value: (e) => formatReason(e.detail, locale) },
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
    // Added with reason codes (issue 17): who did it, as the Audit screen names them, and the detail's code.
    { header: 'by', kind: 'text', value: (e) => byOf(e) },
    { header: 'detail_code', kind: 'text', value: (e) => codeOf(e.detail) },
  ];
}

/** The columns in English (their headers are the same in every language). */
export const AUDIT_COLUMNS = auditColumns();

/** Who, as the screens name them: the person's name; before names were kept, the schedule or the command line. */
function byOf(e: ChainedAuditEntry): string {
  const by = (e as ChainedAuditEntry & { by?: string }).by;
  if (by) return by;
  return e.actor === 'scheduler' ? 'schedule' : e.actor === 'cli' ? 'command line' : '';
}

/** A reason's stable code (`text` for an English text stored before codes). */
function codeOf(r: StoredReason): string {
  return asReason(r).code;
}

/**
 * One row per document and VAT id (so a pivot by VAT id works); a document without VAT lines gets one row.
 * The first columns are the document's and repeat on each of its rows; the VAT id's own figures follow.
 */
export interface DocumentVatRow {
  d: LedgerDocument;
  vatId?: string;
  booked?: VatLine;
  calculated?: VatLine;
}

export function documentVatRows(d: LedgerDocument): DocumentVatRow[] {
  const ids = [...new Set([...(d.booked ?? []), ...(d.calculated ?? [])].map((v) => v.vatId))].sort();
  if (ids.length === 0) return [{ d }];
  return ids.map((vatId) => ({
    d,
    vatId,
    booked: d.booked?.find((v) => v.vatId === vatId),
    calculated: d.calculated?.find((v) => v.vatId === vatId),
  }));
}

/**
 * The books' figures for the VAT id: Visma's taxable amount and VAT (zero under a VAT id only AvaTax's
 * calculation uses, so a pivot never counts a sale twice); the document's own when it has no VAT lines.
 */
function figures(r: DocumentVatRow): { net?: Minor; vat?: Minor } {
  if (!r.vatId) return { net: r.d.netAmount, vat: r.d.bookedTax };
  if (r.d.booked) return { net: r.booked?.taxable ?? 0, vat: r.booked?.vat ?? 0 };
  return { net: r.calculated?.taxable };
}

const bookedVat = (r: DocumentVatRow) => (r.vatId ? (r.booked?.vat ?? (r.d.booked ? 0 : undefined)) : r.d.bookedTax);
const calculatedVat = (r: DocumentVatRow) =>
  r.vatId ? (r.calculated?.vat ?? (r.d.calculated ? 0 : undefined)) : r.d.calculatedTax;
const base = (r: DocumentVatRow, m: Minor | undefined) =>
  m === undefined || r.d.exchangeRate === undefined ? undefined : money(toBase(m, r.d.exchangeRate));
const gross = (f: { net?: Minor; vat?: Minor }) =>
  f.net === undefined || f.vat === undefined ? undefined : f.net + f.vat;

export function documentColumns(locale = 'en'): Column<DocumentVatRow>[] {
  return [
    {
      header: 'document_type',
      kind: 'text',
      value: ({ d }) => DOCUMENT_TYPE_LABELS[d.documentType] ?? '',
    },
    { header: 'reference_number', kind: 'text', value: ({ d }) => d.referenceNumber },
    { header: 'customer_number', kind: 'text', value: ({ d }) => d.customerNumber },
    { header: 'customer_name', kind: 'text', value: ({ d }) => d.customerName },
    { header: 'document_date', kind: 'text', value: ({ d }) => d.documentDate },
    { header: 'currency', kind: 'text', value: ({ d }) => d.currency },
    { header: 'amount', kind: 'number', value: ({ d }) => minorToDecimalString(d.amount) },
    { header: 'tax', kind: 'number', value: ({ d }) => money(taxMinor(d)) },
    {
      header: 'rates',
      kind: 'text',
      value: ({ d }) => [...new Set(d.lines.map((l) => `${Math.round(l.rate * 1_000_000) / 10_000}%`))].join(' '),
    },
    {
      header: 'vat_codes',
      kind: 'text',
      value: ({ d }) => [...new Set(d.lines.map((l) => l.vatCategoryId).filter(Boolean))].join(' '),
    },
    { header: 'avatax_code', kind: 'text', value: ({ d }) => d.avataxCode },
    { header: 'avatax_status', kind: 'text', value: ({ d }) => d.avataxStatus },
    { header: 'state', kind: 'text', value: ({ d }) => formatReason(reason(`state-${d.state}`), locale) },
    { header: 'first_processed_utc', kind: 'text', value: ({ d }) => excelTime(d.firstProcessedAt) },
    { header: 'last_processed_utc', kind: 'text', value: ({ d }) => excelTime(d.lastProcessedAt) },
    {
      header: 'errors',
      kind: 'text',
      value: ({ d }) => [...d.reasons.map((r) => formatReason(r, locale)), lastErrorOf(d)].filter(Boolean).join(' | '),
    },
    // Added for month-end (README, "Month-end CSV"): always after the columns above.
    { header: 'customer_vat_number', kind: 'text', value: ({ d }) => d.vatNumber },
    { header: 'ship_to_country', kind: 'text', value: ({ d }) => d.country },
    { header: 'vat_id', kind: 'text', value: (r) => r.vatId },
    { header: 'vat_rate', kind: 'number', value: (r) => r.booked?.rate ?? r.calculated?.rate },
    { header: 'net', kind: 'number', value: (r) => money(figures(r).net) },
    { header: 'vat', kind: 'number', value: (r) => money(figures(r).vat) },
    { header: 'gross', kind: 'number', value: (r) => money(gross(figures(r))) },
    { header: 'exchange_rate', kind: 'number', value: ({ d }) => d.exchangeRate },
    { header: 'net_base', kind: 'number', value: (r) => base(r, figures(r).net) },
    { header: 'vat_base', kind: 'number', value: (r) => base(r, figures(r).vat) },
    { header: 'gross_base', kind: 'number', value: (r) => base(r, gross(figures(r))) },
    { header: 'booked_vat', kind: 'number', value: (r) => money(bookedVat(r)) },
    { header: 'calculated_vat', kind: 'number', value: (r) => money(calculatedVat(r)) },
    {
      header: 'variance',
      kind: 'number',
      value: (r) => {
        const b = bookedVat(r);
        const c = calculatedVat(r);
        return b === undefined || c === undefined ? undefined : money(b - c);
      },
    },
    // Added with reason codes (issue 17): the state and the reasons as codes, beside their words above.
    { header: 'state_code', kind: 'text', value: ({ d }) => d.state },
    { header: 'error_codes', kind: 'text', value: ({ d }) => d.reasons.map(codeOf).join(' | ') },
  ];
}

/** The columns in English (their headers are the same in every language). */
export const DOCUMENT_COLUMNS = documentColumns();

/** The last error, when the reasons do not already say it. */
function lastErrorOf(d: LedgerDocument): string {
  const message = d.lastError?.message;
  return message && !d.reasons.some((r) => r === message) ? message : '';
}

export interface ExportResult {
  auditFile: string;
  documentsFile: string;
  auditRows: number;
  /** Documents in the month, and the rows they take in the documents CSV (one per VAT id). */
  documentRows: number;
  documentLines: number;
}

/** Writes `audit-YYYY-MM.csv` (one row per audit entry) and `documents-YYYY-MM.csv` (one row per document). */
export async function exportMonth(
  store: Store,
  month: string,
  outDir: string,
  delimiter: Delimiter,
  audit: Pick<AuditEntry, 'runId' | 'actor'>,
  locale = 'en',
): Promise<ExportResult> {
  if (!isMonth(month)) throw new RangeError(`Month must look like 2026-11, not "${month}"`);
  await store.checkpoint();
  const auditFile = join(outDir, `audit-${month}.csv`);
  const documentsFile = join(outDir, `documents-${month}.csv`);
  // One file after the other, each written as it is made: the month's audit entries are let go before its
  // documents are read, and neither CSV is ever held whole (a month of 50,000 documents).
  const auditRows = await writeAuditCsv(store, month, auditFile, delimiter, locale);
  const documents = (await store.ledger.inMonth(month)).sort(
    (a, b) => a.documentDate.localeCompare(b.documentDate) || a.referenceNumber.localeCompare(b.referenceNumber),
  );
  let documentLines = 0;
  function* rows() {
    for (const doc of documents)
      for (const row of documentVatRows(doc)) {
        documentLines++;
        yield row;
      }
  }
  writeWhole(documentsFile, csvChunks(rows(), documentColumns(locale), delimiter));
  note(store, {
    ...audit,
    action: 'exported',
    detail: reason('month-exported', { month, entries: auditRows, documents: documents.length }),
  });
  await store.checkpoint();
  return { auditFile, documentsFile, auditRows, documentRows: documents.length, documentLines };
}

async function writeAuditCsv(
  store: Store,
  month: string,
  file: string,
  delimiter: Delimiter,
  locale: string,
): Promise<number> {
  const entries = await store.audit.entries(month);
  writeWhole(file, csvChunks(entries, auditColumns(locale), delimiter));
  return entries.length;
}

/**
 * A CSV is written whole or not at all: a temp file beside it, then a rename. A full disk leaves neither a
 * half-written CSV (which would look like a complete month) nor a temp file, and says which file.
 */
export function writeWhole(file: string, content: string | Iterable<string>): void {
  writeTemp(file, content, (tmp) => renameSync(tmp, file));
}

/**
 * Like writeWhole, but never replaces a file that is there: the first free name of `name.csv`, `name-2.csv`,
 * `name-3.csv`… is taken (a hard link, which fails rather than overwrite), and returned. Two exports of the same
 * second keep both files.
 */
export function writeNew(file: string, content: string | Iterable<string>): string {
  const ext = extname(file);
  const stem = file.slice(0, file.length - ext.length);
  let taken = file;
  writeTemp(file, content, (tmp) => {
    for (let n = 1; ; n++) {
      taken = n === 1 ? file : `${stem}-${n}${ext}`;
      try {
        linkSync(tmp, taken);
        rmSync(tmp, { force: true });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error;
      }
    }
  });
  return taken;
}

/** Writes the content to a temp file beside `file`, then `place`s it; on any failure no temp file is left. */
function writeTemp(file: string, content: string | Iterable<string>, place: (tmp: string) => void): void {
  const chunks = typeof content === 'string' ? [content] : content;
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(tmp, 'w');
    for (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    }
    closeSync(fd);
    fd = undefined;
    place(tmp);
  } catch (error) {
    // The write's own error is the one to tell; a close that fails as well changes nothing about it.
    if (fd !== undefined) closeQuietly(fd);
    rmSync(tmp, { force: true });
    throw new WriteFailedError(file, error);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already failing
  }
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** An amount, or an empty cell when there is none yet (never a zero that reads as a zero-rated sale). */
function money(m: number | undefined): string {
  return m === undefined ? '' : minorToDecimalString(m);
}
