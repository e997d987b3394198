import type { LineResult } from './domain.js';
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
