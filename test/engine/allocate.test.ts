import { describe, expect, it } from 'vitest';
import { allocateBooked } from '../../electron/engine/allocate.js';
import type { ReadableLine } from '../../electron/engine/visma-document.js';
import type { VatLine } from '../../shared/domain.js';

const line = (number: number, amount: number, vatCategoryId = 'STD'): ReadableLine => ({
  number,
  amount,
  quantity: 1,
  vatCategoryId,
});
const total = (m: Map<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);

describe('allocateBooked: the VAT Visma booked, spread over the lines by their signed amounts', () => {
  it('a 1,000 line and a −200 discount line booked with 200 VAT: +250.00 and −50.00 (25 %)', () => {
    const doc = { lines: [line(1, 100_000), line(2, -20_000)], vatZoneId: 'SE' };
    const booked: VatLine[] = [{ vatId: 'MP1', taxable: 80_000, vat: 20_000 }];
    const out = allocateBooked(doc, booked, [], undefined);
    expect(out.get('1')).toBe(25_000);
    expect(out.get('2')).toBe(-5_000);
    expect(total(out)).toBe(20_000);
  });

  it('per VAT id, to the cent: each id over its own lines, the lines adding up to the booked total', () => {
    const doc = {
      lines: [line(1, 100_000, 'STD'), line(2, -20_000, 'STD'), line(3, 33_333, 'FOOD'), line(4, -3_333, 'FOOD')],
      vatZoneId: 'SE',
    };
    const mapped = [
      { lineNumber: 1, vatId: 'MP1' },
      { lineNumber: 2, vatId: 'MP1' },
      { lineNumber: 3, vatId: 'MP2' },
      { lineNumber: 4, vatId: 'MP2' },
    ];
    const booked: VatLine[] = [
      { vatId: 'MP1', taxable: 80_000, vat: 20_000 },
      { vatId: 'MP2', taxable: 30_000, vat: 3_601 },
    ];
    const out = allocateBooked(doc, booked, mapped, undefined);
    expect(out.get('1')).toBe(25_000);
    expect(out.get('2')).toBe(-5_000);
    expect(out.get('3')! + out.get('4')!).toBe(3_601);
    expect(out.get('4')).toBeLessThan(0);
    expect(total(out)).toBe(23_601);
  });

  it('a credit note (lines negated as a sale) with a discount line: the discount line’s share is positive', () => {
    const doc = { lines: [line(1, -100_000), line(2, 20_000)], vatZoneId: 'SE' };
    const out = allocateBooked(doc, [{ vatId: 'MP1', taxable: -80_000, vat: -20_000 }], [], undefined);
    expect([out.get('1'), out.get('2')]).toEqual([-25_000, 5_000]);
  });

  it('lines that cancel out (amounts adding to zero) fall back to their sizes, still exact', () => {
    const doc = { lines: [line(1, 10_000), line(2, -10_000)], vatZoneId: 'SE' };
    const out = allocateBooked(doc, [{ vatId: 'MP1', taxable: 0, vat: 1 }], [], undefined);
    expect(total(out)).toBe(1);
  });
});
