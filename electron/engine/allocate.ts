import type { LineResult, VatLine } from '../../shared/domain.js';
import { allocate, type Minor } from '../../shared/money.js';
import type { VatBook } from './vat-book.js';
import type { ReadableDocument } from './visma-document.js';

/**
 * Spreads the VAT Visma booked per VAT id over the document's lines, for AvaTax's line-level TaxAmount
 * overrides: each VAT id's amount goes to the lines Visma taxed with it (their category ∩ the zone), else to the
 * lines AvaTax's result maps to it, else to every line, in proportion to the lines' signed amounts (a discount
 * line takes a negative share: 1,000 and −200 booked with 200 VAT are +250 and −50), exact to the minor unit
 * (largest remainder, `allocate`). Lines that cancel out fall back to their sizes. Signed as sales, like
 * everything the engine sends AvaTax.
 */
export function allocateBooked(
  doc: Pick<ReadableDocument, 'lines' | 'vatZoneId'>,
  booked: readonly VatLine[],
  mapped: readonly Pick<LineResult, 'lineNumber' | 'vatId'>[],
  book: VatBook | undefined,
): Map<string, Minor> {
  const out = new Map<string, Minor>(doc.lines.map((l) => [String(l.number), 0]));
  for (const v of booked) {
    if (v.vat === 0) continue;
    let lines = book ? doc.lines.filter((l) => book.applied(l.vatCategoryId, doc.vatZoneId).includes(v.vatId)) : [];
    if (lines.length === 0)
      lines = doc.lines.filter((l) => mapped.find((m) => m.lineNumber === l.number)?.vatId === v.vatId);
    if (lines.length === 0) lines = doc.lines;
    const shares = allocate(
      v.vat,
      lines.map((l) => l.amount),
      lines.map((l) => Math.abs(l.amount)),
    );
    lines.forEach((l, i) => {
      out.set(String(l.number), (out.get(String(l.number)) ?? 0) + shares[i]!);
    });
  }
  return out;
}
