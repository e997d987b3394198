import { describe, expect, it } from 'vitest';
import { decide } from '../../electron/engine/decide.js';
import type { AvaTaxFacts, Facts, Step } from '../../electron/engine/facts.js';
import type { MappedTransaction } from '../../electron/engine/vat-mapping.js';
import type { ReadableDocument } from '../../electron/engine/visma-document.js';
import type { LedgerDocument, VatLine } from '../../shared/domain.js';
import { formatReason } from '../../shared/reason-format.js';
import { reason } from '../../shared/reasons.js';
import { ledgerDoc } from '../helpers/ledger.js';
import { text } from '../helpers/reasons.js';

/**
 * The decision machine without a server: a document's next step from its ledger entry, Visma's document,
 * AvaTax's document and what triggered it.
 */
const SHIP_TO = { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' };
const MP1 = (taxable: number, vat: number): VatLine => ({ vatId: 'MP1', taxable, vat });
const MP3 = (taxable: number, vat: number): VatLine => ({ vatId: 'MP3', taxable, vat });
const MP2 = (taxable: number, vat: number): VatLine => ({ vatId: 'MP2', taxable, vat });
/** Two VAT ids without VAT (an EU sale, an export): the same total, other taxable amounts. */
const noVat = (vatId: string, taxable: number): VatLine => ({ vatId, taxable, vat: 0 });

function doc(over: Partial<ReadableDocument> = {}): ReadableDocument {
  return {
    key: 'invoice:260001',
    kind: 'invoice',
    referenceNumber: '260001',
    code: 'VN-INV-260001',
    status: 'Balanced',
    released: false,
    voided: false,
    customerNumber: '10001',
    customerName: 'Åkesson & Söner AB',
    date: '2026-11-20',
    currency: 'SEK',
    amount: 125_000,
    lines: [{ number: 1, amount: 100_000, quantity: 1, itemCode: 'BOK-HANDB', vatCategoryId: 'STD' }],
    vatZoneId: '01',
    booked: [MP1(100_000, 25_000)],
    bookedTotal: 25_000,
    timeStamp: 'AAA1',
    lastModified: '2026-11-20T10:00:00.000',
    ...over,
  };
}

function mapped(calculated: VatLine[], over: Partial<MappedTransaction> = {}): MappedTransaction {
  const tax = calculated.reduce((s, v) => s + v.vat, 0);
  return {
    lines: calculated.map((v, i) => ({
      lineNumber: i + 1,
      amount: v.taxable,
      taxableAmount: v.taxable,
      tax: v.vat,
      taxCalculated: v.vat,
      rate: v.taxable ? v.vat / v.taxable : 0,
      taxCountry: 'SE',
      country: 'SE',
      reverseCharge: false,
      vatZoneId: '01',
      vatCategoryId: v.vatId === 'MP3' ? 'BOOK' : 'STD',
      vatId: v.vatId,
    })),
    recorded: calculated,
    calculated,
    recordedTax: tax,
    calculatedTax: tax,
    vatZoneId: '01',
    overridden: false,
    problems: [],
    ...over,
  };
}

function avatax(status: string, m: MappedTransaction, over: Partial<AvaTaxFacts> = {}): AvaTaxFacts {
  return { status, current: true, fingerprint: 'fp1', mapped: m, ...over };
}

function facts(over: Partial<Facts> = {}): Facts {
  const d = over.doc ?? doc();
  return {
    trigger: 'scheduled',
    policy: { commit: 'on-release', tolerance: 1, releaseAfterVerify: false, appendNote: false },
    raw: {
      kind: 'invoice',
      referenceNumber: d.referenceNumber,
      status: d.status,
      customerNumber: d.customerNumber,
      customerName: d.customerName,
      documentDate: d.date,
      currency: d.currency,
      amount: 1250,
      vatTotal: 250,
      lines: [],
      lastModifiedDateTime: d.lastModified,
      timeStamp: d.timeStamp,
    },
    doc: d,
    problems: [],
    shipTo: { address: SHIP_TO, source: 'location', locationId: 'MAIN' },
    fingerprint: 'fp1',
    address: { valid: true, reasons: [], checkedBy: 'local-rules' },
    wrote: 0,
    recorded: 0,
    ...over,
  };
}

const step = (f: Facts): Step => decide(f, (d) => d.map((x) => reason('text', { text: `${x.vatId} differs` })));
const outcome = (s: Step) => (s.do === 'finish' ? s.outcome : undefined);

function posted(over: Partial<LedgerDocument> = {}): LedgerDocument {
  return ledgerDoc('260001', '2026-11-20', {
    state: 'posted',
    fingerprint: 'fp1',
    avataxStatus: 'Committed',
    booked: [MP1(100_000, 25_000)],
    bookedTax: 25_000,
    recordedTax: 25_000,
    vismaTimeStamp: 'AAA1',
    ...over,
  });
}

describe('a document Visma cannot describe', () => {
  it('needs attention with the reasons, and nothing is sent anywhere', () => {
    const s = step(facts({ doc: undefined, problems: [{ code: 'document-no-lines' }] }));
    expect(outcome(s)).toMatchObject({ state: 'needs-attention', reasons: [{ code: 'document-no-lines' }] });
  });
});

describe('voided or deleted in Visma', () => {
  it('voids the AvaTax document, then is voided', () => {
    const f = facts({ doc: doc({ voided: true, status: 'Voided' }), previous: posted() });
    expect(step(f)).toEqual({ do: 'void', reason: 'DocVoided' });
    const after = { ...f, avatax: avatax('Cancelled', mapped([])) };
    expect(outcome(step(after))?.state).toBe('voided');
  });

  it('a deleted unreleased document: its Saved AvaTax document is voided, never left to be reported', () => {
    const f = facts({ deleted: true, previous: posted({ state: 'calculated', avataxStatus: 'Saved' }) });
    expect(step(f)).toEqual({ do: 'void', reason: 'DocDeleted' });
  });
});

describe('addresses', () => {
  it('no ship-to address is flagged', () => {
    expect(outcome(step(facts({ shipTo: {} })))?.state).toBe('flagged');
  });

  it('checks the address first, and flags an invalid one without calling AvaTax', () => {
    expect(step(facts({ address: undefined }))).toEqual({ do: 'check-address' });
    const s = step(
      facts({
        address: {
          valid: false,
          reasons: [reason('text', { text: 'Postal code "ABC" does not match' })],
          checkedBy: 'local-rules',
        },
      }),
    );
    expect(outcome(s)).toMatchObject({
      state: 'flagged',
      reasons: [reason('text', { text: 'Postal code "ABC" does not match' })],
    });
  });
});

describe('nothing changed since the document was settled', () => {
  it('our own write seen again: quiet, no ledger rewrite, no audit entry', () => {
    expect(outcome(step(facts({ previous: posted() })))).toMatchObject({ quiet: true, state: 'posted' });
  });

  it('still waiting for the user: quiet', () => {
    const prev = posted({ state: 'flagged', reasons: ['City is missing'] });
    expect(outcome(step(facts({ previous: prev })))).toMatchObject({ quiet: true, state: 'flagged' });
  });

  it("Visma's VAT changed after the commit: needs attention, never a silent skip", () => {
    const f = facts({ previous: posted(), doc: doc({ booked: [MP1(100_000, 12_000)] }) });
    expect(outcome(step(f))).toMatchObject({ state: 'needs-attention' });
    expect(text(outcome(step(f))?.reasons[0])).toMatch(/Adjust it in AvaTax/);
  });
  it("Visma's VAT moved to another VAT id after the commit, the total the same: the reason names the VAT ids", () => {
    const f = facts({ previous: posted(), doc: doc({ booked: [MP2(100_000, 25_000)] }) });
    const reason = text(outcome(step(f))?.reasons[0]);
    expect(reason).toMatch(
      /VAT id MP1: Visma booked SEK\u00a00\.00, AvaTax SEK\u00a0250\.00; VAT id MP2: Visma booked SEK\u00a0250\.00/,
    );
    expect(reason).not.toMatch(/SEK\u00a0250\.00 then, SEK\u00a0250\.00 now/);
  });
});

describe('released before we saw it (Open, Closed): never written to', () => {
  const released = doc({ released: true, status: 'Open' });

  it('records in AvaTax, committed, exactly what Visma booked', () => {
    expect(step(facts({ doc: released }))).toEqual({ do: 'record-booked', commit: true, adjust: false });
  });

  it('within rounding of AvaTax’s own figure: posted', () => {
    const m = mapped([MP1(100_000, 25_001)], {
      recorded: [MP1(100_000, 25_000)],
      recordedTax: 25_000,
      overridden: true,
    });
    const s = step(facts({ doc: released, avatax: avatax('Committed', m) }));
    expect(outcome(s)).toMatchObject({ state: 'posted', action: 'verified' });
  });

  it('AvaTax calculates otherwise: needs attention with both figures and the two ways out', () => {
    const m = mapped([MP3(100_000, 6_000)], {
      recorded: [MP1(100_000, 25_000)],
      recordedTax: 25_000,
      overridden: true,
    });
    const o = outcome(step(facts({ doc: released, avatax: avatax('Committed', m) })))!;
    expect(o.state).toBe('needs-attention');
    expect(text(o.reasons[0])).toBe('VAT differs: Visma booked SEK\u00a0250.00, AvaTax calculates SEK\u00a060.00');
    expect(o.reasons.map(text).join(' ')).toMatch(/Correct it in Visma/);
    expect(o.reasons.map(text).join(' ')).toMatch(/accept it as booked/);
    // A code with money values, never a sentence with decimals: each language says it its own way.
    expect(o.reasons[0]).toEqual({
      code: 'variance-total',
      params: { booked: { money: 25_000, currency: 'SEK' }, calculated: { money: 6_000, currency: 'SEK' } },
    });
    expect(formatReason(o.reasons[0]!, 'sv')).toBe(
      'Momsavvikelse: Visma bokförde 250,00\u00a0SEK, AvaTax beräknar 60,00\u00a0SEK',
    );
    expect(formatReason(o.reasons[0]!, 'de')).toBe(
      'MwSt.-Abweichung: Visma hat 250,00\u00a0SEK gebucht, AvaTax berechnet 60,00\u00a0SEK',
    );
  });

  it('accept as booked: posted, with the acceptance recorded', () => {
    const m = mapped([MP3(100_000, 6_000)], {
      recorded: [MP1(100_000, 25_000)],
      recordedTax: 25_000,
      overridden: true,
    });
    const o = outcome(
      step(
        facts({ doc: released, avatax: avatax('Committed', m), trigger: 'accept', reason: 'Agreed with the customer' }),
      ),
    )!;
    expect(o).toMatchObject({ state: 'posted', action: 'accepted' });
    expect(o.acceptance).toMatchObject({ reason: 'Agreed with the customer', bookedTax: 25_000, calculatedTax: 6_000 });
  });

  it('the total agrees but the VAT ids differ: the reason names each VAT id with both amounts', () => {
    const m = mapped([MP2(100_000, 25_000)], { recorded: [MP1(100_000, 25_000)], overridden: true });
    const o = outcome(step(facts({ doc: released, avatax: avatax('Committed', m) })))!;
    expect(o.state).toBe('needs-attention');
    expect(text(o.reasons[0])).toBe(
      'VAT differs per VAT id, though the total agrees (SEK\u00a0250.00): VAT id MP1: Visma booked SEK\u00a0250.00, AvaTax SEK\u00a00.00; VAT id MP2: Visma booked SEK\u00a00.00, AvaTax SEK\u00a0250.00',
    );
    expect(o.reasons.map(text).join(' ')).not.toMatch(
      /Visma booked SEK\u00a0250\.00, AvaTax calculates SEK\u00a0250\.00/,
    );
  });

  it('no VAT on either side, under other VAT ids: the taxable amounts per VAT id, never "0.00 against 0.00"', () => {
    const zero = doc({ released: true, status: 'Open', booked: [noVat('EUS', 100_000)], bookedTotal: 0 });
    const m = mapped([noVat('EXP', 100_000)], { recorded: [noVat('EUS', 100_000)], overridden: true });
    const o = outcome(step(facts({ doc: zero, avatax: avatax('Committed', m) })))!;
    expect(o.state).toBe('needs-attention');
    expect(text(o.reasons[0])).toBe(
      'VAT differs per VAT id, though the total agrees (SEK\u00a00.00): VAT id EUS: Visma books SEK\u00a01,000.00 taxable under it, AvaTax SEK\u00a00.00 (the same VAT, SEK\u00a00.00); VAT id EXP: Visma books SEK\u00a00.00 taxable under it, AvaTax SEK\u00a01,000.00 (the same VAT, SEK\u00a00.00)',
    );
    expect(o.reasons.map(text).join(' ')).not.toMatch(/booked SEK\u00a00\.00, AvaTax calculates SEK\u00a00\.00/);
  });

  it('an acceptance names the person who accepted it, not the kind of actor', () => {
    const m = mapped([MP3(100_000, 6_000)], {
      recorded: [MP1(100_000, 25_000)],
      recordedTax: 25_000,
      overridden: true,
    });
    const o = outcome(
      step(facts({ doc: released, avatax: avatax('Committed', m), trigger: 'accept', reason: 'Agreed', by: 'anna' })),
    )!;
    expect(o.acceptance?.by).toBe('anna');
    expect(text(o.detail)).toMatch(/^Accepted as booked by anna: /);
  });

  it('a calculated document released since: committed as it is when Visma still books what AvaTax holds', () => {
    const prev = posted({ state: 'calculated', avataxStatus: 'Saved' });
    expect(step(facts({ doc: released, previous: prev }))).toEqual({ do: 'commit' });
  });

  it('a document voided in AvaTax is never posted: needs attention, unless the user reprocesses it', () => {
    const m = mapped([MP1(100_000, 25_000)]);
    const o = outcome(step(facts({ doc: released, avatax: avatax('Cancelled', m) })))!;
    expect(o.state).toBe('needs-attention');
    expect(text(o.reasons[0])).toMatch(/voided in AvaTax/);
    expect(step(facts({ doc: released, avatax: avatax('Cancelled', m), trigger: 'reprocess' }))).toEqual({
      do: 'record-booked',
      commit: true,
      adjust: true,
    });
  });
});

describe('unreleased (Hold, Balanced): verified write-back', () => {
  it('calculates in AvaTax first', () => {
    expect(step(facts())).toEqual({ do: 'calculate', adjust: false });
  });

  it('sends only what differs: the zone and the categories, never the note', () => {
    const m = mapped([MP3(100_000, 6_000)], { vatZoneId: 'SE' });
    const s = step(facts({ avatax: avatax('Saved', m), doc: doc({ note: 'Leverans via DHL' }) }));
    expect(s.do).toBe('write-back');
    if (s.do !== 'write-back') return;
    expect(s.change.vatZoneId).toBe('SE');
    expect(s.change.lines).toEqual([{ lineNumber: 1, vatCodeId: 'BOOK' }]);
    expect(s.change.taxDetails).toEqual([{ taxId: 'MP3', taxableAmount: 1000, vatAmount: 60 }]);
    expect(s.change.note).toBeUndefined();
  });

  it('appends the AvaTax reference to the user’s note only when asked, keeping what they wrote', () => {
    const m = mapped([MP3(100_000, 6_000)]);
    const f = facts({ avatax: avatax('Saved', m), doc: doc({ note: 'Leverans via DHL' }) });
    const s = step({ ...f, policy: { ...f.policy, appendNote: true } });
    expect(s.do === 'write-back' && s.change.note).toBe('Leverans via DHL\nAvaTax: VN-INV-260001');
  });

  it('read back equal: calculated, awaiting release; under commit immediately, committed now', () => {
    const m = mapped([MP1(100_000, 25_000)]);
    const f = facts({ avatax: avatax('Saved', m), wrote: 1 });
    expect(outcome(step(f))).toMatchObject({ state: 'calculated', action: 'awaiting-release' });
    expect(step({ ...f, policy: { ...f.policy, commit: 'immediately' } })).toEqual({ do: 'commit' });
  });

  it('one öre of rounding per VAT id: AvaTax records exactly what Visma booked', () => {
    const m = mapped([MP1(100_000, 25_001)]);
    expect(step(facts({ avatax: avatax('Saved', m) }))).toEqual({ do: 'record-booked', commit: false, adjust: false });
  });

  it('Visma booked something else after the write: needs attention with both figures, no second write', () => {
    const m = mapped([MP3(100_000, 6_000)]);
    const o = outcome(step(facts({ avatax: avatax('Saved', m), wrote: 1 })))!;
    expect(o.state).toBe('needs-attention');
    expect(text(o.reasons[0])).toBe(
      'Visma did not book what was sent: it booked SEK\u00a0250.00, AvaTax calculated SEK\u00a060.00',
    );
  });

  it('Visma books the same total under other VAT ids than were sent: the reason names them', () => {
    const m = mapped([MP2(100_000, 25_000)]);
    const o = outcome(step(facts({ avatax: avatax('Saved', m), wrote: 1 })))!;
    expect(o.state).toBe('needs-attention');
    expect(text(o.reasons[0])).toBe(
      'Visma did not book what was sent: the total agrees (SEK\u00a0250.00), the VAT ids do not: VAT id MP1: Visma booked SEK\u00a0250.00, AvaTax SEK\u00a00.00; VAT id MP2: Visma booked SEK\u00a00.00, AvaTax SEK\u00a0250.00',
    );
  });

  it('accepting keeps what Visma booked: nothing is written, AvaTax records it', () => {
    const m = mapped([MP3(100_000, 6_000)]);
    expect(step(facts({ avatax: avatax('Saved', m), trigger: 'accept', reason: 'ok' }))).toEqual({
      do: 'record-booked',
      commit: false,
      adjust: false,
    });
  });
});

describe('a committed document changed afterwards', () => {
  const changed = { previous: posted({ fingerprint: 'old' }), fingerprint: 'fp1' };

  it('needs attention on a sync, a reprocess and a conflict retry: nobody asked to adjust it', () => {
    for (const trigger of ['scheduled', 'reprocess', 'conflict-retry'] as const) {
      expect(outcome(step(facts({ ...changed, trigger })))?.state).toBe('needs-attention');
    }
  });

  it('is adjusted only when the user asks for exactly that', () => {
    expect(step(facts({ ...changed, trigger: 'adjust', reason: 'Price corrected' }))).toEqual({
      do: 'calculate',
      adjust: true,
    });
  });
});
