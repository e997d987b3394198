import type { VatLine } from '../../shared/domain.js';
import type { Minor } from '../../shared/money.js';
import { type Comparison, compareVat, totalVat } from './compare.js';

/**
 * The one rule a document's VAT is judged by, in the sync (`decide.ts`) and at month-end (`month/classify.ts`),
 * so a document the sync holds in needs attention is never "matched" in the reconciliation:
 *
 * 1. **What AvaTax records is what Visma booked, to the minor unit** (`recordsBooked`): the same total, and per
 *    VAT id the same figures, unless AvaTax records them as TaxAmount overrides (then its lines keep the VAT ids
 *    of its own calculation, and only the total can be compared).
 * 2. **What AvaTax calculates itself, mapped to Visma VAT ids through the VAT mapping, is what Visma booked**
 *    (`judgeVat`): per VAT id the same taxable amount and VAT at most `tolerance` apart (rounding). The VAT ids
 *    are compared whether or not AvaTax's figure is an override: a Danish sale booked under Swedish MP1 while
 *    AvaTax's result maps to OSS-DK25 differs even when both say 250.00.
 *
 * Pure, no imports from month/ or app/.
 */
export interface VatJudgement extends Comparison {
  /** What differs when it is beyond rounding: the VAT of the same VAT ids, or the VAT ids themselves. */
  kind?: 'tax' | 'vat-id';
  bookedTotal: Minor;
  calculatedTotal: Minor;
}

export function judgeVat(booked: readonly VatLine[], calculated: readonly VatLine[], tolerance: Minor): VatJudgement {
  const cmp = compareVat(booked, calculated, tolerance);
  return {
    ...cmp,
    ...(cmp.withinTolerance ? {} : { kind: sameVatIds(booked, calculated) ? 'tax' : 'vat-id' }),
    bookedTotal: totalVat(booked),
    calculatedTotal: totalVat(calculated),
  };
}

/** What AvaTax records for a document: its total tax, its lines per VAT id, and whether they are overrides. */
export interface Recorded {
  total: Minor;
  lines: readonly VatLine[];
  overridden: boolean;
}

/** Rule 1: AvaTax records exactly Visma's VAT: the same total, and per VAT id either overridden from it or equal. */
export function recordsBooked(recorded: Recorded, booked: readonly VatLine[]): boolean {
  return recorded.total === totalVat(booked) && (recorded.overridden || compareVat(recorded.lines, booked, 0).equal);
}

/** Both use the same VAT ids, leaving out ids with nothing on them. */
export function sameVatIds(a: readonly VatLine[], b: readonly VatLine[]): boolean {
  const ids = (lines: readonly VatLine[]) =>
    lines
      .filter((x) => x.vat !== 0 || x.taxable !== 0)
      .map((x) => x.vatId)
      .sort()
      .join(' ');
  return ids(a) === ids(b);
}
