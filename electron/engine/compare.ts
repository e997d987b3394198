import type { LineResult, VatLine } from '../../shared/domain.js';
import type { Minor } from '../../shared/money.js';
import { list, money, type Reason, rate, reason, reasons } from '../../shared/reasons.js';
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
 * Each difference as a reason, with its likely cause read from Visma's VAT rules: "MP1: Visma booked 250.00 SEK
 * on 1,000.00 SEK, AvaTax 60.00 SEK on 1,000.00 SEK (line 2's VAT category STD does not carry VAT id MP1)". The
 * amounts are money values: each language formats them its own way.
 */
export function explain(
  differences: readonly VatDifference[],
  doc: Pick<ReadableDocument, 'currency' | 'vatZoneId' | 'customerNumber' | 'lines'>,
  mapped: readonly LineResult[],
  book: VatBook | undefined,
): Reason[] {
  const m = (minor: Minor) => money(minor, doc.currency);
  return differences.map((d) => {
    const figures = {
      vatId: d.vatId,
      booked: m(d.booked.vat),
      bookedTaxable: m(d.booked.taxable),
      other: m(d.other.vat),
      otherTaxable: m(d.other.taxable),
    };
    const cause = likelyCause(d, doc, mapped, book);
    return cause
      ? reason('vat-difference-cause', { ...figures, cause: reasons([cause]) })
      : reason('vat-difference', figures);
  });
}

function likelyCause(
  d: VatDifference,
  doc: Pick<ReadableDocument, 'vatZoneId' | 'customerNumber' | 'lines'>,
  mapped: readonly LineResult[],
  book: VatBook | undefined,
): Reason | undefined {
  const vatId = d.vatId;
  if (d.booked.taxable === d.other.taxable && Math.abs(d.booked.vat - d.other.vat) <= 2)
    return reason('cause-rounding');
  const zone = doc.vatZoneId;
  const expected = mapped.filter((l) => l.vatId === vatId);
  if (expected.length > 0) {
    if (!zone) return reason('cause-no-vat-zone', { vatId });
    if (book && !book.zoneHas(zone, vatId))
      return reason('cause-vat-id-not-in-zone', { vatId, zone, customer: doc.customerNumber });
    for (const l of expected) {
      const category = doc.lines.find((x) => x.number === l.lineNumber)?.vatCategoryId;
      if (!category) return reason('cause-line-no-category', { line: l.lineNumber });
      if (book && !book.categoryCarries(category, vatId))
        return reason('cause-category-lacks-vat-id', { line: l.lineNumber, category, vatId });
    }
    // Visma keeps a rate in percent, AvaTax as a fraction.
    const percent = book?.rateOf(vatId);
    if (
      percent !== undefined &&
      expected[0] &&
      Math.round(percent * 10_000) !== Math.round(expected[0].rate * 1_000_000)
    )
      return reason('cause-rate-differs', {
        vatId,
        visma: rate(percent / 100),
        avatax: rate(Math.round(expected[0].rate * 1_000_000) / 1_000_000),
      });
    return undefined;
  }
  // Visma booked a VAT id AvaTax's result does not map to.
  const lines = doc.lines.filter((l) => book?.applied(l.vatCategoryId, zone).includes(vatId));
  if (lines.length > 0)
    return reason('cause-zone-and-category-give', {
      vatId,
      zone: zone ?? '—',
      category: lines[0]!.vatCategoryId ?? '—',
      description: book?.describe(vatId) ?? vatId,
      lines: list(lines.map((l) => String(l.number))),
    });
  return reason('cause-maps-elsewhere', { vatId });
}
