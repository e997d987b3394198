import { describe, expect, it } from 'vitest';
import { buildVatReport, supplyKind, vatReturnOf } from '../../electron/month/vat-report.js';
import {
  type DocumentSide,
  emptyBucketCounts,
  type ReconciledDocument,
  type Reconciliation,
} from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';

const side = (lines: { vatId: string; taxable: number; vat: number; rate?: number }[], rate = 1): DocumentSide => ({
  status: 'Open',
  date: '2026-11-10',
  currency: 'SEK',
  net: lines.reduce((s, l) => s + l.taxable, 0),
  vat: lines.reduce((s, l) => s + l.vat, 0),
  gross: 0,
  lines: lines.map((l) => ({ ...l, taxableBase: Math.round(l.taxable * rate), vatBase: Math.round(l.vat * rate) })),
  reported: true,
  inMonth: true,
});
const doc = (
  ref: string,
  country: string | undefined,
  vatNumber: string | undefined,
  visma: DocumentSide,
  over: Partial<ReconciledDocument> = {},
): ReconciledDocument => ({
  code: `VN-INV-${ref}`,
  referenceNumber: ref,
  customerNumber: `C${ref}`,
  customerName: `Customer ${ref}`,
  country,
  vatNumber,
  bucket: 'matched',
  differences: [],
  why: [],
  actions: [],
  visma,
  variance: { visma: visma.vat, avatax: visma.vat, difference: 0, avataxFigure: 'recorded' },
  ...over,
});
const reconciliation = (documents: ReconciledDocument[], clean = true): Reconciliation => ({
  month: '2026-11',
  from: '2026-11-01',
  to: '2026-11-30',
  generatedAt: '2026-12-01T08:00:00.000Z',
  baseCurrency: 'SEK',
  tolerance: 1,
  counts: emptyBucketCounts(),
  clean,
  documents,
  totals: [],
  vatBase: { visma: 0, avatax: 0, difference: 0 },
  vatReturn: vatReturnOf(documents, 'SE'),
  withoutRate: 0,
  problems: [],
  incomplete: [],
});

describe('the VAT report', () => {
  it('sorts a supply by where it went and whether the buyer is VAT-registered', () => {
    expect(supplyKind('SE', undefined, 'SE')).toBe('domestic');
    expect(supplyKind('se', 'SE556677889901', 'SE')).toBe('domestic');
    expect(supplyKind('DE', 'DE123456789', 'SE')).toBe('intra-eu-b2b');
    expect(supplyKind('DE', '  ', 'SE')).toBe('oss');
    expect(supplyKind('NO', 'NO987654321MVA', 'SE')).toBe('export');
    expect(supplyKind('US', undefined, 'SE')).toBe('export');
    expect(supplyKind(undefined, undefined, 'SE')).toBe('unknown');
  });

  it('sums the books in base currency per VAT id, country and supply, credit notes netted', () => {
    const r = reconciliation([
      doc('1', 'SE', undefined, side([{ vatId: 'MP1', taxable: 1000_00, vat: 250_00, rate: 25 }])),
      // A credit note on the same VAT id: negative, netted.
      doc('2', 'SE', undefined, side([{ vatId: 'MP1', taxable: -200_00, vat: -50_00, rate: 25 }]), {
        documentType: 'credit-note',
        code: 'VN-CRN-2',
      }),
      doc('3', 'DE', 'DE 123 456 789', side([{ vatId: 'EUVF', taxable: 100_00, vat: 0 }], 11.45)),
      doc('4', 'DE', 'DE123456789', side([{ vatId: 'EUVF', taxable: 50_00, vat: 0 }], 11.45)),
      doc('5', 'DK', undefined, side([{ vatId: 'OSS-DK25', taxable: 80_00, vat: 20_00 }], 1.52)),
      doc('6', 'NO', 'NO987654321MVA', side([{ vatId: 'EXPORT', taxable: 300_00, vat: 0 }])),
      // Unreleased: not in the books yet.
      doc('7', 'SE', undefined, { ...side([{ vatId: 'MP1', taxable: 999_00, vat: 249_75 }]), reported: false }),
    ]);
    const report = buildVatReport(r, 'SE', {
      describe: (id) => ({ MP1: 'Utgående moms 25 %', EUVF: 'Varor till annat EU-land' })[id] ?? id,
      rateOf: (id) => ({ MP1: 25, EUVF: 0 })[id],
    });
    expect(report.byVatId.find((v) => v.vatId === 'MP1')).toEqual({
      vatId: 'MP1',
      description: 'Utgående moms 25 %',
      rate: 25,
      taxable: 800_00,
      vat: 200_00,
      documents: 2,
    });
    expect(report.byCountry.map((c) => [c.country, c.taxable, c.vat])).toEqual([
      ['DE', 1717_50, 0],
      ['DK', 121_60, 30_40],
      ['NO', 300_00, 0],
      ['SE', 800_00, 200_00],
    ]);
    expect(report.bySupply.map((s) => [s.kind, s.country, s.taxable, s.vat])).toEqual([
      ['domestic', undefined, 800_00, 200_00],
      ['intra-eu-b2b', 'DE', 1717_50, 0],
      ['oss', 'DK', 121_60, 30_40],
      ['export', 'NO', 300_00, 0],
    ]);
    // The EU sales list: one buyer however its VAT number was typed.
    expect(report.euSalesList).toEqual([
      {
        vatNumber: 'DE123456789',
        country: 'DE',
        customerNumber: 'C3',
        customerName: 'Customer 3',
        taxable: 1717_50,
        documents: 2,
      },
    ]);
    expect(report.total).toEqual({ taxable: 2939_10, vat: 230_40, documents: 6 });
    expect(report.notes).toEqual([]);
  });

  it('issue 15 #8: gives what each return is filed from apart: domestic VAT, OSS per country, intra-EU B2B, exports', () => {
    const r = reconciliation([
      doc('1', 'SE', undefined, side([{ vatId: 'MP1', taxable: 1000_00, vat: 250_00, rate: 25 }])),
      doc('2', 'SE', 'SE556677889901', side([{ vatId: 'MP2', taxable: 100_00, vat: 12_00, rate: 12 }])),
      doc('3', 'DK', undefined, side([{ vatId: 'OSS-DK25', taxable: 80_00, vat: 20_00 }], 1.52)),
      doc('4', 'DE', undefined, side([{ vatId: 'OSS-DE19', taxable: 100_00, vat: 19_00 }], 11.45)),
      doc('5', 'DE', 'DE123456789', side([{ vatId: 'EUVF', taxable: 50_00, vat: 0 }], 11.45)),
      doc('6', 'NO', undefined, side([{ vatId: 'EXPORT', taxable: 300_00, vat: 0 }])),
      // Dated in the month by AvaTax only (Visma dates it in October): not in this month's books.
      doc('7', 'SE', undefined, { ...side([{ vatId: 'MP1', taxable: 400_00, vat: 100_00 }]), inMonth: false }),
    ]);
    const vr = buildVatReport(r, 'SE').vatReturn;
    // The domestic return: Swedish VAT only, per VAT id; OSS VAT is not on it.
    expect(vr.domestic).toMatchObject({ taxable: 1100_00, vat: 262_00, documents: 2 });
    expect(vr.domestic.byVatId.map((l) => [l.vatId, l.vat])).toEqual([
      ['MP1', 250_00],
      ['MP2', 12_00],
    ]);
    expect(vr.domestic.vat).toBe(vr.domestic.byVatId.reduce((s, l) => s + l.vat, 0));
    expect(vr.oss.byCountry.map((c) => [c.country, c.vat])).toEqual([
      ['DE', 217_55],
      ['DK', 30_40],
    ]);
    expect(vr.oss.vat).toBe(247_95);
    expect(vr.intraEuB2b).toMatchObject({ taxable: 572_50, vat: 0, documents: 1 });
    expect(vr.exports).toMatchObject({ taxable: 300_00, vat: 0, documents: 1 });
    expect(r.vatReturn).toEqual(vr);
  });

  it('says when the month is not clean and when a document has no exchange rate', () => {
    const noRate = side([{ vatId: 'OSS-DE19', taxable: 100_00, vat: 19_00 }]);
    noRate.lines = noRate.lines.map(({ taxableBase: _t, vatBase: _v, ...l }) => l);
    const report = buildVatReport(
      reconciliation([doc('9', 'DE', undefined, noRate, { bucket: 'differs' })], false),
      'SE',
    );
    const notes = report.notes.map((n) => formatReason(n, 'en'));
    expect(notes[0]).toMatch(/November 2026 is not clean: 1 document blocks it/);
    expect(notes[1]).toMatch(/no exchange rate .*: 9/);
    expect(report.total.documents).toBe(0);
  });
});
