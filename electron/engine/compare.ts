import type { LineResult, VatLine } from '../../shared/domain.js';
import { type Minor, minorToDecimalString } from '../../shared/money.js';
import type { VatBook } from './vat-book.js';
import type { ReadableDocument } from './visma-document.js';

/** What Visma booked against another figure (AvaTax's calculation or what it recorded), per VAT id. */
export interface VatDifference {
  vatId: string;
  booked: VatLine;
  other: VatLine;
}

export interface Comparison {
  /** Every VAT id: the same taxable amount and the same VAT, to the minor unit. */
  equal: boolean;
  /** Same taxable amounts, and VAT at most `tolerance` apart per VAT id: rounding. */
  withinTolerance: boolean;
  differences: VatDifference[];
}

export function compareVat(booked: readonly VatLine[], other: readonly VatLine[], tolerance: Minor): Comparison {
  const ids = [...new Set([...booked, ...other].map((v) => v.vatId))].sort();
  const find = (list: readonly VatLine[], vatId: string): VatLine =>
    list.find((v) => v.vatId === vatId) ?? { vatId, taxable: 0, vat: 0 };
  const differences: VatDifference[] = [];
  for (const vatId of ids) {
    const b = find(booked, vatId);
    const o = find(other, vatId);
    if (b.vat !== o.vat || b.taxable !== o.taxable) differences.push({ vatId, booked: b, other: o });
  }
  return {
    equal: differences.length === 0,
    withinTolerance: differences.every(
      (d) => d.booked.taxable === d.other.taxable && Math.abs(d.booked.vat - d.other.vat) <= tolerance,
    ),
    differences,
  };
}

export const totalVat = (lines: readonly VatLine[]): Minor => lines.reduce((s, v) => s + v.vat, 0);

/**
 * Each difference in words, with its likely cause read from Visma's VAT rules: "MP1: Visma booked 250.00 SEK,
 * AvaTax 60.00 SEK — line 2's VAT category STD gives MP1 in zone 01; AvaTax's result maps to MP3".
 */
export function explain(
  differences: readonly VatDifference[],
  doc: Pick<ReadableDocument, 'currency' | 'vatZoneId' | 'customerNumber' | 'lines'>,
  mapped: readonly LineResult[],
  book: VatBook | undefined,
  otherName = 'AvaTax',
): string[] {
  const money = (m: Minor) => `${minorToDecimalString(m)} ${doc.currency}`;
  return differences.map((d) => {
    const head = `${d.vatId}: Visma booked ${money(d.booked.vat)} on ${money(d.booked.taxable)}, ${otherName} ${money(d.other.vat)} on ${money(d.other.taxable)}`;
    const cause = likelyCause(d, doc, mapped, book);
    return cause ? `${head} (${cause})` : head;
  });
}

function likelyCause(
  d: VatDifference,
  doc: Pick<ReadableDocument, 'vatZoneId' | 'customerNumber' | 'lines'>,
  mapped: readonly LineResult[],
  book: VatBook | undefined,
): string | undefined {
  if (d.booked.taxable === d.other.taxable && Math.abs(d.booked.vat - d.other.vat) <= 2) return 'rounding';
  const zone = doc.vatZoneId;
  const expected = mapped.filter((l) => l.vatId === d.vatId);
  if (expected.length > 0) {
    if (!zone) return `the document has no VAT zone, so Visma taxes nothing under ${d.vatId}`;
    if (book && !book.zoneHas(zone, d.vatId))
      return `VAT id ${d.vatId} is not in VAT zone ${zone} of customer ${doc.customerNumber}`;
    for (const l of expected) {
      const category = doc.lines.find((x) => x.number === l.lineNumber)?.vatCategoryId;
      if (!category) return `line ${l.lineNumber} has no VAT category`;
      if (book && !book.categoryCarries(category, d.vatId))
        return `line ${l.lineNumber}'s VAT category ${category} does not carry VAT id ${d.vatId}`;
    }
    const rate = book?.rateOf(d.vatId);
    if (rate !== undefined && expected[0] && Math.round(rate * 10_000) !== Math.round(expected[0].rate * 1_000_000))
      return `Visma has ${d.vatId} at ${rate} %, AvaTax taxed ${Math.round(expected[0].rate * 1_000_000) / 10_000} %`;
    return undefined;
  }
  // Visma booked a VAT id AvaTax's result does not map to.
  const lines = doc.lines.filter((l) => book?.applied(l.vatCategoryId, zone).includes(d.vatId));
  if (lines.length > 0)
    return `VAT zone ${zone ?? '(none)'} and VAT category ${lines[0]!.vatCategoryId} give ${d.vatId} (${book?.describe(d.vatId)}) on line ${lines.map((l) => l.number).join(', ')}; AvaTax's result maps elsewhere`;
  return `AvaTax's result does not map to ${d.vatId}`;
}
