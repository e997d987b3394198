import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate, toMinor } from '../../shared/money.js';
import { TEST_NOW } from '../helpers/clock.js';
import { type AvaTaxWorld, startAvaTax } from './http.js';
import { strictAvaTax } from './strict-avatax.js';

const SHIP_FROM = { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' };
const SE_BUYER = { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' };
const US_BUYER = { line1: '100 Main St', city: 'Irvine', region: 'CA', postalCode: '92614', country: 'US' };

function model(code: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return {
    type: 'SalesInvoice',
    code,
    companyCode: 'NORDVAST',
    date: TEST_NOW.slice(0, 10),
    customerCode: '10001',
    currencyCode: 'SEK',
    addresses: { shipFrom: SHIP_FROM, shipTo: SE_BUYER },
    lines,
    ...extra,
  };
}

let w: AvaTaxWorld;
beforeAll(async () => {
  w = await startAvaTax();
});
afterAll(() => w.close());

describe('allocate: exact shares in minor units', () => {
  it('largest remainder, signs, zero weights', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1]).reduce((s, x) => s + x, 0)).toBe(-100);
    expect(allocate(200, [250, -50])).toEqual([250, -50]);
    expect(allocate(10, [0, 0], [300, 100])).toEqual([8, 2]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
    expect(allocate(7, [])).toEqual([]);
  });
});

describe('AvaTax TaxAmount overrides', () => {
  it('line level: tax is the amount, taxCalculated AvaTax’s own; details scaled to add up', async () => {
    const r = await w.post(
      '/api/v2/transactions/create',
      model(
        'OVR-LINE',
        [
          {
            number: '1',
            amount: 100,
            taxCode: 'P0000000',
            taxOverride: { type: 'TaxAmount', taxAmount: 20, reason: 'Visma' },
          },
          { number: '2', amount: 100, taxCode: 'PF050000' },
        ],
        { addresses: { shipFrom: SHIP_FROM, shipTo: US_BUYER }, currencyCode: 'USD' },
      ),
    );
    expect(r.status).toBe(200);
    const [l1, l2] = r.body.lines;
    expect([l1.tax, l1.taxCalculated, l1.taxOverrideType, l1.taxOverrideAmount, l1.taxOverrideReason]).toEqual([
      20,
      7.75,
      'TaxAmount',
      20,
      'Visma',
    ]);
    const details = l1.details as { tax: number; taxCalculated: number }[];
    expect(details.reduce((s, d) => s + toMinor(d.tax), 0)).toBe(2000);
    expect(details.reduce((s, d) => s + toMinor(d.taxCalculated), 0)).toBe(775);
    expect([l2.tax, l2.taxCalculated, l2.taxOverrideType, l2.taxOverrideAmount]).toEqual([7.75, 7.75, 'None', 0]);
    expect([r.body.totalTax, r.body.totalTaxCalculated, r.body.taxOverrideType]).toEqual([27.75, 15.5, 'None']);
    expect(strictAvaTax()('TransactionModel', r.body)).toEqual([]);
  });

  it('document level: spread over the lines by their calculated tax, exact in minor units', async () => {
    const r = await w.post(
      '/api/v2/transactions/create',
      model(
        'OVR-DOC',
        [
          { number: '1', amount: 100, taxCode: 'P0000000' }, // 25.00
          { number: '2', amount: 100, taxCode: 'PF050000' }, // 12.00
          { number: '3', amount: 100, taxCode: 'PB100000' }, // 6.00
        ],
        { taxOverride: { type: 'TaxAmount', taxAmount: 43.01, reason: 'Booked in Visma' } },
      ),
    );
    expect(r.status).toBe(200);
    const b = r.body;
    expect([b.totalTax, b.totalTaxCalculated, b.taxOverrideType, b.taxOverrideAmount]).toEqual([
      43.01,
      43,
      'TaxAmount',
      43.01,
    ]);
    expect(b.lines.map((l: { tax: number }) => l.tax)).toEqual([25.01, 12, 6]);
    expect(b.lines.map((l: { taxCalculated: number }) => l.taxCalculated)).toEqual([25, 12, 6]);
    expect(b.lines.every((l: { taxOverrideType: string }) => l.taxOverrideType === 'TaxAmount')).toBe(true);
    expect(b.summary.reduce((s: number, x: { tax: number }) => s + toMinor(x.tax), 0)).toBe(4301);
    // Nothing calculated (export): spread by line amount.
    const exp = await w.post(
      '/api/v2/transactions/create',
      model(
        'OVR-EXP',
        [
          { number: '1', amount: 300, taxCode: 'P0000000' },
          { number: '2', amount: 100, taxCode: 'P0000000' },
        ],
        {
          addresses: { shipFrom: SHIP_FROM, shipTo: { city: 'Oslo', postalCode: '0154', country: 'NO' } },
          taxOverride: { type: 'TaxAmount', taxAmount: 10, reason: 'x' },
        },
      ),
    );
    expect(exp.body.lines.map((l: { tax: number }) => l.tax)).toEqual([7.5, 2.5]);
  });

  it('refuses a document-level override beside line-level ones by default (Avalara: not both at once)', async () => {
    const mixed = (code: string) =>
      model(
        code,
        [{ number: '1', amount: -100, taxOverride: { type: 'TaxAmount', taxAmount: -24.99, reason: 'Visma' } }],
        { type: 'ReturnInvoice', taxOverride: { type: 'TaxDate', taxDate: '2026-01-15', reason: 'Return' } },
      );
    expect(w.avatax.overrideMix).toBe('refuse');
    const r = await w.post('/api/v2/transactions/create', mixed('OVR-MIX'));
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].refersTo).toBe('taxOverride');
    expect(r.body.error.message).toMatch(/document-level .*line-level/i);
    expect(
      (await w.post('/api/v2/transactions/createoradjust', { createTransactionModel: mixed('OVR-MIX2') })).status,
    ).toBe(400);
  });

  it("overrideMix 'allow' (the lenient variant): a credit note's TaxDate and its lines' TaxAmount both kept", async () => {
    w.avatax.overrideMix = 'allow';
    const r = await w
      .post(
        '/api/v2/transactions/create',
        model(
          'OVR-RET',
          [
            {
              number: '1',
              amount: -100,
              taxCode: 'P0000000',
              taxOverride: { type: 'TaxAmount', taxAmount: -24.99, reason: 'Visma' },
            },
          ],
          { type: 'ReturnInvoice', taxOverride: { type: 'TaxDate', taxDate: '2026-01-15', reason: 'Return' } },
        ),
      )
      .finally(() => {
        w.avatax.overrideMix = 'refuse';
      });
    expect(r.status).toBe(200);
    expect([r.body.taxOverrideType, r.body.taxDate, r.body.totalTax, r.body.totalTaxCalculated]).toEqual([
      'TaxDate',
      '2026-01-15',
      -24.99,
      -25,
    ]);
  });

  it('refuses an override without reason or amount, an unsupported type, and document + line TaxAmount together', async () => {
    const line = { number: '1', amount: 100 };
    for (const body of [
      model('BAD-1', [{ ...line, taxOverride: { type: 'TaxAmount', taxAmount: 1 } }]),
      model('BAD-2', [{ ...line, taxOverride: { type: 'TaxAmount', reason: 'x' } }]),
      model('BAD-3', [line], { taxOverride: { type: 'Exemption', reason: 'x' } }),
      model('BAD-4', [{ ...line, taxOverride: { type: 'TaxAmount', taxAmount: 1, reason: 'x' } }], {
        taxOverride: { type: 'TaxAmount', taxAmount: 1, reason: 'x' },
      }),
      model('BAD-5', [{ ...line, addresses: { shipTo: US_BUYER } }]),
    ]) {
      const r = await w.post('/api/v2/transactions/create', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toEqual(expect.any(String));
    }
  });
});

describe('AvaTax reverse charge and addresses', () => {
  it('an RC tax code, domestic, to a VAT-registered buyer: Output +25 % and Input -25 %, line tax 0', async () => {
    const r = await w.post(
      '/api/v2/transactions/create',
      model('RC-1', [{ number: '1', amount: 4500, taxCode: 'RC100000' }], {
        businessIdentificationNo: 'SE556677889901',
      }),
    );
    const line = r.body.lines[0];
    expect([line.tax, line.taxCalculated]).toEqual([0, 0]);
    expect(
      line.details.map((d: Record<string, unknown>) => [d.taxType, d.rate, d.tax, d.country, d.rateTypeCode]),
    ).toEqual([
      ['Output', 0.25, 1125, 'SE', 'Standard'],
      ['Input', 0.25, -1125, 'SE', 'Standard'],
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/reverseCharge/);
    expect(strictAvaTax()('TransactionModel', r.body)).toEqual([]);
    // Without a VAT number it is an ordinary domestic sale.
    const b2c = await w.post(
      '/api/v2/transactions/create',
      model('RC-2', [{ number: '1', amount: 4500, taxCode: 'RC100000' }]),
    );
    expect(b2c.body.lines[0].tax).toBe(1125);
  });

  it('addresses get ids; the transaction and each line name origin and destination', async () => {
    const r = await w.post('/api/v2/transactions/create', model('ADDR-1', [{ number: '1', amount: 10 }]));
    const b = r.body;
    const [from, to] = b.addresses;
    expect(from).toMatchObject({ ...SHIP_FROM, id: b.originAddressId, transactionId: b.id });
    expect(to).toMatchObject({ ...SE_BUYER, id: b.destinationAddressId });
    expect(from.id).not.toBe(to.id);
    expect([b.lines[0].originAddressId, b.lines[0].destinationAddressId]).toEqual([from.id, to.id]);
    const single = await w.post('/api/v2/transactions/create', {
      ...model('ADDR-2', [{ number: '1', amount: 10 }]),
      addresses: { singleLocation: SE_BUYER },
    });
    expect(single.body.addresses).toHaveLength(1);
    expect(single.body.originAddressId).toBe(single.body.destinationAddressId);
  });
});
