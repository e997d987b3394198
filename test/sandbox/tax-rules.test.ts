import { describe, expect, it } from 'vitest';
import { seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import { computeLineTax, rateClass } from '../../electron/sandbox/tax-rules.js';

const se = { sellerCountry: 'SE', amount: 10000 };

describe('sandbox VAT rules for a Swedish seller', () => {
  it('domestic 25 / 12 / 6 %', () => {
    expect(computeLineTax({ ...se, shipToCountry: 'SE' }).tax).toBe(2500);
    expect(computeLineTax({ ...se, shipToCountry: 'SE', taxCode: 'PF050000' }).tax).toBe(1200);
    expect(computeLineTax({ ...se, shipToCountry: 'SE', taxCode: 'PB100000' }).tax).toBe(600);
    expect(rateClass(undefined)).toBe('standard');
  });

  it('intra-EU B2B 0 % with a message, B2C at the destination rate, export 0 %', () => {
    const b2b = computeLineTax({ ...se, shipToCountry: 'DE', buyerVatNumber: 'DE123456789' });
    expect([b2b.tax, b2b.details[0]!.rateTypeCode]).toEqual([0, 'Zero']);
    expect(b2b.messages[0]).toMatch(/Article 138/);
    expect(computeLineTax({ ...se, shipToCountry: 'DK' }).details[0]!.rate).toBe(0.25);
    expect(computeLineTax({ ...se, shipToCountry: 'DE' }).details[0]!.rate).toBe(0.19);
    expect(computeLineTax({ ...se, shipToCountry: 'NO' }).tax).toBe(0);
  });

  it('reverse charge: an RC code at home to a VAT-registered buyer is an Output/Input pair that nets to 0', () => {
    const rc = computeLineTax({ ...se, shipToCountry: 'SE', buyerVatNumber: 'SE556677889901', taxCode: 'RC100000' });
    expect(rc.tax).toBe(0);
    expect(rc.details.map((d) => [d.taxType, d.rate, d.tax, d.country])).toEqual([
      ['Output', 0.25, 2500, 'SE'],
      ['Input', 0.25, -2500, 'SE'],
    ]);
    // Not for a consumer, not across a border, not on a purchase.
    expect(computeLineTax({ ...se, shipToCountry: 'SE', taxCode: 'RC100000' }).tax).toBe(2500);
    expect(computeLineTax({ ...se, shipToCountry: 'DE', buyerVatNumber: 'DE123456789', taxCode: 'RC100000' }).tax).toBe(
      0,
    );
    expect(
      computeLineTax({
        ...se,
        shipToCountry: 'SE',
        buyerVatNumber: 'SE1',
        taxCode: 'RC100000',
        documentType: 'PurchaseInvoice',
      }).details,
    ).toHaveLength(1);
  });

  it('US sales tax by ZIP and state; negative for returns', () => {
    expect(computeLineTax({ ...se, shipToCountry: 'US', shipToRegion: 'CA', shipToPostalCode: '92614' }).tax).toBe(775);
    expect(computeLineTax({ ...se, shipToCountry: 'US', shipToRegion: 'NY', shipToPostalCode: '10118' }).tax).toBe(888);
    expect(
      computeLineTax({
        sellerCountry: 'SE',
        amount: -10000,
        shipToCountry: 'US',
        shipToRegion: 'CA',
        shipToPostalCode: '92614',
      }).tax,
    ).toBe(-775);
  });
});

describe('the demo company', () => {
  const seed = seedDemoCompany({ now: Date.parse('2026-11-25T12:00:00Z') });
  it('is a Swedish distributor with ~40 customers in SE, DK, DE, US and more, with Nordic names', () => {
    const countries = new Set(seed.visma.customers.map((c) => c.mainAddress.country?.id));
    expect(seed.visma.customers.length).toBeGreaterThanOrEqual(38);
    for (const c of ['SE', 'DK', 'DE', 'US']) expect(countries).toContain(c);
    const names = seed.visma.customers.map((c) => c.name).join(' ');
    for (const ch of ['å', 'ä', 'ö', 'ø', 'æ', 'ß']) expect(names).toContain(ch);
  });

  it('has a few hundred documents in several statuses and currencies, deterministically', () => {
    expect(seed.visma.documents.length).toBeGreaterThanOrEqual(300);
    expect(new Set(seed.visma.documents.map((d) => d.status)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(seed.visma.documents.map((d) => d.currencyId))).toEqual(new Set(['SEK', 'DKK', 'EUR', 'USD']));
    expect(seed.visma.documents.some((d) => d.kind === 'credit-note')).toBe(true);
    const again = seedDemoCompany({ now: Date.parse('2026-11-25T12:00:00Z') });
    expect(JSON.stringify(again)).toBe(JSON.stringify(seed));
  });
});
