import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AvaTaxWorld, startAvaTax } from './http.js';
import { strictAvaTax } from './strict-avatax.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const LIST = '/api/v2/companies/NORDVAST/transactions';

function tx(code: string, date: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'SalesInvoice',
    code,
    companyCode: 'NORDVAST',
    date,
    customerCode: '10001',
    currencyCode: 'SEK',
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
  // 2026-11-01 .. 2026-11-05, one a day; an old one in August; one adjusted (both versions list, as AvaTax may).
  for (let d = 1; d <= 5; d++) await w.post('/api/v2/transactions/create', tx(`L-${d}`, `2026-11-0${d}`));
  await w.post('/api/v2/transactions/create', tx('L-OLD', '2026-08-01'));
  await w.post('/api/v2/transactions/createoradjust', {
    createTransactionModel: tx('L-3', '2026-11-03', { commit: true }),
  });
});
afterAll(() => w.close());

describe('GET /companies/{code}/transactions', () => {
  it('filters by date: between A and B is A ≤ date < B, as Avalara documents it; ge/le and ge/lt as written', async () => {
    const between = await w.get(`${LIST}?$filter=${encodeURIComponent("date between '2026-11-02' and '2026-11-04'")}`);
    expect(between.status).toBe(200);
    // The 4th is B: left out. L-3's superseded version (Adjusted) is listed too, before its live one.
    expect(between.body.value.map((t: { code: string; status: string }) => `${t.code} ${t.status}`)).toEqual([
      'L-2 Saved',
      'L-3 Adjusted',
      'L-3 Committed',
    ]);
    expect(between.body['@recordsetCount']).toBe(3);
    expect(between.body['@nextLink']).toBeUndefined();
    const geLe = await w.get(`${LIST}?$filter=${encodeURIComponent("date ge '2026-08-01' and date le '2026-11-01'")}`);
    expect(geLe.body.value.map((t: { code: string }) => t.code)).toEqual(['L-1', 'L-OLD']);
    const geLt = await w.get(`${LIST}?$filter=${encodeURIComponent("date ge '2026-11-04' and date lt '2026-11-05'")}`);
    expect(geLt.body.value.map((t: { code: string }) => t.code)).toEqual(['L-4']);
    expect(strictAvaTax()('FetchResult[TransactionModel]', between.body)).toEqual([]);
  });

  it('offers the other variants by a setting: between with its end included, live versions only, newest first', async () => {
    const filter = `$filter=${encodeURIComponent("date between '2026-11-02' and '2026-11-04'")}`;
    try {
      w.avatax.betweenEnd = 'inclusive';
      w.avatax.listSuperseded = false;
      w.avatax.listOrder = 'newest-first';
      const r = await w.get(`${LIST}?${filter}`);
      expect(r.body.value.map((t: { code: string }) => t.code)).toEqual(['L-3', 'L-4', 'L-2']);
    } finally {
      w.avatax.betweenEnd = 'exclusive';
      w.avatax.listSuperseded = true;
      w.avatax.listOrder = 'created';
    }
  });

  it('answers which company a code is (QueryCompanies with companyCode eq), so a listing can be checked', async () => {
    const r = await w.get(`/api/v2/companies?$filter=${encodeURIComponent("companyCode eq 'NORDVAST'")}`);
    expect(r.status).toBe(200);
    expect(r.body['@recordsetCount']).toBe(1);
    expect(r.body.value[0]).toMatchObject({ companyCode: 'NORDVAST', id: expect.any(Number) });
    const none = await w.get(`/api/v2/companies?$filter=${encodeURIComponent("companyCode eq 'NOPE'")}`);
    expect(none.body).toMatchObject({ '@recordsetCount': 0, value: [] });
    expect((await w.get(`/api/v2/companies?$filter=${encodeURIComponent('id gt 1')}`)).status).toBe(400);
  });

  it('without a filter: the last 30 days by date', async () => {
    const r = await w.get(LIST);
    expect(r.body.value.map((t: { code: string }) => t.code)).not.toContain('L-OLD');
    expect(r.body['@recordsetCount']).toBe(6);
  });

  it('$top / $skip page, with @nextLink (same path, $skip advanced) only while more remain', async () => {
    const filter = encodeURIComponent("date between '2026-11-01' and '2026-11-30'");
    const first = await w.get(`${LIST}?$filter=${filter}&$top=2`);
    expect(first.body.value).toHaveLength(2);
    expect(first.body['@recordsetCount']).toBe(6);
    const seen = first.body.value.map((t: { code: string }) => t.code);
    let next: string | undefined = first.body['@nextLink'];
    expect(next).toMatch(/^\/api\/v2\/companies\/NORDVAST\/transactions\?.*\$skip=2/);
    while (next) {
      const page = await w.get(next);
      seen.push(...page.body.value.map((t: { code: string }) => t.code));
      next = page.body['@nextLink'];
    }
    expect(seen.sort()).toEqual(['L-1', 'L-2', 'L-3', 'L-3', 'L-4', 'L-5']);
  });

  it('$include: header only without it; Lines, Details and Summary as asked', async () => {
    const bare = await w.get(LIST);
    expect(bare.body.value[0].lines).toBeUndefined();
    expect(bare.body.value[0].summary).toBeUndefined();
    const lines = await w.get(`${LIST}?$include=Lines`);
    expect(lines.body.value[0].lines[0].details).toBeUndefined();
    const full = await w.get(`${LIST}?$include=${encodeURIComponent('Lines,Details,Summary')}`);
    expect(full.body.value[0].lines[0].details.length).toBeGreaterThan(0);
    expect(full.body.value[0].summary.length).toBeGreaterThan(0);
    const one = await w.get('/api/v2/companies/NORDVAST/transactions/L-1?documentType=SalesInvoice&$include=Lines');
    expect(one.body.lines[0].details).toBeUndefined();
    const everything = await w.get('/api/v2/companies/NORDVAST/transactions/L-1');
    expect(everything.body.lines[0].details.length).toBeGreaterThan(0);
  });

  it('is strict: anything else in $filter, a bad $top / $skip / $include, an unknown parameter or company', async () => {
    for (const query of [
      `$filter=${encodeURIComponent("date gt '2026-11-01'")}`,
      `$filter=${encodeURIComponent("code eq 'L-1'")}`,
      `$filter=${encodeURIComponent("date between '2026-11-01' and '2026-11-31'")}`,
      `$filter=${encodeURIComponent("date between '2026-11-01' and '2026-11-30' and status eq 'Committed'")}`,
      '$top=1001',
      '$top=0',
      '$skip=-1',
      '$include=Everything',
      '$orderBy=date',
    ]) {
      const r = await w.get(`${LIST}?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.code, query).toEqual(expect.any(String));
    }
    const filter = await w.get(`${LIST}?$filter=${encodeURIComponent("date eq '2026-11-01'")}`);
    expect(filter.body.error.code).toBe('InvalidFilter');
    expect((await w.get('/api/v2/companies/NOPE/transactions')).status).toBe(404);
  });
});
