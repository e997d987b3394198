import { describe, expect, it } from 'vitest';
import { sortRows, totalsOf } from '../../shared/document-view.js';
import type { DocumentRow } from '../../shared/ipc-channels.js';

function row(ref: string, patch: Partial<DocumentRow> = {}): DocumentRow {
  return {
    key: `invoice:${ref}`,
    documentType: 'invoice',
    referenceNumber: ref,
    customerNumber: '10001',
    customerName: 'Åkesson AB',
    documentDate: '2026-11-20',
    currency: 'SEK',
    amount: 100,
    totalTax: 20,
    bookedTax: 20,
    calculatedTax: 20,
    state: 'posted',
    country: 'SE',
    avataxCode: `INV-${ref}`,
    ...patch,
  };
}

describe('the Transactions view: sort and totals', () => {
  it('sorts by any column both ways; ties keep the newest first; no tax yet sorts last either way', () => {
    const rows = [
      row('9', { amount: 50, totalTax: null, customerName: 'Ørsted' }),
      row('10', { amount: 300, customerName: 'Andersson' }),
      row('11', { amount: 125.5, documentDate: '2026-11-21', customerName: 'Zeta' }),
    ];
    expect(sortRows(rows).map((r) => r.referenceNumber)).toEqual(['11', '10', '9']);
    expect(sortRows(rows, { column: 'amount', direction: 'asc' }).map((r) => r.referenceNumber)).toEqual([
      '9',
      '11',
      '10',
    ]);
    // Numbers compare as numbers: 9 before 10.
    expect(sortRows(rows, { column: 'ref', direction: 'asc' }).map((r) => r.referenceNumber)).toEqual([
      '9',
      '10',
      '11',
    ]);
    // Swedish order: Ø after Z.
    expect(sortRows(rows, { column: 'customer', direction: 'asc' }).map((r) => r.customerName)).toEqual([
      'Andersson',
      'Zeta',
      'Ørsted',
    ]);
    for (const direction of ['asc', 'desc'] as const)
      expect(sortRows(rows, { column: 'tax', direction }).at(-1)!.referenceNumber).toBe('9');
    expect(rows.map((r) => r.referenceNumber)).toEqual(['9', '10', '11']);
  });

  it('adds up per currency in minor units, never counts a missing tax as zero, and converts to the base currency', () => {
    const rows = [
      row('1', { amount: 0.1, totalTax: 0.02 }),
      row('2', { amount: 0.2, totalTax: 0.05 }),
      row('3', { amount: 100, totalTax: null, state: 'flagged' }),
      row('4', { currency: 'EUR', amount: 10.01, totalTax: 2.5, exchangeRate: 11.5 }),
      row('5', { currency: 'EUR', amount: -5, totalTax: -1.25, exchangeRate: 11.5, documentType: 'credit-note' }),
      row('6', { currency: 'DKK', amount: 10, totalTax: 2.5 }),
    ];
    const totals = totalsOf(rows, 'SEK');
    expect(totals.byCurrency).toEqual([
      { currency: 'SEK', documents: 3, amount: 10_030, tax: 7, withoutTax: 1, bookedWithoutTax: 2000, bookedCount: 1 },
      { currency: 'EUR', documents: 2, amount: 501, tax: 125, withoutTax: 0, bookedWithoutTax: 0, bookedCount: 0 },
      { currency: 'DKK', documents: 1, amount: 1000, tax: 250, withoutTax: 0, bookedWithoutTax: 0, bookedCount: 0 },
    ]);
    // 1001 × 11.5 = 11511.5 → 11512; −500 × 11.5 = −5750; the DKK invoice has no rate and is left out, said.
    expect(totals.base).toEqual({
      currency: 'SEK',
      documents: 5,
      amount: 10_030 + 11_512 - 5750,
      tax: 7 + 2875 - 1438,
      withoutTax: 1,
      bookedWithoutTax: 2000,
      bookedCount: 1,
      withoutRate: 1,
    });
    expect(totalsOf(rows).base).toBeUndefined();
  });

  it('documents in needs attention: the VAT Visma booked is added up beside, never as the recorded tax', () => {
    const rows = [
      row('1', { amount: 1250, totalTax: null, bookedTax: 250, calculatedTax: 200, state: 'needs-attention' }),
      row('2', { amount: 625, totalTax: null, bookedTax: 125, calculatedTax: 100, state: 'needs-attention' }),
      row('3', { amount: 100, totalTax: null, bookedTax: null, state: 'pending' }),
    ];
    expect(totalsOf(rows).byCurrency).toEqual([
      {
        currency: 'SEK',
        documents: 3,
        amount: 197_500,
        tax: 0,
        withoutTax: 3,
        bookedWithoutTax: 37_500,
        bookedCount: 2,
      },
    ]);
  });
});
