import { describe, expect, it } from 'vitest';
import { createTransactionSchema } from '../../electron/connectors/avatax/types.js';
import type { VismaDocument } from '../../electron/connectors/visma/types.js';
import { checkLocally } from '../../electron/engine/address-check.js';
import { fingerprint, sameInputs, taxInputsOf, transactionModel } from '../../electron/engine/tax-inputs.js';
import { VatBook } from '../../electron/engine/vat-book.js';
import { checkMapping, mapTransaction } from '../../electron/engine/vat-mapping.js';
import { readDocument } from '../../electron/engine/visma-document.js';
import { initialWatermark, laterOf, overlapFor, querySince } from '../../electron/engine/watermark.js';
import { checkVatNumber } from '../../shared/countries.js';
import { formatReason } from '../../shared/reason-format.js';
import { settingsSchema } from '../../shared/settings.js';
import { text } from '../helpers/reasons.js';

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

  it('names what is wrong, as codes with their figures (said in the reader’s language)', () => {
    expect(checkLocally({ ...se, postalCode: '5463' }).reasons).toEqual([
      { code: 'postal-code-format', params: { postalCode: '5463', country: 'SE', example: '411 24' } },
    ]);
    expect(text(checkLocally({ ...se, postalCode: '5463' }).reasons[0])).toBe(
      'Postal code "5463" does not match the SE format (e.g. 411 24)',
    );
    expect(formatReason(checkLocally({ ...se, postalCode: '5463' }).reasons[0]!, 'sv')).toBe(
      'Postnumret "5463" har inte formatet för SE (t.ex. 411 24)',
    );
    expect(checkLocally({ ...se, city: ' ' }).reasons).toEqual([{ code: 'address-city-missing' }]);
    expect(formatReason(checkLocally({ ...se, city: ' ' }).reasons[0]!, 'sv')).toBe('Ort saknas');
    expect(text(checkLocally({ ...se, country: 'XX' }).reasons[0])).toMatch(/not an ISO 3166/);
    expect(checkLocally({ ...se, line1: '' }).reasons).toEqual([{ code: 'address-street-missing' }]);
    expect(text(checkVatNumber('DE12345')[0])).toMatch(/DE format/);
    expect(text(checkVatNumber('123456789')[0])).toMatch(/country prefix/);
    expect(formatReason(checkVatNumber('DE12345')[0]!, 'de')).toBe(
      'Die USt-IdNr. "DE12345" entspricht nicht dem Format für DE (z. B. DE123456789)',
    );
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

const settings = settingsSchema.parse({
  visma: {},
  avalara: { companyCode: 'NORDVAST' },
  company: { shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' } },
});

function inputs(d: VismaDocument, shipTo = se, vat?: string) {
  const read = readDocument(d);
  if (!read.ok) throw new Error(read.problems.join('; '));
  return taxInputsOf(read.doc, shipTo, vat, settings);
}

describe('one TaxInputs value: fingerprint, AvaTax model, comparison with AvaTax', () => {
  it('ignores our own write-back (VAT codes, tax details, zone, note, status, ETag)', () => {
    const before = fingerprint(inputs(doc));
    const after: VismaDocument = {
      ...doc,
      status: 'Open',
      timeStamp: 'BBB=',
      note: 'x',
      vatZoneId: '01',
      taxDetails: [{ taxId: 'MP1', vatAmount: 25 }],
      lines: [{ ...doc.lines[0]!, vatCode: { id: '01' } }],
    };
    expect(fingerprint(inputs(after))).toBe(before);
  });

  it('changes with amounts, ship-to, VAT number, date or currency', () => {
    const base = fingerprint(inputs(doc));
    expect(fingerprint(inputs({ ...doc, lines: [{ ...doc.lines[0]!, amountInCurrency: 101 }] }))).not.toBe(base);
    expect(fingerprint(inputs(doc, { ...se, postalCode: '211 35' }))).not.toBe(base);
    expect(fingerprint(inputs(doc, se, 'SE556677889901'))).not.toBe(base);
    expect(fingerprint(inputs({ ...doc, documentDate: '2026-11-03' }))).not.toBe(base);
    expect(fingerprint(inputs({ ...doc, currency: 'EUR' }))).not.toBe(base);
  });

  it('does not depend on the order Visma lists the lines in, numbers compared as numbers', () => {
    const line = doc.lines[0]!;
    const lines = [2, 10, 1].map((n) => ({ ...line, lineNumber: n, amountInCurrency: n * 10 }));
    const shuffled = fingerprint(inputs({ ...doc, lines }));
    expect(fingerprint(inputs({ ...doc, lines: [lines[2]!, lines[0]!, lines[1]!] }))).toBe(shuffled);
    expect(fingerprint(inputs({ ...doc, lines: [...lines].reverse() }))).toBe(shuffled);
  });

  it('a transaction AvaTax holds compares the same way: a changed ship-to is not missed', () => {
    const model = transactionModel(inputs(doc), { commit: false }).model!;
    const tx = {
      id: 1,
      code: model.code,
      date: model.date,
      status: 'Committed',
      type: model.type,
      customerCode: model.customerCode,
      currencyCode: model.currencyCode,
      destinationAddressId: 2,
      addresses: [
        { id: 1, ...settings.company.shipFrom },
        { id: 2, ...se },
      ],
      lines: model.lines.map((l) => ({
        lineNumber: l.number,
        lineAmount: l.amount,
        quantity: l.quantity,
        taxCode: l.taxCode,
        itemCode: l.itemCode,
      })),
    };
    expect(sameInputs(inputs(doc), tx)).toBe(true);
    expect(sameInputs(inputs(doc, { ...se, postalCode: '211 35' }), tx)).toBe(false);
    expect(sameInputs(inputs({ ...doc, lines: [{ ...doc.lines[0]!, amountInCurrency: 90 }] }), tx)).toBe(false);
  });

  it('sends Visma’s exchange rate for a foreign-currency document, to the base currency, at the document date', () => {
    // Without it AvaTax converts at 1.0 ("It defaults to 1.0", CreateTransactionModel.exchangeRate) and its
    // base-currency liability for every EUR, DKK or USD document is wrong.
    const withBase = settingsSchema.parse({ ...settings, company: { ...settings.company, baseCurrency: 'SEK' } });
    const read = readDocument({ ...doc, currency: 'EUR', exchangeRate: 11.4521 });
    if (!read.ok) throw new Error(read.problems.join('; '));
    const model = transactionModel(taxInputsOf(read.doc, se, undefined, withBase), { commit: false }).model!;
    expect(model).toMatchObject({
      currencyCode: 'EUR',
      exchangeRate: 11.4521,
      exchangeRateCurrencyCode: 'SEK',
      exchangeRateEffectiveDate: '2026-11-02',
    });
    // In the base currency itself, or with no rate from Visma, nothing is sent (AvaTax's 1.0 is then right, or
    // the reconciliation says the rate is missing).
    const sek = readDocument({ ...doc, exchangeRate: 1 });
    if (!sek.ok) throw new Error(sek.problems.join('; '));
    expect(transactionModel(taxInputsOf(sek.doc, se, undefined, withBase), { commit: false }).model).not.toHaveProperty(
      'exchangeRate',
    );
    // The rate is not a tax input: a transaction AvaTax made before rates were sent is still the same document.
    expect(fingerprint(taxInputsOf(read.doc, se, undefined, withBase))).toBe(
      fingerprint(taxInputsOf(read.doc, se, undefined, settings)),
    );
  });

  it('a credit note is calculated as of its invoice’s date (a TaxDate override on the document, none on lines)', () => {
    const credit = inputs({ ...doc, kind: 'credit-note', origInvoiceDate: '2026-10-15T00:00:00' });
    const model = transactionModel(credit, { commit: false }).model!;
    expect(model.taxOverride).toEqual({ type: 'TaxDate', taxDate: '2026-10-15', reason: 'Return' });
    expect(model.lines.every((l) => l.taxOverride === undefined)).toBe(true);
  });

  it('records the VAT Visma booked as line TaxAmount overrides only: AvaTax refuses them beside a document override', () => {
    const credit = inputs({ ...doc, kind: 'credit-note', origInvoiceDate: '2026-10-15T00:00:00' });
    const model = transactionModel(credit, { commit: true, recordBooked: new Map([['1', -2500]]) }).model!;
    expect(model.lines[0]).toMatchObject({ amount: -100, taxOverride: { type: 'TaxAmount', taxAmount: -25 } });
    expect(model.taxOverride).toBeUndefined();
    // The invoice's tax date is kept where AvaTax takes it: the return's reference to its original document.
    expect(model.referenceCode).toMatch(/2026-10-15/);
  });

  it('a recorded credit note still compares as the same inputs (its tax date read from the reference)', () => {
    const credit = inputs({ ...doc, kind: 'credit-note', origInvoiceDate: '2026-10-15T00:00:00' });
    const model = transactionModel(credit, { commit: true, recordBooked: new Map([['1', -2500]]) }).model!;
    const tx = {
      id: 1,
      code: model.code,
      date: model.date,
      taxDate: model.date,
      status: 'Committed',
      type: model.type,
      customerCode: model.customerCode,
      currencyCode: model.currencyCode,
      referenceCode: model.referenceCode,
      destinationAddressId: 2,
      addresses: [
        { id: 1, ...settings.company.shipFrom },
        { id: 2, ...se },
      ],
      lines: model.lines.map((l) => ({
        lineNumber: l.number,
        lineAmount: l.amount,
        quantity: l.quantity,
        taxCode: l.taxCode,
        itemCode: l.itemCode,
        taxOverrideType: 'TaxAmount',
      })),
    };
    expect(sameInputs(credit, tx)).toBe(true);
    const other = inputs({ ...doc, kind: 'credit-note', origInvoiceDate: '2026-10-16T00:00:00' });
    expect(sameInputs(other, tx)).toBe(false);
  });

  it('a model with a document override and line overrides at once is refused before it is sent', () => {
    const credit = inputs({ ...doc, kind: 'credit-note', origInvoiceDate: '2026-10-15T00:00:00' });
    const built = transactionModel(credit, { commit: false }).model!;
    const mixed = {
      ...built,
      lines: built.lines.map((l) => ({ ...l, taxOverride: { type: 'TaxAmount' as const, taxAmount: 1, reason: 'x' } })),
    };
    expect(createTransactionSchema.safeParse(mixed).success).toBe(false);
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
        details: [{ country: 'SE', rate: 0.25, tax: 25, taxType: 'Output' }],
      },
      {
        lineNumber: '2',
        lineAmount: 100,
        taxableAmount: 100,
        tax: 12,
        details: [{ country: 'SE', rate: 0.12, tax: 12, taxType: 'Output' }],
      },
    ],
  };
  const rows = checkMapping(
    [
      {
        country: 'SE',
        taxCountry: 'SE',
        rate: 0.25,
        reverseCharge: false,
        vatZoneId: '01',
        vatCategoryId: 'STD',
        vatId: 'MP1',
      },
      {
        country: 'SE',
        taxCountry: 'SE',
        rate: 0.12,
        reverseCharge: false,
        vatZoneId: '01',
        vatCategoryId: 'FOOD',
        vatId: 'MP2',
      },
      {
        country: 'DK',
        taxCountry: 'DK',
        rate: 0.25,
        reverseCharge: false,
        vatZoneId: 'OSSDK',
        vatCategoryId: 'STD',
        vatId: 'OSS-DK25',
      },
      { country: 'SE', taxCountry: 'SE', rate: 0.25, reverseCharge: true, vatCategoryId: 'RC', vatId: 'RC-SE' },
      { country: 'US', reverseCharge: false, vatZoneId: 'USMAN', vatCategoryId: 'STD', vatId: 'US-SALESTAX' },
    ],
    undefined,
  );

  it('maps by line number, taxing country and rate; groups by VAT id with AvaTax’s own figures', () => {
    const mapped = mapTransaction(tx, rows, 'SE');
    expect(mapped.problems).toEqual([]);
    expect(mapped.lines.map((l) => [l.vatCategoryId, l.vatId])).toEqual([
      ['STD', 'MP1'],
      ['FOOD', 'MP2'],
    ]);
    expect(mapped.vatZoneId).toBe('01');
    expect(mapped.calculated).toEqual([
      { vatId: 'MP1', taxable: 10000, vat: 2500 },
      { vatId: 'MP2', taxable: 10000, vat: 1200 },
    ]);
  });

  it('Swedish 25 % and Danish 25 % (OSS) are different rows', () => {
    const dk = mapTransaction(
      {
        ...tx,
        totalTax: 25,
        lines: [{ ...tx.lines[0]!, details: [{ country: 'DK', rate: 0.25, tax: 25, taxType: 'Output' }] }],
      },
      rows,
      'DK',
    );
    expect(dk.lines[0]!.vatId).toBe('OSS-DK25');
  });

  it('a reverse-charge pair (Output and Input) maps to one row', () => {
    const rc = mapTransaction(
      {
        ...tx,
        totalTax: 0,
        lines: [
          {
            lineNumber: '1',
            lineAmount: 100,
            taxableAmount: 100,
            tax: 0,
            details: [
              { country: 'SE', rate: 0.25, tax: 25, taxType: 'Output' },
              { country: 'SE', rate: 0.25, tax: -25, taxType: 'Input' },
            ],
          },
        ],
      },
      rows,
      'SE',
    );
    expect(rc.problems).toEqual([]);
    expect(rc.lines[0]).toMatchObject({ reverseCharge: true, vatId: 'RC-SE', tax: 0 });
  });

  it('never guesses an unmapped rate, and sums US jurisdictions into one row without a rate', () => {
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
      rows,
      'SE',
    );
    expect(text(unmapped.problems[0])).toMatch(/No VAT mapping for SE at 6% to SE/);
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
              { country: 'US', rate: 0.06, tax: 6, taxType: 'Sales' },
              { country: 'US', rate: 0.0175, tax: 1.75, taxType: 'Sales' },
              { country: 'US', rate: 0.01, tax: 0, taxType: 'Sales' },
            ],
          },
        ],
      },
      rows,
      'US',
    );
    expect(us.problems).toEqual([]);
    expect(us.lines[0]!.rate).toBe(0.0775);
  });

  it('reports line taxes that do not add up to the total', () => {
    expect(text(mapTransaction({ ...tx, totalTax: 40 }, rows, 'SE').problems[0])).toMatch(/do not add up/);
  });
});

describe('VAT mapping rows against Visma’s VAT data', () => {
  const book = new VatBook({
    categories: [
      {
        vatCategoryId: 'STD',
        vatCategoryLines: [
          { vatId: 'MP1', vatRates: [{ vatRate: 25 }] },
          { vatId: 'OSS-DE19', vatRates: [{ vatRate: 19 }] },
        ],
      },
      { vatCategoryId: 'BOOK', vatCategoryLines: [{ vatId: 'MP3', vatRates: [{ vatRate: 6 }] }] },
    ],
    zones: [{ id: '01' }, { id: 'OSSDE' }],
    vats: [
      { vatId: 'MP1', zones: [{ id: '01' }], schedules: [{ vatRate: 25 }] },
      { vatId: 'MP3', zones: [{ id: '01' }], schedules: [{ vatRate: 6 }] },
      { vatId: 'OSS-DE19', zones: [{ id: 'OSSDE' }], schedules: [{ vatRate: 19 }] },
    ],
  });
  const row = {
    country: 'SE',
    taxCountry: 'SE',
    rate: 0.25,
    reverseCharge: false,
    vatZoneId: '01',
    vatCategoryId: 'STD',
    vatId: 'MP1',
  };

  it('accepts a row whose category carries its VAT id at the same rate, in its zone', () => {
    expect(checkMapping([row], book)[0]!.refused).toBeUndefined();
  });

  it('refuses a category without the VAT id, a rate that differs, a VAT id outside the zone', () => {
    expect(text(checkMapping([{ ...row, vatCategoryId: 'BOOK' }], book)[0]!.refused)).toBe(
      'VAT category BOOK does not carry VAT id MP1',
    );
    expect(text(checkMapping([{ ...row, rate: 0.19 }], book)[0]!.refused)).toBe(
      'VAT id MP1 is 25% in Visma, the row says 19%',
    );
    expect(text(checkMapping([{ ...row, vatId: 'OSS-DE19', rate: 0.19 }], book)[0]!.refused)).toBe(
      'VAT id OSS-DE19 is not in VAT zone 01',
    );
  });

  it('a refused row maps nothing: its lines say why', () => {
    const refused = checkMapping([{ ...row, vatCategoryId: 'BOOK' }], book);
    const tx = {
      id: 1,
      code: 'c',
      date: '2026-11-02',
      status: 'Saved',
      type: 'SalesInvoice',
      totalTax: 25,
      lines: [
        {
          lineNumber: '1',
          lineAmount: 100,
          taxableAmount: 100,
          tax: 25,
          details: [{ country: 'SE', rate: 0.25, tax: 25 }],
        },
      ],
    };
    expect(text(mapTransaction(tx, refused, 'SE').problems[0])).toMatch(
      /row 1 .* is refused: VAT category BOOK does not carry VAT id MP1/,
    );
  });
});

describe('watermarks', () => {
  it('overlap the widest zone difference until our own writes measured Visma’s clock, then that offset', () => {
    expect(overlapFor(undefined)).toBe(14 * 3_600_000 + 5 * 60_000);
    expect(overlapFor(3_600_000 + 20_000)).toBe(60 * 60_000 + 5 * 60_000);
    expect(overlapFor(-2 * 3_600_000)).toBe(2 * 3_600_000 + 5 * 60_000);
    expect(overlapFor(400)).toBe(5 * 60_000);
  });

  it('start at the first day of the month, never carry a zone', () => {
    expect(initialWatermark(undefined, new Date('2026-11-25T10:00:00Z'), 'UTC')).toBe('2026-11-01T00:00:00.000');
    // 00:30 on 1 December in Stockholm: the company's month is December, UTC's still November.
    expect(initialWatermark(undefined, new Date('2026-11-30T23:30:00Z'), 'Europe/Stockholm')).toBe(
      '2026-12-01T00:00:00.000',
    );
    expect(querySince('2026-11-01T00:00:00.000')).toBe('2026-10-31T23:55:00.000');
    expect(laterOf('2026-11-01T10:00:00.000', '2026-11-01T10:00:01')).toBe('2026-11-01T10:00:01.000');
    expect(laterOf('2026-11-01T10:00:00.000', '2026-11-01T11:00:00+02:00')).toBe('2026-11-01T10:00:00.000');
  });
});
