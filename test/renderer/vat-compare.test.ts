import { describe, expect, it } from 'vitest';
import { canAccept, canAdjust, compareVat, lineRows } from '../../renderer/src/vat-compare.js';
import type { LedgerDocument } from '../../shared/domain.js';

const doc = (over: Partial<LedgerDocument>) => ({ state: 'needs-attention', reasons: [], ...over }) as LedgerDocument;

describe('booked beside calculated, per VAT id', () => {
  it('lines up the VAT ids of either side and says how far apart they are', () => {
    const d = doc({
      booked: [{ vatId: 'MP1', taxable: 3780500, vat: 945125, rate: 25 }],
      bookedTax: 945125,
      calculated: [
        { vatId: 'MP1', taxable: 3571100, vat: 892775 },
        { vatId: 'MP3', taxable: 209400, vat: 12564 },
      ],
      calculatedTax: 905339,
    });
    const c = compareVat(d);
    expect(c.rows.map((r) => [r.vatId, r.rate, r.booked?.vat, r.calculated?.vat, r.difference])).toEqual([
      ['MP1', 25, 945125, 892775, 52350],
      ['MP3', undefined, undefined, 12564, -12564],
    ]);
    expect([c.bookedTotal, c.calculatedTotal, c.differs]).toEqual([945125, 905339, true]);
    expect(canAccept(d)).toBe(true);
    expect(canAccept({ ...d, state: 'posted' })).toBe(false);
  });

  it('equal figures, or one side unknown, are no variance to accept', () => {
    const same = doc({
      booked: [{ vatId: 'MP1', taxable: 100, vat: 25 }],
      calculated: [{ vatId: 'MP1', taxable: 100, vat: 25 }],
    });
    expect(compareVat(same).differs).toBe(false);
    expect(canAccept(doc({ booked: [{ vatId: 'MP1', taxable: 100, vat: 25 }] }))).toBe(false);
  });

  it('offers Adjust in AvaTax only when the reason says the document changed after its commit', () => {
    expect(
      canAdjust(
        doc({
          reasons: [
            'Changed in Visma after VN-INV-260001 was committed in AvaTax. Adjust it in AvaTax (with a reason), or correct the document in Visma',
          ],
        }),
      ),
    ).toBe(true);
    expect(
      canAdjust(
        doc({
          reasons: ["Visma's VAT changed after VN-INV-260001 was committed in AvaTax (MP1 25.00 → 30.00). Adjust it"],
        }),
      ),
    ).toBe(true);
    expect(canAdjust(doc({ reasons: ['VAT differs: Visma booked 9451.25 SEK, AvaTax calculates 9053.39 SEK'] }))).toBe(
      false,
    );
    // Its figures differ too, but accepting it is not the way out.
    const changed = doc({
      reasons: ['Changed in Visma after VN-INV-260001 was committed in AvaTax. Adjust it in AvaTax (with a reason)'],
      booked: [{ vatId: 'MP1', taxable: 200, vat: 50 }],
      calculated: [{ vatId: 'MP1', taxable: 100, vat: 25 }],
    });
    expect([canAccept(changed), canAdjust(changed)]).toEqual([false, true]);
  });
});

describe('AvaTax’s result per line', () => {
  it('issue 15 #9: a line at 6 % shows the tax at 6 %, and the 25 % Visma booked apart, as what AvaTax records', () => {
    // A book booked under Visma's 25 % (released before its tax was set): AvaTax calculates 6 % and records
    // Visma's 25 % as an override. The line's rate goes with AvaTax's own figure, never with the booked one.
    const line = {
      lineNumber: 2,
      amount: 209400,
      taxableAmount: 209400,
      tax: 52350,
      taxCalculated: 12564,
      rate: 0.06,
      taxCountry: 'SE',
      country: 'SE',
      reverseCharge: false,
      vatId: 'MP3',
      vatCategoryId: 'BOOK',
    };
    const rows = lineRows(doc({ lines: [line] }));
    expect(rows).toEqual([
      { lineNumber: 2, amount: 209400, rate: 0.06, calculated: 12564, recorded: 52350, vatCode: 'BOOK / MP3' },
    ]);
    // Without an override the two are one figure: no second column.
    expect(lineRows(doc({ lines: [{ ...line, tax: 12564 }] }))[0]).not.toHaveProperty('recorded');
  });
});
