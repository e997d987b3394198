import type { LineResult, VatLine } from '../../shared/domain.js';
import type { Minor } from '../../shared/money.js';
import type { VatBook } from './vat-book.js';
import type { ReadableDocument } from './visma-document.js';

/**
 * Spreads the VAT Visma booked per VAT id over the document's lines, for AvaTax's line-level TaxAmount
 * overrides: each VAT id's amount goes to the lines Visma taxed with it (their category ∩ the zone), else to the
 * lines AvaTax's result maps to it, else to every line, in proportion to the line amounts, exact to the minor
 * unit (largest remainder). Signed as sales, like everything the engine sends AvaTax.
 */
export function allocateBooked(
  doc: Pick<ReadableDocument, 'lines' | 'vatZoneId'>,
  booked: readonly VatLine[],
  mapped: readonly LineResult[],
  book: VatBook | undefined,
): Map<string, Minor> {
  const out = new Map<string, Minor>(doc.lines.map((l) => [String(l.number), 0]));
  for (const v of booked) {
    if (v.vat === 0) continue;
    let lines = book ? doc.lines.filter((l) => book.applied(l.vatCategoryId, doc.vatZoneId).includes(v.vatId)) : [];
    if (lines.length === 0)
      lines = doc.lines.filter((l) => mapped.find((m) => m.lineNumber === l.number)?.vatId === v.vatId);
    if (lines.length === 0) lines = doc.lines;
    const shares = spread(
      v.vat,
      lines.map((l) => Math.abs(l.amount)),
    );
    lines.forEach((l, i) => {
      out.set(String(l.number), (out.get(String(l.number)) ?? 0) + shares[i]!);
    });
  }
  return out;
}

/** `total` in integer parts proportional to `weights` (equal parts when they are all zero), summing exactly. */
export function spread(total: Minor, weights: readonly number[]): Minor[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((s, w) => s + w, 0);
  const w = sum === 0 ? weights.map(() => 1) : weights;
  const whole = w.reduce((s, x) => s + x, 0);
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const exact = w.map((x) => (abs * x) / whole);
  const parts = exact.map((x) => Math.floor(x));
  let left = abs - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts.map((p) => sign * p);
}
