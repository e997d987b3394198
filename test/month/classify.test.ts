import { describe, expect, it } from 'vitest';
import { classify } from '../../electron/month/classify.js';
import type { LedgerDocument } from '../../shared/domain.js';
import type { DocumentSide } from '../../shared/month.js';

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
  ...over,
});
const committed = (over: Partial<DocumentSide> = {}) => side({ status: 'Committed', ...over });
const ledger = (over: Partial<LedgerDocument> = {}) =>
  ({ key: 'invoice:1', referenceNumber: '1', state: 'posted', reasons: [], ...over }) as LedgerDocument;

describe('classify', () => {
  it('matches when amounts, VAT per VAT id, date and status agree', () => {
    expect(classify({ visma: side(), avatax: committed(), ledger: ledger() }, 1).bucket).toBe('matched');
  });

  it('allows the tolerance per VAT id (default one minor unit), not more', () => {
    const off = (n: number) =>
      committed({ vat: 25_00 + n, lines: [{ vatId: 'MP1', taxable: 100_00, vat: 25_00 + n }] });
    expect(classify({ visma: side(), avatax: off(1) }, 1).bucket).toBe('matched');
    const two = classify({ visma: side(), avatax: off(2) }, 1);
    expect(two).toMatchObject({ bucket: 'differs', differences: ['tax'] });
    expect(two.why[0]).toBe('MP1: Visma booked 25.00 SEK on 100.00 SEK, AvaTax recorded 25.02 SEK on 100.00 SEK');
    expect(classify({ visma: side(), avatax: off(2) }, 0).bucket).toBe('differs');
    expect(classify({ visma: side(), avatax: off(1) }, 0).bucket).toBe('differs');
  });

  it('a different VAT id, amount, date or currency differs, with the fix for a committed document', () => {
    const vatId = classify(
      { visma: side(), avatax: committed({ lines: [{ vatId: 'MP2', taxable: 100_00, vat: 25_00 }] }) },
      1,
    );
    expect(vatId.differences).toEqual(['vat-id']);
    expect(vatId.actions).toEqual(['correct-in-visma', 'adjust']);
    expect(classify({ visma: side(), avatax: committed({ net: 90_00 }) }, 1).differences).toEqual(['amount']);
    expect(classify({ visma: side(), avatax: committed({ date: '2026-12-01' }) }, 1)).toMatchObject({
      differences: ['date'],
      actions: ['adjust'],
    });
    expect(classify({ visma: side(), avatax: committed({ currency: 'EUR' }) }, 1).differences).toContain('currency');
  });

  it('compares the buyer VAT number the ledger knows with the one AvaTax recorded', () => {
    const v = classify(
      { visma: side(), avatax: committed({ vatNumber: 'DK12345678' }), ledger: ledger({ vatNumber: 'DK 1234 5679' }) },
      1,
    );
    expect(v.differences).toEqual(['vat-number']);
    expect(v.why[0]).toBe('Buyer VAT number: Visma DK12345679, AvaTax DK12345678');
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
    expect(
      classify({ visma: side(), ledger: ledger({ state: 'flagged', reasons: ['Postal code 123 is not Swedish'] }) }, 1),
    ).toMatchObject({ actions: ['fix-address'], why: ['Flagged address: Postal code 123 is not Swedish'] });
    expect(classify({ visma: side(), avatax: side({ status: 'Cancelled' }) }, 1).why[0]).toMatch(/Cancelled/);
    expect(classify({ vismaProblems: ['The document has no lines'] }, 1)).toMatchObject({
      bucket: 'onlyInVisma',
      actions: ['correct-in-visma'],
    });
  });

  it('only in AvaTax: ours deleted in Visma, or another system’s; both voided to fix', () => {
    expect(classify({ avatax: committed(), ledger: ledger() }, 1).why[0]).toMatch(/Visma no longer has it/);
    expect(classify({ avatax: committed(), foreign: true }, 1)).toMatchObject({
      bucket: 'onlyInAvatax',
      actions: ['void'],
      why: [expect.stringMatching(/never made it/)],
    });
  });

  it('a recorded override that AvaTax calculates differently differs until accepted, then is accepted', () => {
    const overridden = committed({ calculatedVat: 6_00 });
    const open = classify({ visma: side(), avatax: overridden, ledger: ledger({ state: 'needs-attention' }) }, 1);
    expect(open).toMatchObject({ bucket: 'differs', differences: ['tax'] });
    expect(open.why[0]).toMatch(/records the VAT Visma booked \(25.00 SEK\) but calculates 6.00 SEK/);
    expect(open.actions).toEqual(expect.arrayContaining(['accept', 'correct-in-visma']));
    const acceptance = {
      reason: 'Customer-specific rate',
      by: 'user' as const,
      at: '2026-11-20T10:00:00.000Z',
      bookedTax: 25_00,
      calculatedTax: 6_00,
      fingerprint: 'x',
    };
    const accepted = classify({ visma: side(), avatax: overridden, ledger: ledger({ acceptance }) }, 1);
    expect(accepted).toMatchObject({ bucket: 'accepted' });
    expect(accepted.why[0]).toMatch(/accepted by user on 2026-11-20: Customer-specific rate/);
    // An acceptance does not hide a difference in what AvaTax recorded.
    expect(
      classify(
        { visma: side(), avatax: committed({ vat: 20_00, calculatedVat: 6_00 }), ledger: ledger({ acceptance }) },
        1,
      ).bucket,
    ).toBe('differs');
  });

  it('accepting what Visma booked on a line without a VAT category ends the block when the VAT agrees', () => {
    // Visma has no VAT id on the line (taxable nowhere), AvaTax puts it on EUVF at 0 %: the same VAT, spread apart.
    const visma = side({ vat: 0, gross: 100_00, lines: [] });
    const avatax = committed({ vat: 0, gross: 100_00, lines: [{ vatId: 'EUVF', taxable: 100_00, vat: 0 }] });
    const open = classify({ visma, avatax, ledger: ledger({ state: 'needs-attention' }) }, 1);
    expect(open).toMatchObject({ bucket: 'differs', differences: ['vat-id'] });
    expect(open.actions).toEqual(expect.arrayContaining(['accept', 'correct-in-visma']));
    const acceptance = {
      reason: 'Intra-EU supply, reported by hand',
      by: 'user' as const,
      at: '2026-11-20T10:00:00.000Z',
      bookedTax: 0,
      calculatedTax: 0,
      fingerprint: 'x',
    };
    const accepted = classify({ visma, avatax, ledger: ledger({ acceptance }) }, 1);
    expect(accepted).toMatchObject({ bucket: 'accepted', differences: [], actions: [] });
    expect(accepted.why).toEqual([
      'Difference accepted by user on 2026-11-20: Intra-EU supply, reported by hand',
      'EUVF: Visma booked 0.00 SEK on 0.00 SEK, AvaTax recorded 0.00 SEK on 100.00 SEK',
    ]);
    // Not when the VAT itself differs, nor before AvaTax committed it, nor while Visma has not released it.
    const more = committed({ vat: 5_00, lines: [{ vatId: 'EUVF', taxable: 100_00, vat: 5_00 }] });
    expect(classify({ visma, avatax: more, ledger: ledger({ acceptance }) }, 1).bucket).toBe('differs');
    const saved = side({ ...avatax, status: 'Saved', reported: false });
    expect(classify({ visma, avatax: saved, ledger: ledger({ acceptance }) }, 1).bucket).toBe('differs');
    const held = side({ ...visma, status: 'Balanced', reported: false });
    expect(classify({ visma: held, avatax, ledger: ledger({ acceptance }) }, 1).bucket).toBe('differs');
  });
});
