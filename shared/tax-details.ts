import type { LedgerDocument, LineResult } from './domain.js';
import type { Minor } from './money.js';

/**
 * AvaTax's line results grouped per Visma VAT id: what the write-back sends as tax detail lines and what the
 * detail panel shows as "Written to Visma". Positive amounts: a credit note's sign comes from its type.
 */
export function taxByVatId(lines: readonly LineResult[]): { vatId: string; taxable: Minor; vat: Minor }[] {
  const byVat = new Map<string, { vatId: string; taxable: Minor; vat: Minor }>();
  for (const l of lines) {
    if (!l.vatId) continue;
    const t = byVat.get(l.vatId) ?? { vatId: l.vatId, taxable: 0, vat: 0 };
    t.taxable += Math.abs(l.taxableAmount);
    t.vat += Math.abs(l.tax);
    byVat.set(l.vatId, t);
  }
  return [...byVat.values()];
}

/**
 * The tax a document shows: once AvaTax has recorded it (calculated or posted), the VAT Visma booked, which is
 * what AvaTax recorded; before that (pending, flagged, retrying, needs attention) there is no tax yet, which is
 * not a zero.
 */
export function taxMinor(d: Pick<LedgerDocument, 'state' | 'recordedTax' | 'bookedTax'>): Minor | undefined {
  if (d.state === 'posted' || d.state === 'calculated') return d.recordedTax ?? d.bookedTax;
  if (d.state === 'voided') return 0;
  return undefined;
}
