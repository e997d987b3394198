import type { LineResult } from '../../shared/domain.js';
import { fromMinor, rateKey, toMinor } from '../../shared/money.js';
import type { VatMappingRow } from '../../shared/settings.js';
import { taxByVatId } from '../../shared/tax-details.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { DocumentWriteBack } from '../connectors/visma/client.js';

export interface MappedResult {
  lines: LineResult[];
  totalTax: number;
  problems: string[];
}

/**
 * Maps AvaTax's per-line result to Visma VAT codes by line number: the line's rate (sum of the rates of the
 * details that carry tax, or of all details on a zero-rated line) and the ship-to country pick a mapping row
 * (country + rate → vatCategoryId, vatId; a row without a rate matches every rate of its country).
 * The ship-to country, not the jurisdiction's: a Swedish 0 % line is an EU sale to Denmark or an export to
 * Norway, which Visma reports in different boxes. An unmapped rate is a problem, never a guess.
 * AvaTax's amounts are used as they are.
 */
export function mapTransaction(tx: TransactionModel, mapping: VatMappingRow[], shipToCountry: string): MappedResult {
  const problems: string[] = [];
  const lines: LineResult[] = (tx.lines ?? []).map((l) => {
    const details = l.details ?? [];
    const taxed = details.filter((d) => (d.tax ?? 0) !== 0);
    const rate = (taxed.length > 0 ? taxed : details).reduce((s, d) => s + (d.rate ?? 0), 0);
    const country = shipToCountry.toUpperCase();
    const row =
      mapping.find((m) => m.country === country && m.rate !== undefined && rateKey(m.rate) === rateKey(rate)) ??
      mapping.find((m) => m.country === country && m.rate === undefined);
    if (!row)
      problems.push(
        `No VAT mapping for ${country} at ${formatRate(rate)} (line ${l.lineNumber}): add it under Settings → VAT mapping`,
      );
    return {
      lineNumber: Number(l.lineNumber),
      amount: toMinor(l.lineAmount ?? 0),
      taxableAmount: toMinor(l.taxableAmount ?? 0),
      tax: toMinor(l.tax ?? 0),
      rate: Math.round(rate * 1_000_000) / 1_000_000,
      country,
      vatCategoryId: row?.vatCategoryId,
      vatId: row?.vatId,
      taxCode: l.taxCode ?? undefined,
    };
  });
  const totalTax = toMinor(tx.totalTax ?? 0);
  const sum = lines.reduce((s, l) => s + l.tax, 0);
  if (sum !== totalTax)
    problems.push(`AvaTax's line taxes (${sum / 100}) do not add up to its total tax (${totalTax / 100})`);
  return { lines, totalTax, problems };
}

export function formatRate(rate: number): string {
  return `${Math.round(rate * 1_000_000) / 10_000} %`;
}

/**
 * The Visma write-back: each line's VAT category, the tax detail lines per VAT id (their vatAmounts add up to
 * AvaTax's totalTax; positive on credit notes, whose sign comes from the document type) and a note.
 */
export function writeBackFor(lines: LineResult[], note: string): DocumentWriteBack {
  return {
    lines: lines.map((l) => ({ lineNumber: l.lineNumber, vatCodeId: l.vatCategoryId! })),
    taxDetails: taxByVatId(lines).map((t) => ({
      taxId: t.vatId,
      taxableAmount: fromMinor(t.taxable),
      vatAmount: fromMinor(t.vat),
    })),
    note,
  };
}

/** True when Visma already holds exactly this write-back (after a crash, or a run that stopped half way). */
export function alreadyWrittenBack(
  doc: {
    lines: { lineNumber: number; vatCode?: { id?: string | null } | null }[];
    taxDetails: { taxId?: string | null; vatAmount?: number | null; taxableAmount?: number | null }[];
    note?: string;
  },
  change: DocumentWriteBack,
): boolean {
  const vatOf = new Map(doc.lines.map((l) => [l.lineNumber, l.vatCode?.id ?? null]));
  if (change.lines.some((l) => vatOf.get(l.lineNumber) !== l.vatCodeId)) return false;
  const key = (t: { taxId?: string | null; vatAmount?: number | null; taxableAmount?: number | null }) =>
    `${t.taxId}|${toMinor(t.vatAmount ?? 0)}|${toMinor(t.taxableAmount ?? 0)}`;
  const theirs = doc.taxDetails.map(key).sort();
  const ours = change.taxDetails.map(key).sort();
  return JSON.stringify(theirs) === JSON.stringify(ours) && (doc.note ?? '') === change.note;
}
