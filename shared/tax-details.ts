import type { LedgerDocument } from './domain.js';
import type { Minor } from './money.js';

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
