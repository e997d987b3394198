import { describe, expect, it } from 'vitest';
import { toRow } from '../../electron/app/document-row.js';
import { RELEASED } from '../../electron/engine/visma-document.js';
import { vismaSide } from '../../electron/month/sides.js';
import { DOCUMENT_COLUMNS, documentVatRows } from '../../electron/report/month-export.js';
import { totalsOf } from '../../shared/document-view.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { toMinor } from '../../shared/money.js';
import { ledgerDoc } from '../helpers/ledger.js';

/**
 * Issue 15 #6: the month's VAT in the base currency showed three roundings (the Overview converting each
 * document's total, the documents CSV each VAT id, the currency totals each currency's sum). One rule now
 * (shared/money.ts toBase): each document's VAT id converted on its own, rounded half away from zero, then summed.
 */
const EUR = 11.5;
/** Two VAT ids of 1.25 EUR: 14.375 → 14.38 each (28.76), while the total 2.50 × 11.5 is 28.75. */
const doc = (ref: string): LedgerDocument =>
  ledgerDoc(ref, '2026-11-10', {
    currency: 'EUR',
    exchangeRate: EUR,
    amount: 1250,
    netAmount: 1000,
    bookedTax: 250,
    recordedTax: 250,
    booked: [
      { vatId: 'MP1', taxable: 500, vat: 125 },
      { vatId: 'OSS-DE19', taxable: 500, vat: 125 },
    ],
  });

describe('one rounding rule for the base currency', () => {
  it('the Overview, the documents CSV and the reconciliation give the same base-currency VAT', () => {
    const docs = [doc('1'), doc('2'), doc('3')];
    const overview = totalsOf(docs.map(toRow), 'SEK').base!.tax;
    const vatBase = DOCUMENT_COLUMNS.find((c) => c.header === 'vat_base')!;
    const csv = docs.flatMap(documentVatRows).reduce((s, r) => s + toMinor(String(vatBase.value(r))), 0);
    const reconciliation = docs.reduce((s, d) => {
      const side = vismaSide(
        {
          kind: 'invoice',
          referenceNumber: d.referenceNumber,
          status: 'Open',
          customerNumber: d.customerNumber,
          customerName: d.customerName,
          documentDate: `${d.documentDate}T00:00:00`,
          currency: 'EUR',
          amount: 12.5,
          netAmount: 10,
          exchangeRate: EUR,
          vatTotal: 2.5,
          lines: [{ lineNumber: 1, amount: 10, amountInCurrency: 10 }],
          lastModifiedDateTime: `${d.documentDate}T10:00:00.000`,
          timeStamp: 'AAAA',
          taxDetails: d.booked!.map((b) => ({
            taxId: b.vatId,
            taxableAmount: b.taxable / 100,
            vatAmount: b.vat / 100,
          })),
        },
        RELEASED,
        'SEK',
        () => true,
      ).side!;
      return s + side.vatBase!;
    }, 0);
    expect(csv).toBe(3 * 2876);
    expect(reconciliation).toBe(csv);
    expect(overview).toBe(csv);
  });
});
