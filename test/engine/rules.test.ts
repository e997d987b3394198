import { describe, expect, it } from 'vitest';
import type { VismaDocument } from '../../electron/connectors/visma/types.js';
import { checkLocally, checkVatNumber } from '../../electron/engine/address-check.js';
import { fingerprint } from '../../electron/engine/tax-inputs.js';
import { alreadyWrittenBack, mapTransaction, writeBackFor } from '../../electron/engine/vat-mapping.js';
import { initialWatermark, laterOf, querySince } from '../../electron/engine/watermark.js';

const se = { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' };

describe('local address rules', () => {
  it('accepts good Nordic and German addresses', () => {
    expect(checkLocally(se).valid).toBe(true);
    expect(
      checkLocally({ line1: 'Vesterbrogade 98', city: 'København V', postalCode: '1620', country: 'DK' }, 'DK12345678')
        .valid,
    ).toBe(true);
    expect(
      checkLocally({ line1: 'Königstraße 28', city: 'Stuttgart', postalCode: '70173', country: 'DE' }, 'DE 123 456 789')
        .valid,
    ).toBe(true);
  });

  it('names what is wrong', () => {
    expect(checkLocally({ ...se, postalCode: '5463' }).reasons).toEqual([
      'Postal code "5463" does not match the SE format (e.g. 411 24)',
    ]);
    expect(checkLocally({ ...se, city: ' ' }).reasons).toEqual(['City is missing']);
    expect(checkLocally({ ...se, country: 'XX' }).reasons[0]).toMatch(/not an ISO 3166/);
    expect(checkLocally({ ...se, line1: '' }).reasons).toEqual(['Street address is missing']);
    expect(checkVatNumber('DE12345')[0]).toMatch(/DE format/);
    expect(checkVatNumber('123456789')[0]).toMatch(/country prefix/);
  });
});

const doc: VismaDocument = {
  kind: 'invoice',
  referenceNumber: '1',
  status: 'Balanced',
  customerNumber: '10001',
  customerName: 'x',
  documentDate: '2026-11-02T00:00:00',
  currency: 'SEK',
  amount: 125,
  vatTotal: 0,
  lines: [{ lineNumber: 1, inventoryNumber: 'A', quantity: 1, amount: 100, amountInCurrency: 100, vatCode: null }],
  lastModifiedDateTime: '2026-11-02T10:00:00.000',
  timeStamp: 'AAA=',
  taxDetails: [],
};

describe('fingerprint of tax inputs', () => {
  it('ignores our own write-back (VAT codes, tax details, note, status, ETag)', () => {
    const before = fingerprint(doc, se, undefined);
    const after = {
      ...doc,
      status: 'Open',
      timeStamp: 'BBB=',
      note: 'x',
      taxDetails: [{ taxId: 'MP1', vatAmount: 25 }],
      lines: [{ ...doc.lines[0]!, vatCode: { id: '01' } }],
    };
    expect(fingerprint(after, se, undefined)).toBe(before);
  });

  it('changes with amounts, ship-to, VAT number, date or currency', () => {
    const base = fingerprint(doc, se, undefined);
    expect(fingerprint({ ...doc, lines: [{ ...doc.lines[0]!, amountInCurrency: 101 }] }, se, undefined)).not.toBe(base);
    expect(fingerprint(doc, { ...se, postalCode: '211 35' }, undefined)).not.toBe(base);
    expect(fingerprint(doc, se, 'SE556677889901')).not.toBe(base);
    expect(fingerprint({ ...doc, documentDate: '2026-11-03' }, se, undefined)).not.toBe(base);
    expect(fingerprint({ ...doc, currency: 'EUR' }, se, undefined)).not.toBe(base);
  });
});

describe('VAT mapping', () => {
  const tx = {
    id: 1,
    code: 'VN-INV-1',
    date: '2026-11-02',
    status: 'Saved',
    type: 'SalesInvoice',
    totalTax: 37,
    lines: [
      {
        lineNumber: '1',
        lineAmount: 100,
        taxableAmount: 100,
        tax: 25,
        details: [{ country: 'SE', rate: 0.25, tax: 25 }],
      },
      {
        lineNumber: '2',
        lineAmount: 100,
        taxableAmount: 100,
        tax: 12,
        details: [{ country: 'SE', rate: 0.12, tax: 12 }],
      },
    ],
  };
  const mapping = [
    { country: 'SE', rate: 0.25, vatCategoryId: '01', vatId: 'MP1' },
    { country: 'SE', rate: 0.12, vatCategoryId: '02', vatId: 'MP2' },
    { country: 'US', vatCategoryId: 'USST', vatId: 'US' },
  ];

  it('maps by line number and rate, and groups the write-back by VAT id', () => {
    const mapped = mapTransaction(tx, mapping, 'SE');
    expect(mapped.problems).toEqual([]);
    expect(mapped.lines.map((l) => l.vatCategoryId)).toEqual(['01', '02']);
    const change = writeBackFor(mapped.lines, 'n');
    expect(change.taxDetails).toEqual([
      { taxId: 'MP1', taxableAmount: 100, vatAmount: 25 },
      { taxId: 'MP2', taxableAmount: 100, vatAmount: 12 },
    ]);
    expect(
      alreadyWrittenBack(
        {
          lines: [
            { lineNumber: 1, vatCode: { id: '01' } },
            { lineNumber: 2, vatCode: { id: '02' } },
          ],
          taxDetails: change.taxDetails,
          note: 'n',
        },
        change,
      ),
    ).toBe(true);
    expect(
      alreadyWrittenBack(
        {
          lines: [
            { lineNumber: 1, vatCode: null },
            { lineNumber: 2, vatCode: { id: '02' } },
          ],
          taxDetails: change.taxDetails,
          note: 'n',
        },
        change,
      ),
    ).toBe(false);
  });

  it('never guesses an unmapped rate, and sums US jurisdictions into one rate row without a rate', () => {
    const unmapped = mapTransaction(
      {
        ...tx,
        lines: [
          {
            lineNumber: '1',
            lineAmount: 100,
            taxableAmount: 100,
            tax: 6,
            details: [{ country: 'SE', rate: 0.06, tax: 6 }],
          },
        ],
        totalTax: 6,
      },
      mapping,
      'SE',
    );
    expect(unmapped.problems[0]).toMatch(/No VAT mapping for SE at 6 %/);
    const us = mapTransaction(
      {
        ...tx,
        totalTax: 7.75,
        lines: [
          {
            lineNumber: '1',
            lineAmount: 100,
            taxableAmount: 100,
            tax: 7.75,
            details: [
              { country: 'US', rate: 0.06, tax: 6 },
              { country: 'US', rate: 0.0175, tax: 1.75 },
              { country: 'US', rate: 0.01, tax: 0 },
            ],
          },
        ],
      },
      mapping,
      'US',
    );
    expect(us.problems).toEqual([]);
    expect(us.lines[0]!.rate).toBe(0.0775);
  });

  it('reports line taxes that do not add up to the total', () => {
    expect(mapTransaction({ ...tx, totalTax: 40 }, mapping, 'SE').problems[0]).toMatch(/do not add up/);
  });
});

describe('watermarks', () => {
  it('start at the first day of the month, overlap five minutes, never carry a zone', () => {
    expect(initialWatermark(undefined, new Date('2026-11-25T10:00:00Z'))).toBe('2026-11-01T00:00:00.000');
    expect(querySince('2026-11-01T00:00:00.000')).toBe('2026-10-31T23:55:00.000');
    expect(laterOf('2026-11-01T10:00:00.000', '2026-11-01T10:00:01')).toBe('2026-11-01T10:00:01.000');
    expect(laterOf('2026-11-01T10:00:00.000', '2026-11-01T11:00:00+02:00')).toBe('2026-11-01T10:00:00.000');
  });
});
