import { join } from 'node:path';
import { DOCUMENT_TYPE_LABELS } from '../../shared/document-code.js';
import { type Minor, minorToDecimalString } from '../../shared/money.js';
import {
  BLOCKING_BUCKETS,
  BUCKET_LABELS,
  type MonthTotal,
  type ReconciledDocument,
  type Reconciliation,
  type SupplyAmounts,
  type VatReturn,
} from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';
import { reason } from '../../shared/reasons.js';
import type { VatReport } from '../month/vat-report.js';
import { type Column, csvChunks, type Delimiter, excelTime } from './csv.js';
import { writeWhole } from './month-export.js';

/**
 * The month-end files, written by the same rules as the audit export (UTF-8 with BOM, formula-safe cells,
 * numbers as numbers, `;` with a decimal comma for Nordic and German Excel), each whole or not at all (a temp file
 * beside it, then a rename: a full disk leaves no half file and the error names the file). Column names are a
 * contract: new ones go at the end. Words (why, descriptions) are in the export's language, with a stable
 * `*_code` column beside them. Every variance is Visma − AvaTax.
 */
const money = (m: Minor | undefined) => (m === undefined ? undefined : minorToDecimalString(m));

export function reconciliationColumns(locale: string): Column<ReconciledDocument>[] {
  return [
    { header: 'bucket', kind: 'text', value: (d) => BUCKET_LABELS[d.bucket] },
    { header: 'blocks_close', kind: 'text', value: (d) => (BLOCKING_BUCKETS.includes(d.bucket) ? 'yes' : 'no') },
    {
      header: 'document_type',
      kind: 'text',
      value: (d) => (d.documentType ? (DOCUMENT_TYPE_LABELS[d.documentType] ?? '') : ''),
    },
    { header: 'reference_number', kind: 'text', value: (d) => d.referenceNumber },
    { header: 'avatax_code', kind: 'text', value: (d) => d.code },
    { header: 'customer_number', kind: 'text', value: (d) => d.customerNumber },
    { header: 'customer_name', kind: 'text', value: (d) => d.customerName },
    { header: 'ship_to_country', kind: 'text', value: (d) => d.country },
    { header: 'customer_vat_number', kind: 'text', value: (d) => d.vatNumber },
    { header: 'visma_date', kind: 'text', value: (d) => d.visma?.date },
    { header: 'avatax_date', kind: 'text', value: (d) => d.avatax?.date },
    { header: 'currency', kind: 'text', value: (d) => d.visma?.currency ?? d.avatax?.currency },
    { header: 'exchange_rate', kind: 'number', value: (d) => d.exchangeRate },
    { header: 'visma_status', kind: 'text', value: (d) => d.visma?.status },
    { header: 'avatax_status', kind: 'text', value: (d) => d.avatax?.status },
    { header: 'visma_net', kind: 'number', value: (d) => money(d.visma?.net) },
    { header: 'visma_vat', kind: 'number', value: (d) => money(d.visma?.vat) },
    { header: 'avatax_net', kind: 'number', value: (d) => money(d.avatax?.net) },
    { header: 'avatax_vat', kind: 'number', value: (d) => money(d.avatax?.vat) },
    { header: 'avatax_calculated_vat', kind: 'number', value: (d) => money(d.avatax?.calculatedVat ?? d.avatax?.vat) },
    { header: 'vat_difference', kind: 'number', value: (d) => money(d.variance.difference) },
    { header: 'visma_vat_base', kind: 'number', value: (d) => money(d.visma?.vatBase) },
    { header: 'avatax_vat_base', kind: 'number', value: (d) => money(d.avatax?.vatBase) },
    { header: 'vat_difference_base', kind: 'number', value: (d) => money(d.variance.differenceBase) },
    { header: 'differences', kind: 'text', value: (d) => d.differences.join(' ') },
    { header: 'why', kind: 'text', value: (d) => d.why.map((w) => formatReason(w, locale)).join(' | ') },
    { header: 'actions', kind: 'text', value: (d) => d.actions.join(' ') },
    { header: 'ledger_state', kind: 'text', value: (d) => d.state },
    { header: 'accepted_reason', kind: 'text', value: (d) => d.acceptance?.reason },
    { header: 'accepted_by', kind: 'text', value: (d) => d.acceptance?.by },
    { header: 'accepted_utc', kind: 'text', value: (d) => excelTime(d.acceptance?.at) },
    // Added for issue 15, after the columns above.
    { header: 'why_code', kind: 'text', value: (d) => d.why.map((w) => w.code).join(' ') },
    { header: 'variance_against', kind: 'text', value: (d) => d.variance.avataxFigure },
    { header: 'visma_in_month', kind: 'text', value: (d) => yesNo(d.visma?.inMonth) },
    { header: 'avatax_in_month', kind: 'text', value: (d) => yesNo(d.avatax?.inMonth) },
    { header: 'avatax_exchange_rate', kind: 'number', value: (d) => d.avatax?.exchangeRate },
  ];
}

const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');

/** The English columns (the contract's names and order; tests and the README read them). */
export const RECONCILIATION_COLUMNS = reconciliationColumns('en');

export const TOTALS_COLUMNS: Column<MonthTotal>[] = [
  { header: 'ship_to_country', kind: 'text', value: (t) => t.country },
  { header: 'vat_id', kind: 'text', value: (t) => t.vatId },
  { header: 'vat_rate', kind: 'number', value: (t) => t.rate },
  { header: 'currency', kind: 'text', value: (t) => t.currency },
  { header: 'documents', kind: 'number', value: (t) => t.documents },
  { header: 'visma_taxable', kind: 'number', value: (t) => money(t.visma.taxable) },
  { header: 'visma_vat', kind: 'number', value: (t) => money(t.visma.vat) },
  { header: 'avatax_taxable', kind: 'number', value: (t) => money(t.avatax.taxable) },
  { header: 'avatax_vat', kind: 'number', value: (t) => money(t.avatax.vat) },
  { header: 'vat_difference', kind: 'number', value: (t) => money(t.visma.vat - t.avatax.vat) },
  { header: 'visma_taxable_base', kind: 'number', value: (t) => money(t.visma.taxableBase) },
  { header: 'visma_vat_base', kind: 'number', value: (t) => money(t.visma.vatBase) },
  { header: 'avatax_taxable_base', kind: 'number', value: (t) => money(t.avatax.taxableBase) },
  { header: 'avatax_vat_base', kind: 'number', value: (t) => money(t.avatax.vatBase) },
  { header: 'vat_difference_base', kind: 'number', value: (t) => money(t.visma.vatBase - t.avatax.vatBase) },
];

export interface WrittenFile {
  file: string;
  rows: number;
}

export function writeReconciliation(
  r: Reconciliation,
  outDir: string,
  delimiter: Delimiter,
  locale = 'en',
): WrittenFile[] {
  const documents = join(outDir, `reconciliation-${r.month}.csv`);
  const totals = join(outDir, `reconciliation-totals-${r.month}.csv`);
  writeWhole(documents, csvChunks(r.documents, reconciliationColumns(locale), delimiter));
  writeWhole(totals, csvChunks(r.totals, TOTALS_COLUMNS, delimiter));
  return [
    { file: documents, rows: r.documents.length },
    { file: totals, rows: r.totals.length },
  ];
}

type Row = Record<string, string | number | undefined>;
const cols = (spec: [string, 'text' | 'number'][]): Column<Row>[] =>
  spec.map(([header, kind]) => ({ header, kind, value: (r) => r[header] }));

/**
 * The VAT report: by VAT id, by country, by kind of supply, the EU sales list, and what each return is filed from
 * (`vat-return-YYYY-MM.csv`: domestic VAT per VAT id, OSS per country, intra-EU B2B and exports, each with its
 * own total, never one sum), each a file.
 */
export function writeVatReport(report: VatReport, outDir: string, delimiter: Delimiter, locale = 'en'): WrittenFile[] {
  const m = report.month;
  const amounts = (a: { taxable: Minor; vat: Minor; documents: number }) => ({
    taxable_base: money(a.taxable),
    vat_base: money(a.vat),
    documents: a.documents,
  });
  const files: [string, Column<Row>[], Row[]][] = [
    [
      `vat-by-vat-id-${m}.csv`,
      cols([
        ['vat_id', 'text'],
        ['description', 'text'],
        ['vat_rate', 'number'],
        ['taxable_base', 'number'],
        ['vat_base', 'number'],
        ['documents', 'number'],
      ]),
      report.byVatId.map((v) => ({ vat_id: v.vatId, description: v.description, vat_rate: v.rate, ...amounts(v) })),
    ],
    [
      `vat-by-country-${m}.csv`,
      cols([
        ['ship_to_country', 'text'],
        ['taxable_base', 'number'],
        ['vat_base', 'number'],
        ['documents', 'number'],
      ]),
      report.byCountry.map((c) => ({ ship_to_country: c.country, ...amounts(c) })),
    ],
    [
      `vat-by-supply-${m}.csv`,
      cols([
        ['supply', 'text'],
        ['description', 'text'],
        ['destination_country', 'text'],
        ['taxable_base', 'number'],
        ['vat_base', 'number'],
        ['documents', 'number'],
        ['description_code', 'text'],
      ]),
      report.bySupply.map((s) => ({
        supply: s.kind,
        description: formatReason(s.label, locale),
        destination_country: s.country,
        ...amounts(s),
        description_code: s.label.code,
      })),
    ],
    [
      `eu-sales-list-${m}.csv`,
      cols([
        ['customer_vat_number', 'text'],
        ['country', 'text'],
        ['customer_number', 'text'],
        ['customer_name', 'text'],
        ['amount_base', 'number'],
        ['documents', 'number'],
      ]),
      report.euSalesList.map((e) => ({
        customer_vat_number: e.vatNumber,
        country: e.country,
        customer_number: e.customerNumber,
        customer_name: e.customerName,
        amount_base: money(e.taxable),
        documents: e.documents,
      })),
    ],
    [
      `vat-return-${m}.csv`,
      cols([
        ['return', 'text'],
        ['line', 'text'],
        ['vat_id', 'text'],
        ['vat_rate', 'number'],
        ['country', 'text'],
        ['taxable_base', 'number'],
        ['vat_base', 'number'],
        ['documents', 'number'],
        ['description', 'text'],
        ['description_code', 'text'],
      ]),
      returnRows(report.vatReturn, locale).map(({ amounts: a, ...r }) => ({ ...r, ...amounts(a) })),
    ],
  ];
  return files.map(([name, columns, rows]) => {
    const file = join(outDir, name);
    writeWhole(file, csvChunks(rows, columns, delimiter));
    return { file, rows: rows.length };
  });
}

/** One line of the return file: a VAT id or a country of one return, or that return's total. */
interface ReturnRow {
  return: string;
  line: 'vat-id' | 'country' | 'total';
  vat_id?: string;
  vat_rate?: number;
  country?: string;
  amounts: SupplyAmounts;
  description: string;
  description_code: string;
}

/** The return figures, apart: each return's lines, then its total. */
export function returnRows(vr: VatReturn, locale: string): ReturnRow[] {
  const rows: ReturnRow[] = [];
  const words = (code: string) => ({ description: formatReason(reason(code), locale), description_code: code });
  for (const l of vr.domestic.byVatId)
    rows.push({
      return: 'domestic',
      line: 'vat-id',
      vat_id: l.vatId,
      vat_rate: l.rate,
      amounts: l,
      ...words('supply-domestic'),
    });
  rows.push({ return: 'domestic', line: 'total', amounts: vr.domestic, ...words('supply-domestic') });
  for (const [name, group] of [
    ['oss', vr.oss],
    ['intra-eu-b2b', vr.intraEuB2b],
    ['export', vr.exports],
  ] as const) {
    for (const c of group.byCountry)
      rows.push({ return: name, line: 'country', country: c.country, amounts: c, ...words(`supply-${name}`) });
    rows.push({ return: name, line: 'total', amounts: group, ...words(`supply-${name}`) });
  }
  if (vr.unknown.documents > 0)
    rows.push({ return: 'unknown', line: 'total', amounts: vr.unknown, ...words('supply-unknown') });
  return rows;
}
