import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AvaTaxWorld, startAvaTax } from './http.js';

/**
 * A foreign-currency transaction in AvaTax: the rate it is sent (`exchangeRate`, with `exchangeRateCurrencyCode`
 * and `exchangeRateEffectiveDate`) is the rate it holds and reports the base-currency tax at; sent none, AvaTax
 * takes 1.0 ("It defaults to 1.0", CreateTransactionModel.exchangeRate in
 * the AvaTax REST v2 swagger 19.6).
 */
const NOW = Date.parse('2026-11-25T12:00:00Z');

function eur(code: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'SalesInvoice',
    code,
    companyCode: 'NORDVAST',
    date: '2026-11-20',
    customerCode: '10004',
    currencyCode: 'EUR',
    addresses: {
      shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' },
      shipTo: { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' },
    },
    lines: [{ number: '1', amount: 100, taxCode: 'P0000000' }],
    ...extra,
  };
}

let w: AvaTaxWorld;
beforeAll(async () => {
  w = await startAvaTax({ now: () => NOW });
});
afterAll(() => w.close());

describe('exchange rates in the AvaTax sandbox', () => {
  it('keeps the rate sent, with its currency and date', async () => {
    const r = await w.post(
      '/api/v2/transactions/create',
      eur('FX-1', { exchangeRate: 11.4521, exchangeRateCurrencyCode: 'SEK', exchangeRateEffectiveDate: '2026-11-20' }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      exchangeRate: 11.4521,
      exchangeRateCurrencyCode: 'SEK',
      exchangeRateEffectiveDate: '2026-11-20',
      totalTax: 25,
    });
  });

  it('sent none, holds 1.0', async () => {
    const r = await w.post('/api/v2/transactions/create', eur('FX-2'));
    expect(r.body.exchangeRate).toBe(1);
    expect(r.body.exchangeRateEffectiveDate).toBe('2026-11-20');
  });

  it('refuses a rate that is not a positive number, or a currency code that is not three letters', async () => {
    for (const extra of [
      { exchangeRate: 0 },
      { exchangeRate: -2 },
      { exchangeRate: 'x' },
      { exchangeRateCurrencyCode: 'SVENSKA' },
    ]) {
      const r = await w.post('/api/v2/transactions/create', eur('FX-3', extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
    }
  });
});
