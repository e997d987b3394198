import { describe, expect, it } from 'vitest';
import { decide } from '../../electron/engine/decide.js';
import { judgeVat } from '../../electron/engine/variance.js';
import { classify } from '../../electron/month/classify.js';
import type { LedgerDocument, VatLine } from '../../shared/domain.js';
import type { DocumentSide } from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';

/** The bucket decision alone: no server, every branch. */
const side = (over: Partial<DocumentSide> = {}): DocumentSide => ({
  status: 'Open',
  date: '2026-11-10',
  currency: 'SEK',
  net: 100_00,
  vat: 25_00,
  gross: 125_00,
  lines: [{ vatId: 'MP1', taxable: 100_00, vat: 25_00 }],
  reported: true,
  inMonth: true,
  ...over,
});
const committed = (over: Partial<DocumentSide> = {}) => side({ status: 'Committed', ...over });
const ledger = (over: Partial<LedgerDocument> = {}) =>
  ({ key: 'invoice:1', referenceNumber: '1', state: 'posted', reasons: [], ...over }) as LedgerDocument;
const words = (v: ReturnType<typeof classify>) => v.why.map((w) => formatReason(w, 'en').replace(/\u00a0/g, ' '));
const codes = (v: ReturnType<typeof classify>) => v.why.map((w) => w.code);
const acceptance = (bookedTax: number, calculatedTax: number) => ({
  reason: 'Customer-specific rate',
  by: 'user',
  at: '2026-11-20T10:00:00.000Z',
  bookedTax,
  calculatedTax,
  fingerprint: 'x',
});

describe('classify', () => {
  it('matches when amounts, VAT per VAT id, date and status agree', () => {
    expect(classify({ visma: side(), avatax: committed(), ledger: ledger() }, 1).bucket).toBe('matched');
  });

  it('AvaTax records Visma’s VAT to the minor unit; its own calculation may differ by the tolerance per VAT id', () => {
    // What AvaTax records: exactly what Visma booked, as the sync leaves it (never a cent apart).
    const recorded = (n: number) =>
      committed({ vat: 25_00 + n, lines: [{ vatId: 'MP1', taxable: 100_00, vat: 25_00 + n }] });
    const off = classify({ visma: side(), avatax: recorded(1) }, 1);
    expect(off).toMatchObject({ bucket: 'differs', differences: ['tax'] });
    expect(codes(off)).toContain('month-recorded-differs');
    // What AvaTax calculates itself (recorded as Visma's VAT by an override): rounding within the tolerance.
    const calculated = (n: number) =>
      committed({
        overridden: true,
        calculatedVat: 25_00 + n,
        calculated: [{ vatId: 'MP1', taxable: 100_00, vat: 25_00 + n }],
      });
    expect(classify({ visma: side(), avatax: calculated(1) }, 1).bucket).toBe('matched');
    const two = classify({ visma: side(), avatax: calculated(2) }, 1);
    expect(two).toMatchObject({ bucket: 'differs', differences: ['tax'] });
    expect(words(two)).toEqual([
      'Visma booked SEK 25.00 of VAT, AvaTax calculates SEK 25.02',
      'MP1: Visma booked SEK 25.00 on SEK 100.00, AvaTax calculates SEK 25.02 on SEK 100.00',
    ]);
    expect(classify({ visma: side(), avatax: calculated(1) }, 0).bucket).toBe('differs');
  });

  it('issue 15 #1: a Danish sale booked under Swedish MP1 differs though AvaTax records Visma’s VAT as an override', () => {
    // AvaTax's own calculation maps to OSS-DK25 (a cent of rounding apart); it records Visma's 250.00 as an
    // override. The totals agree within the tolerance; the VAT ids do not: the sync holds it in needs attention.
    const booked: VatLine[] = [{ vatId: 'MP1', taxable: 1000_00, vat: 250_00 }];
    const dk: VatLine[] = [{ vatId: 'OSS-DK25', taxable: 1000_00, vat: 250_01 }];
    const avatax = committed({
      vat: 250_00,
      net: 1000_00,
      lines: [{ vatId: 'OSS-DK25', taxable: 1000_00, vat: 250_00 }],
      overridden: true,
      calculatedVat: 250_01,
      calculated: dk,
    });
    const v = classify({ visma: side({ vat: 250_00, net: 1000_00, lines: booked }), avatax }, 1);
    expect(v).toMatchObject({ bucket: 'differs', differences: ['vat-id'] });
    expect(codes(v)).toEqual(['month-calculated-vat-ids', 'month-calculated-line', 'month-calculated-line']);
    expect(v.actions).toEqual(expect.arrayContaining(['accept', 'correct-in-visma']));
    // The one rule, as the engine applies it: the same document is a variance for the sync too.
    expect(judgeVat(booked, dk, 1)).toMatchObject({ withinTolerance: false, kind: 'vat-id' });
  });

  it('issue 15 #1: a document the sync holds in needs attention is never matched, whatever the figures say', () => {
    const held = ledger({ state: 'needs-attention', reasons: ['VAT differs: Visma booked 610.75, AvaTax 146.58'] });
    const v = classify({ visma: side(), avatax: committed(), ledger: held }, 1);
    expect(v).toMatchObject({ bucket: 'differs', differences: ['state'] });
    expect(words(v)).toEqual(['The sync holds it in needs attention: VAT differs: Visma booked 610.75, AvaTax 146.58']);
    expect(v.actions).toEqual(expect.arrayContaining(['reprocess', 'accept']));
    // Not accepted either, though an old acceptance is on the row.
    const accepted = ledger({ state: 'needs-attention', reasons: ['x'], acceptance: acceptance(25_00, 6_00) });
    const avatax = committed({
      overridden: true,
      calculatedVat: 6_00,
      calculated: [{ vatId: 'MP3', taxable: 100_00, vat: 6_00 }],
    });
    expect(classify({ visma: side(), avatax, ledger: accepted }, 1).bucket).toBe('differs');
    // Flagged and waiting ones neither.
    expect(classify({ visma: side(), avatax: committed(), ledger: ledger({ state: 'flagged' }) }, 1).actions).toContain(
      'fix-address',
    );
    expect(classify({ visma: side(), avatax: committed(), ledger: ledger({ state: 'pending-retry' }) }, 1).bucket).toBe(
      'differs',
    );
  });

  it('the engine and the reconciliation agree: decide() needs attention exactly when classify() differs', () => {
    // One released, committed document; AvaTax records Visma's VAT; its own calculation under three VAT ids.
    for (const calc of [
      [{ vatId: 'MP1', taxable: 1000_00, vat: 250_00 }],
      [{ vatId: 'MP1', taxable: 1000_00, vat: 250_01 }],
      [{ vatId: 'MP1', taxable: 1000_00, vat: 250_02 }],
      [{ vatId: 'OSS-DK25', taxable: 1000_00, vat: 250_00 }],
      [{ vatId: 'OSS-DK25', taxable: 1000_00, vat: 250_01 }],
      [{ vatId: 'MP3', taxable: 1000_00, vat: 60_00 }],
    ] satisfies VatLine[][]) {
      const booked: VatLine[] = [{ vatId: 'MP1', taxable: 1000_00, vat: 250_00 }];
      const step = decide(engineFacts(booked, calc), () => []);
      const engineHolds = step.do === 'finish' && step.outcome.state === 'needs-attention';
      const avatax = committed({
        vat: 250_00,
        net: 1000_00,
        lines: calc.map((c) => ({ ...c, vat: 250_00 })),
        overridden: true,
        calculated: calc,
        ...(calc[0]!.vat !== 250_00 ? { calculatedVat: calc[0]!.vat } : {}),
      });
      const month = classify({ visma: side({ vat: 250_00, net: 1000_00, lines: booked }), avatax }, 1);
      expect(month.bucket === 'differs', JSON.stringify(calc)).toBe(engineHolds);
    }
  });

  it('a different VAT id, amount, date, currency or exchange rate differs, with the fix for a committed document', () => {
    const vatId = classify(
      { visma: side(), avatax: committed({ lines: [{ vatId: 'MP2', taxable: 100_00, vat: 25_00 }] }) },
      1,
    );
    expect(vatId.differences).toEqual(['vat-id']);
    expect(vatId.actions).toEqual(expect.arrayContaining(['correct-in-visma', 'adjust']));
    expect(classify({ visma: side(), avatax: committed({ net: 90_00 }) }, 1).differences).toEqual(['amount']);
    const date = classify({ visma: side(), avatax: committed({ date: '2026-12-01' }) }, 1);
    expect(date).toMatchObject({ differences: ['date'], actions: ['adjust'] });
    expect(words(date)[0]).toBe(
      "Visma dates it 10/11/2026, AvaTax 01/12/2026: each side's VAT counts in the month that side dates it",
    );
    expect(classify({ visma: side(), avatax: committed({ currency: 'EUR' }) }, 1).differences).toContain('currency');
    const rate = classify(
      {
        visma: side({ currency: 'EUR', exchangeRate: 11.45 }),
        avatax: committed({ currency: 'EUR', exchangeRate: 1 }),
      },
      1,
    );
    expect(rate).toMatchObject({ bucket: 'differs', differences: ['exchange-rate'], actions: ['adjust'] });
    // A rate kept to fewer decimals than Visma's is the same rate as far as six decimals go.
    const kept = classify(
      {
        visma: side({ currency: 'EUR', exchangeRate: 11.452_100_4 }),
        avatax: committed({ currency: 'EUR', exchangeRate: 11.4521 }),
      },
      1,
    );
    expect(kept.bucket).toBe('matched');
  });

  it('compares the buyer VAT number the ledger knows with the one AvaTax recorded', () => {
    const v = classify(
      { visma: side(), avatax: committed({ vatNumber: 'DK12345678' }), ledger: ledger({ vatNumber: 'DK 1234 5679' }) },
      1,
    );
    expect(v.differences).toEqual(['vat-number']);
    expect(words(v)[0]).toBe('Buyer VAT number: Visma DK12345679, AvaTax DK12345678');
    expect(
      classify(
        { visma: side(), avatax: committed({ vatNumber: 'dk12345678' }), ledger: ledger({ vatNumber: 'DK12345678' }) },
        1,
      ).bucket,
    ).toBe('matched');
  });

  it('uncommitted at month end: released in Visma → commit; unreleased → release in Visma', () => {
    const saved = side({ status: 'Saved', reported: false });
    expect(classify({ visma: side(), avatax: saved }, 1)).toMatchObject({ bucket: 'uncommitted', actions: ['commit'] });
    expect(classify({ visma: side({ status: 'Balanced', reported: false }), avatax: saved }, 1)).toMatchObject({
      bucket: 'uncommitted',
      actions: ['release-in-visma'],
    });
  });

  it('committed in AvaTax while Visma has not released it: AvaTax reports what Visma has not booked', () => {
    const v = classify({ visma: side({ status: 'Hold', reported: false }), avatax: committed() }, 1);
    expect(v).toMatchObject({ bucket: 'differs', differences: ['status'], actions: ['release-in-visma'] });
  });

  it('voided in Visma: matched when AvaTax voided it too, differs (void) while AvaTax still reports it', () => {
    expect(classify({ visma: side({ status: 'Voided' }), avatax: side({ status: 'Cancelled' }) }, 1).bucket).toBe(
      'matched',
    );
    expect(classify({ visma: side({ status: 'Voided' }) }, 1).bucket).toBe('matched');
    expect(classify({ visma: side({ status: 'Voided' }), avatax: committed() }, 1)).toMatchObject({
      bucket: 'differs',
      actions: ['void'],
    });
  });

  it('only in Visma: the ledger says why and what fixes it', () => {
    expect(classify({ visma: side() }, 1)).toMatchObject({ bucket: 'onlyInVisma', actions: ['reprocess'] });
    const flagged = classify(
      { visma: side(), ledger: ledger({ state: 'flagged', reasons: ['Postal code 123 is not Swedish'] }) },
      1,
    );
    expect(flagged.actions).toEqual(['fix-address']);
    expect(words(flagged)).toEqual(['Flagged address: Postal code 123 is not Swedish']);
    expect(words(classify({ visma: side(), avatax: side({ status: 'Cancelled' }) }, 1))[0]).toMatch(/Cancelled/);
    expect(classify({ vismaProblems: ['The document has no lines'] }, 1)).toMatchObject({
      bucket: 'onlyInVisma',
      actions: ['correct-in-visma'],
    });
  });

  it('only in AvaTax: ours deleted in Visma, or another system’s; both voided to fix', () => {
    expect(words(classify({ avatax: committed(), ledger: ledger() }, 1))[0]).toMatch(/Visma no longer has it/);
    const foreign = classify({ avatax: committed(), foreign: true }, 1);
    expect(foreign).toMatchObject({ bucket: 'onlyInAvatax', actions: ['void'] });
    expect(words(foreign)[0]).toMatch(/never made it/);
  });

  it('a recorded override that AvaTax calculates differently differs until accepted, then is accepted', () => {
    const overridden = committed({
      overridden: true,
      calculatedVat: 6_00,
      calculated: [{ vatId: 'MP1', taxable: 100_00, vat: 6_00 }],
    });
    const open = classify({ visma: side(), avatax: overridden, ledger: ledger({ state: 'posted' }) }, 1);
    expect(open).toMatchObject({ bucket: 'differs', differences: ['tax'] });
    expect(words(open)[0]).toBe('Visma booked SEK 25.00 of VAT, AvaTax calculates SEK 6.00');
    expect(open.actions).toEqual(expect.arrayContaining(['accept', 'correct-in-visma']));
    const accepted = classify(
      { visma: side(), avatax: overridden, ledger: ledger({ acceptance: acceptance(25_00, 6_00) }) },
      1,
    );
    expect(accepted).toMatchObject({ bucket: 'accepted' });
    expect(words(accepted)[0]).toBe(
      'Difference accepted by user on 10/11/2026: Customer-specific rate'.replace('10/11', '20/11'),
    );
    // An acceptance does not hide a difference in what AvaTax recorded, nor one for another booking.
    expect(
      classify(
        {
          visma: side(),
          avatax: committed({ ...overridden, vat: 20_00 }),
          ledger: ledger({ acceptance: acceptance(25_00, 6_00) }),
        },
        1,
      ).bucket,
    ).toBe('differs');
    expect(
      classify({ visma: side(), avatax: overridden, ledger: ledger({ acceptance: acceptance(30_00, 6_00) }) }, 1)
        .bucket,
    ).toBe('differs');
  });

  it('accepting what Visma booked on a line without a VAT category ends the block when the VAT agrees', () => {
    // Visma has no VAT id on the line (taxable nowhere), AvaTax puts it on EUVF at 0 %: the same VAT, spread apart.
    const visma = side({ vat: 0, gross: 100_00, lines: [] });
    const euvf = [{ vatId: 'EUVF', taxable: 100_00, vat: 0 }];
    const avatax = committed({ vat: 0, gross: 100_00, lines: euvf, overridden: true, calculated: euvf });
    const open = classify({ visma, avatax, ledger: ledger({ state: 'posted' }) }, 1);
    expect(open).toMatchObject({ bucket: 'differs', differences: ['vat-id'] });
    expect(open.actions).toEqual(expect.arrayContaining(['accept', 'correct-in-visma']));
    const accepted = classify({ visma, avatax, ledger: ledger({ acceptance: acceptance(0, 0) }) }, 1);
    expect(accepted).toMatchObject({ bucket: 'accepted', differences: [], actions: [] });
    expect(words(accepted)).toEqual([
      'Difference accepted by user on 20/11/2026: Customer-specific rate',
      'EUVF: Visma booked SEK 0.00 on SEK 0.00, AvaTax calculates SEK 0.00 on SEK 100.00',
    ]);
    // Not before AvaTax committed it, nor while Visma has not released it.
    const saved = side({ ...avatax, status: 'Saved', reported: false });
    expect(classify({ visma, avatax: saved, ledger: ledger({ acceptance: acceptance(0, 0) }) }, 1).bucket).toBe(
      'differs',
    );
    const held = side({ ...visma, status: 'Balanced', reported: false });
    expect(classify({ visma: held, avatax, ledger: ledger({ acceptance: acceptance(0, 0) }) }, 1).bucket).toBe(
      'differs',
    );
  });
});

/** The sync's facts for a released document AvaTax holds committed with Visma's VAT recorded as overrides. */
function engineFacts(booked: VatLine[], calculated: VatLine[]): Parameters<typeof decide>[0] {
  const recorded = calculated.map((c) => ({ ...c, vat: 250_00 }));
  return {
    trigger: 'scheduled',
    policy: { commit: 'on-release', tolerance: 1, releaseAfterVerify: false, appendNote: false },
    raw: { kind: 'invoice', referenceNumber: '1' } as never,
    doc: {
      key: 'invoice:1',
      kind: 'invoice',
      referenceNumber: '1',
      code: 'VN-INV-1',
      status: 'Open',
      released: true,
      voided: false,
      customerNumber: '10001',
      customerName: 'x',
      date: '2026-11-10',
      currency: 'SEK',
      amount: 1250_00,
      lines: [{ number: 1, amount: 1000_00, quantity: 1, vatCategoryId: 'STD' }],
      vatZoneId: '01',
      booked,
      bookedTotal: 250_00,
      timeStamp: 'A',
      lastModified: '2026-11-10T10:00:00.000',
    } as never,
    problems: [],
    shipTo: { address: { line1: 'x', city: 'y', postalCode: '1', country: 'SE' }, source: 'main-address' } as never,
    fingerprint: 'f',
    address: { valid: true, reasons: [] } as never,
    avatax: {
      status: 'Committed',
      current: true,
      mapped: {
        lines: [],
        recorded,
        calculated,
        recordedTax: 250_00,
        calculatedTax: calculated.reduce((s, c) => s + c.vat, 0),
        overridden: true,
        problems: [],
      },
    },
    wrote: 0,
    recorded: 0,
  };
}
