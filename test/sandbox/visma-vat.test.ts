import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VAT_CATEGORIES, DEMO_VAT_ZONES, DEMO_VATS } from '../../electron/sandbox/demo-company.js';
import type { SandboxLine, SandboxTaxDetail } from '../../electron/sandbox/visma-state.js';
import { computeVismaVat } from '../../electron/sandbox/visma-vat.js';
import { startVisma, type VismaWorld } from './http.js';

const state = { vats: DEMO_VATS, vatCategories: DEMO_VAT_CATEGORIES, vatZones: DEMO_VAT_ZONES };

function line(lineNumber: number, amountInCurrency: number, category: string | null): SandboxLine {
  return {
    lineNumber,
    inventoryNumber: 'X',
    description: 'X',
    quantity: 1,
    unitPrice: amountInCurrency,
    unitPriceInCurrency: amountInCurrency,
    amount: amountInCurrency,
    amountInCurrency,
    vatCode: category ? { id: category, description: category } : null,
  };
}

const vatOf = (details: SandboxTaxDetail[]) => details.map((d) => [d.taxId, d.vatRate, d.taxableAmount, d.vatAmount]);

describe('computeVismaVat: how Visma books VAT', () => {
  it('taxes each line with the VAT ids its category shares with the document zone', () => {
    const lines = [line(1, 100, 'STD'), line(2, 200, 'FOOD'), line(3, 50, 'BOOK'), line(4, 1000, 'RC')];
    expect(vatOf(computeVismaVat({ customerVatZoneId: '01', lines, taxDetails: [] }, state))).toEqual([
      ['MP1', 25, 100, 25],
      ['MP2', 12, 200, 24],
      ['MP3', 6, 50, 3],
      ['RC-SE', 0, 1000, 0],
    ]);
    // The same lines in Germany's OSS zone: FOOD and BOOK share OSS-DE7; RC has no VAT id there (untaxed).
    expect(vatOf(computeVismaVat({ customerVatZoneId: 'OSSDE', lines, taxDetails: [] }, state))).toEqual([
      ['OSS-DE19', 19, 100, 19],
      ['OSS-DE7', 7, 250, 17.5],
    ]);
    // Finland 25.5 %, Denmark one rate for everything.
    expect(
      vatOf(computeVismaVat({ customerVatZoneId: 'OSSFI', lines: [line(1, 10, 'STD')], taxDetails: [] }, state)),
    ).toEqual([['OSS-FI255', 25.5, 10, 2.55]]);
    expect(vatOf(computeVismaVat({ customerVatZoneId: 'OSSDK', lines, taxDetails: [] }, state))).toEqual([
      ['OSS-DK25', 25, 350, 87.5],
    ]);
  });

  it('rounds once per VAT id on the document total, not per line', () => {
    // 3 × 0.10 at 25 %: per line 0.03 each = 0.09; on the total 0.30 × 25 % = 0.075 -> 0.08.
    const lines = [line(1, 0.1, 'STD'), line(2, 0.1, 'STD'), line(3, 0.1, 'STD')];
    expect(vatOf(computeVismaVat({ customerVatZoneId: '01', lines, taxDetails: [] }, state))).toEqual([
      ['MP1', 25, 0.3, 0.08],
    ]);
    // Half away from zero on a negative total (a discount larger than the goods).
    expect(
      vatOf(
        computeVismaVat(
          { customerVatZoneId: '01', lines: [line(1, 0.1, 'STD'), line(2, -0.2, 'STD')], taxDetails: [] },
          state,
        ),
      ),
    ).toEqual([['MP1', 25, -0.1, -0.03]]);
  });

  it('lines without a category or zone, or whose category misses the zone, are untaxed', () => {
    expect(computeVismaVat({ customerVatZoneId: null, lines: [line(1, 100, 'STD')], taxDetails: [] }, state)).toEqual(
      [],
    );
    expect(computeVismaVat({ customerVatZoneId: '01', lines: [line(1, 100, null)], taxDetails: [] }, state)).toEqual(
      [],
    );
    expect(computeVismaVat({ customerVatZoneId: 'EU', lines: [line(1, 100, 'RC')], taxDetails: [] }, state)).toEqual(
      [],
    );
    expect(
      vatOf(computeVismaVat({ customerVatZoneId: 'EXP', lines: [line(1, 100, 'BOOK')], taxDetails: [] }, state)),
    ).toEqual([['EXPORT', 0, 100, 0]]);
  });

  it('a manual-entry zone is not computed: the details are what was sent; the state is not touched', () => {
    const sent: SandboxTaxDetail = {
      taxId: 'US-SALESTAX',
      recordId: 7,
      vatId: { number: 'US-SALESTAX', description: '' },
      vatRate: 0,
      taxableAmount: 100,
      vatAmount: 7.75,
    };
    const doc = { customerVatZoneId: 'USMAN', lines: [line(1, 100, 'STD')], taxDetails: [sent] };
    const before = JSON.stringify(doc);
    expect(computeVismaVat(doc, state)).toEqual([sent]);
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('VAT master data endpoints', () => {
  let w: VismaWorld;
  beforeAll(async () => {
    w = await startVisma({ invoices: 5, creditNotes: 1 });
  });
  afterAll(() => w.close());

  it('GET /v1/vat lists every VAT id with its rate schedule, categories and zones (no paging)', async () => {
    const r = await w.get('/v1/vat');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(DEMO_VATS.length);
    const mp1 = r.body.find((v: { vatId: string }) => v.vatId === 'MP1');
    expect(mp1).toMatchObject({
      vatId: 'MP1',
      description: 'Utgående moms 25 %',
      type: 'Vat',
      reverseVat: false,
      schedules: [{ vatRate: 25, groupType: 'Output' }],
      zones: [{ id: '01', description: 'Sverige', defaultVatCategory: 'STD' }],
    });
    expect(mp1.categories.map((c: { vatCategoryId: string }) => c.vatCategoryId)).toEqual(['STD', 'MOMS25-GML']);
    expect(r.body.find((v: { vatId: string }) => v.vatId === 'RC-SE')).toMatchObject({ reverseVat: true, type: 'Vat' });
    expect(r.body.find((v: { vatId: string }) => v.vatId === 'US-SALESTAX')).toMatchObject({ type: 'Sales' });
    expect(r.body[0].metadata).toBeUndefined();
  });

  it('GET /v1/vatCategory and /{id}: VatCategoryDto with its VAT lines; 404 in the IPP shape', async () => {
    const all = await w.get('/v1/vatCategory');
    expect(all.body.map((c: { vatCategoryId: string }) => c.vatCategoryId)).toEqual(
      DEMO_VAT_CATEGORIES.map((c) => c.vatCategoryId),
    );
    const book = await w.get('/v1/vatCategory/BOOK');
    expect(book.body).toMatchObject({ vatCategoryId: 'BOOK', active: true, excludeListedTaxes: false });
    expect(book.body.vatCategoryLines[0]).toMatchObject({
      vatId: 'MP3',
      type: 'Vat',
      calculateOn: 'CalcOnItemAmount',
      cashDiscount: 'ReducesTaxableAmount',
      vatRates: [{ revisionID: '1', vatRate: 6, groupType: 'Output' }],
    });
    expect(book.body.vatCategoryLines.map((l: { vatId: string }) => l.vatId)).toEqual(
      DEMO_VAT_CATEGORIES.find((c) => c.vatCategoryId === 'BOOK')!.vatIds,
    );
    const missing = await w.get('/v1/vatCategory/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.ExceptionType).toBe('IPPException');
  });

  it('GET /v1/vatZone is paged; /{id} has the default category; the manual-entry flag is not exposed', async () => {
    const first = await w.get('/v1/vatZone?pageNumber=1&pageSize=3');
    expect(first.body).toHaveLength(3);
    expect(first.body[0].metadata.totalCount).toBe(DEMO_VAT_ZONES.length);
    const us = await w.get('/v1/vatZone/USMAN');
    expect(us.body).toEqual({
      id: 'USMAN',
      description: 'USA, sales tax (manuell momsregistrering)',
      defaultVatCategory: 'STD',
      defaultTaxCategory: { number: 'STD', description: 'Varor och tjänster, normalskatt' },
    });
    expect((await w.get('/v1/vatZone/XX')).status).toBe(404);
  });
});
