import type { LedgerDocument, VatLine } from '../../shared/domain.js';
import { formatReason } from '../../shared/reason-format.js';
import type { StoredReason } from '../../shared/reasons.js';

/** One VAT id: what Visma booked beside what AvaTax calculated, and how far apart (minor units, booked − calculated). */
export interface VatComparisonRow {
  vatId: string;
  rate?: number;
  booked?: VatLine;
  calculated?: VatLine;
  difference: number;
}

export interface VatComparison {
  rows: VatComparisonRow[];
  bookedTotal?: number;
  calculatedTotal?: number;
  /** Any VAT id whose VAT differs (a missing side counts as zero). */
  differs: boolean;
}

/** Booked and calculated VAT per VAT id, side by side: the VAT ids of either, booked ones first. */
export function compareVat(
  d: Pick<LedgerDocument, 'booked' | 'calculated' | 'bookedTax' | 'calculatedTax'>,
): VatComparison {
  const ids = [...new Set([...(d.booked ?? []).map((v) => v.vatId), ...(d.calculated ?? []).map((v) => v.vatId)])];
  const rows = ids.map((vatId) => {
    const booked = d.booked?.find((v) => v.vatId === vatId);
    const calculated = d.calculated?.find((v) => v.vatId === vatId);
    return {
      vatId,
      rate: booked?.rate ?? calculated?.rate,
      booked,
      calculated,
      difference: (booked?.vat ?? 0) - (calculated?.vat ?? 0),
    };
  });
  const sum = (lines?: VatLine[]) => lines?.reduce((s, v) => s + v.vat, 0);
  const bookedTotal = d.bookedTax ?? sum(d.booked);
  const calculatedTotal = d.calculatedTax ?? sum(d.calculated);
  const both = d.booked !== undefined && d.calculated !== undefined;
  return {
    rows,
    bookedTotal,
    calculatedTotal,
    differs: both && (rows.some((r) => r.difference !== 0) || bookedTotal !== calculatedTotal),
  };
}

/**
 * A variance the user may accept as booked: in needs attention, with both figures known and apart. Not a
 * document changed after its commit: that one only Adjust in AvaTax settles (the engine refuses to accept it).
 */
export function canAccept(d: LedgerDocument): boolean {
  return d.state === 'needs-attention' && compareVat(d).differs && !canAdjust(d);
}

/** Changed in Visma after AvaTax committed it: only then is "Adjust in AvaTax" offered (the reason says so). */
export function canAdjust(d: Pick<LedgerDocument, 'state' | 'reasons'>): boolean {
  return d.state === 'needs-attention' && d.reasons.some(changedAfterCommit);
}

/**
 * The engine's "changed in Visma after … was committed in AvaTax": read from its English words, which hold
 * whether it is stored as text or as a code (the engine's codes are being introduced; the words stay).
 */
export function changedAfterCommit(reason: StoredReason): boolean {
  return /after .* was committed in AvaTax/i.test(formatReason(reason, 'en'));
}

/** One line of AvaTax's result as the detail panel shows it. */
export interface LineRow {
  lineNumber: number;
  amount: number;
  /** AvaTax's rate for the line, and the tax it calculates at that rate. */
  rate: number;
  calculated: number;
  /** What AvaTax records for the line when that is another figure (Visma's VAT, a TaxAmount override). */
  recorded?: number;
  /** Visma's VAT category and VAT id it maps to; undefined when unmapped. */
  vatCode?: string;
}

/**
 * AvaTax's result per line: the rate with the tax AvaTax calculates at it, and apart from them what it records
 * when that is Visma's VAT (an override). A line at 6 % never shows the 25 % Visma booked as its tax.
 */
export function lineRows(d: Pick<LedgerDocument, 'lines'>): LineRow[] {
  return d.lines.map((l) => ({
    lineNumber: l.lineNumber,
    amount: l.amount,
    rate: l.rate,
    calculated: l.taxCalculated,
    ...(l.tax !== l.taxCalculated ? { recorded: l.tax } : {}),
    vatCode: l.vatCategoryId ? `${l.vatCategoryId} / ${l.vatId}` : undefined,
  }));
}
