import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SHIP_FROM } from '../../electron/sandbox/demo-company.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { taxOn } from '../../shared/money.js';
import { BLOCKING_BUCKETS, BUCKETS, type ReconciledDocument, type Reconciliation } from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * Month-end against the sandboxes: every bucket reached by what really happens (a document never sent, one
 * deleted in Visma after AvaTax has it, one recorded by another system, a date changed, a variance accepted),
 * the close check, closing, and a later change to a closed month.
 */
const MONTH = TEST_MONTH;

const inMonth = (w: EngineWorld) => w.sandboxes.visma.state.documents.filter((d) => d.documentDate.startsWith(MONTH));
const byRef = (r: Reconciliation, ref: string) => r.documents.filter((d) => d.referenceNumber === ref);
/** The audit trail of the month and of now (a close is audited in the month it happens). */
const auditOf = async (w: EngineWorld) => [
  ...(await w.store.audit.entries(MONTH)),
  ...(await w.store.audit.entries(w.clock.month())),
];

function expectTotalsAgree(r: Reconciliation): void {
  for (const t of r.totals) {
    expect(t.avatax.vat, `${t.country} ${t.vatId}`).toBe(t.visma.vat);
    expect(t.avatax.taxable, `${t.country} ${t.vatId}`).toBe(t.visma.taxable);
    expect(t.avatax.vatBase).toBe(t.visma.vatBase);
  }
}

describe('a month where Visma and AvaTax agree', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({
      invoices: 12,
      creditNotes: 2,
      settings: (s) => ({ ...s, sync: { ...s.sync, releaseAfterVerify: true } }),
    });
    // Every document waits in Visma for its VAT: the sync sets it, verifies it, releases and commits.
    for (const d of w.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
    await w.engine.run('user');
  }, 60_000);
  afterEach(() => w.close());

  it('is clean: every document matched, both sides total the same per country, VAT id and currency', async () => {
    const r = await w.engine.reconcileMonth(MONTH, 'user');
    expect(r.clean).toBe(true);
    expect(r.counts.matched).toBe(inMonth(w).length);
    expect(r.documents.every((d) => d.bucket === 'matched' && d.variance.difference === 0)).toBe(true);
    expect(r.totals.length).toBeGreaterThan(2);
    expectTotalsAgree(r);
    expect(r.vatBase.visma).toBeGreaterThan(0);
    expect(r.vatBase.difference).toBe(0);
    expect(r.baseCurrency).toBe('SEK');
    // Base currency: each VAT id of a foreign-currency document converted at Visma's own rate (as Visma
    // converts each tax line), the document's base VAT their sum.
    const foreign = r.documents.find((d) => d.visma?.currency !== 'SEK' && d.visma?.vat !== 0)!;
    expect(foreign.exchangeRate).toBeGreaterThan(0);
    for (const l of foreign.visma!.lines) expect(l.vatBase).toBe(taxOn(l.vat, foreign.exchangeRate!));
    expect(foreign.visma!.vatBase).toBe(foreign.visma!.lines.reduce((s, l) => s + l.vatBase!, 0));
    expect(Math.abs(foreign.visma!.vatBase! - foreign.visma!.vat * foreign.exchangeRate!)).toBeLessThanOrEqual(
      foreign.visma!.lines.length,
    );
  });

  it('closes, audited; a later change to one of its documents is said loudly; reopening needs a reason', async () => {
    w.clock.advance(5 * 86_400_000); // November has ended
    const closed = await w.engine.closeMonth(MONTH, 'user', 'anna');
    expect(closed.closed).toBe(true);
    expect(w.store.state.closedMonth(MONTH)).toMatchObject({ month: MONTH, by: 'anna' });
    const entries = await auditOf(w);
    expect(entries.some((e) => e.action === 'month-closed' && /closed by anna/.test(text(e.detail)))).toBe(true);

    // A person voids a released invoice of the closed month in Visma: the sync voids it in AvaTax, loudly.
    const victim = inMonth(w).find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    w.sandboxes.visma.voidDocument('invoice', victim.referenceNumber);
    await w.engine.run('user');
    const changes = w.store.state.closedMonthChanges();
    expect(changes).toEqual([
      expect.objectContaining({
        month: MONTH,
        referenceNumber: victim.referenceNumber,
        detail: expect.objectContaining({ code: 'closed-month-changed' }),
      }),
    ]);
    expect(text(changes[0]?.detail)).toMatch(
      /November 2026 was closed on 03\/12\/2026, \d\d:\d\d by anna; \d+ changed since: /,
    );
    const after = await auditOf(w);
    expect(after.some((e) => e.action === 'closed-month-changed' && e.referenceNumber === victim.referenceNumber)).toBe(
      true,
    );
    const again = await w.engine.reconcileMonth(MONTH, 'user');
    expect(again.closed?.by).toBe('anna');

    await expect(w.engine.reopenMonth(MONTH, 'user', 'anna', '  ')).rejects.toThrow(/why/);
    // A reason of zero-width spaces says nothing; one longer than 500 characters is refused too, as everywhere.
    await expect(w.engine.reopenMonth(MONTH, 'user', 'anna', '\u200b\u200b\u200b\u200b\u200b')).rejects.toThrow(/why/);
    await expect(w.engine.reopenMonth(MONTH, 'user', 'anna', 'x'.repeat(501))).rejects.toThrow(/500/);
    await w.engine.reopenMonth(MONTH, 'user', 'anna', 'late credit note from the Oslo warehouse');
    expect(w.store.state.closedMonth(MONTH)).toBeUndefined();
    expect(w.store.state.closedMonthChanges()).toEqual([]);
    expect((await auditOf(w)).some((e) => e.action === 'month-reopened')).toBe(true);
  });
});

describe('issue 15 #7: the close rules', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({
      invoices: 8,
      creditNotes: 2,
      settings: (s) => ({ ...s, sync: { ...s.sync, releaseAfterVerify: true } }),
    });
    for (const d of w.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
    await w.engine.run('user');
  }, 60_000);
  afterEach(() => w.close());

  it('a month closes once it has ended: not the running month, not a future one', async () => {
    expect((await w.engine.reconcileMonth(MONTH, 'user')).clean).toBe(true);
    await expect(w.engine.closeMonth(MONTH, 'user', 'anna')).rejects.toThrow(
      /November 2026 has not ended yet \(it is November 2026 now\)/,
    );
    await expect(w.engine.closeMonth('2027-03', 'user', 'anna')).rejects.toThrow(/March 2027 has not ended yet/);
    expect(w.store.state.closedMonth(MONTH)).toBeUndefined();
    w.clock.advance(5 * 86_400_000);
    expect((await w.engine.closeMonth(MONTH, 'user', 'anna')).closed).toBe(true);
  });

  it('closing a closed month again is refused: its closing and its "changed since" list are kept', async () => {
    w.clock.advance(5 * 86_400_000);
    await w.engine.closeMonth(MONTH, 'user', 'anna');
    const victim = inMonth(w).find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    w.sandboxes.visma.voidDocument('invoice', victim.referenceNumber);
    await w.engine.run('user');
    expect(w.store.state.closedMonthChanges()).toHaveLength(1);
    await expect(w.engine.closeMonth(MONTH, 'user', 'bertil')).rejects.toThrow(
      /already closed \(.* by anna\): reopen it first/,
    );
    expect(w.store.state.closedMonth(MONTH)?.by).toBe('anna');
    expect(w.store.state.closedMonthChanges()).toHaveLength(1);
  });

  it('voiding in AvaTax a document dated in a closed month is recorded as a change to that month', async () => {
    w.clock.advance(5 * 86_400_000);
    await w.engine.closeMonth(MONTH, 'user', 'anna');
    // Deleted in Visma after the close: AvaTax still reports it; the accountant voids it from Month-end.
    const victim = inMonth(w).find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    w.sandboxes.visma.state.documents.splice(w.sandboxes.visma.state.documents.indexOf(victim), 1);
    const result = await w.engine.voidInAvaTax(
      `VN-INV-${victim.referenceNumber}`,
      'Deleted in Visma by mistake',
      'user',
    );
    expect(result.status).toBe('Cancelled');
    expect(w.store.state.closedMonthChanges()).toEqual([
      expect.objectContaining({
        month: MONTH,
        referenceNumber: victim.referenceNumber,
        detail: expect.objectContaining({ code: 'closed-month-changed' }),
      }),
    ]);
    expect(text(w.store.state.closedMonthChanges()[0]?.detail)).toMatch(/changed since: .*voided in AvaTax/);
    const entries = await auditOf(w);
    expect(
      entries.some((e) => e.action === 'closed-month-changed' && e.referenceNumber === victim.referenceNumber),
    ).toBe(true);
  });

  it('a reason made only of zero-width spaces, or longer than 500 characters, is refused everywhere', async () => {
    const code = `VN-INV-${inMonth(w)[0]!.referenceNumber}`;
    expect((await w.engine.voidInAvaTax(code, '\u200b\u200b\u200b\u200b', 'user')).error).toMatchObject({
      code: 'month-void-reason-refused',
    });
    expect((await w.engine.voidInAvaTax(code, 'y'.repeat(501), 'user')).error).toMatchObject({
      code: 'month-void-reason-refused',
    });
    expect(text((await w.engine.voidInAvaTax(code, 'y'.repeat(501), 'user')).error)).toBe(
      'Say why it is voided: at most 500 characters, not 501',
    );
    w.clock.advance(5 * 86_400_000);
    await expect(w.engine.closeMonth(MONTH, 'user', 'anna', '\u200b\u200d\ufeff')).rejects.toThrow(/close note/);
    await expect(w.engine.closeMonth(MONTH, 'user', 'anna', 'z'.repeat(501))).rejects.toThrow(/500/);
    expect(w.store.state.closedMonth(MONTH)).toBeUndefined();
  });
});

describe('a month with something in every bucket', () => {
  let w: EngineWorld;
  let r: Reconciliation;
  let neverSent: SandboxDocument;
  let deleted: SandboxDocument;
  let redated: SandboxDocument;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 6 });
    await w.engine.run('user');
    const calculated = (await w.store.ledger.byState('calculated')).map((d) => d.referenceNumber);
    const docs = inMonth(w).filter((d) => d.kind === 'invoice' && calculated.includes(d.referenceNumber));
    // Deleted in Visma after AvaTax has it (uncommitted): only in AvaTax.
    deleted = docs[0]!;
    w.sandboxes.visma.state.documents.splice(w.sandboxes.visma.state.documents.indexOf(deleted), 1);
    // Redated to October in Visma: AvaTax still dates it in November.
    redated = docs[1]!;
    w.sandboxes.visma.editDocument('invoice', redated.referenceNumber, (d) => {
      d.documentDate = '2026-10-30';
    });
    // Made in Visma after the sync: never sent.
    neverSent = w.sandboxes.visma.createDocument('invoice', docs[2]!.referenceNumber, '269901');
    // Recorded in AvaTax by another system (a web shop), committed.
    const avatax = w.connectors().avatax;
    await avatax.createTransaction({
      type: 'SalesInvoice',
      code: 'SHOP-1001',
      companyCode: w.settings.avalara.companyCode,
      date: `${MONTH}-15`,
      customerCode: 'WEB',
      currencyCode: 'SEK',
      commit: true,
      addresses: { shipFrom: { ...DEMO_SHIP_FROM }, shipTo: { ...DEMO_SHIP_FROM } },
      lines: [{ number: '1', amount: 100, taxCode: 'P0000000' }],
    });
    r = await w.engine.reconcileMonth(MONTH, 'user');
  }, 60_000);
  afterEach(() => w.close());

  it('puts every document in exactly one bucket, and the month is not clean', () => {
    expect(r.clean).toBe(false);
    const total = BUCKETS.reduce((s, b) => s + r.counts[b], 0);
    expect(total).toBe(r.documents.length);
    const codes = r.documents.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    // Every Visma document of the month is there once (the deleted one is AvaTax's now).
    for (const d of inMonth(w)) expect(byRef(r, d.referenceNumber).length, d.referenceNumber).toBe(1);
    for (const b of ['matched', 'differs', 'onlyInVisma', 'onlyInAvatax', 'uncommitted'] as const)
      expect(r.counts[b], b).toBeGreaterThan(0);
    // Blocking documents come first, each with what fixes it.
    const firstCalm = r.documents.findIndex((d) => !BLOCKING_BUCKETS.includes(d.bucket));
    expect(r.documents.slice(firstCalm).every((d) => !BLOCKING_BUCKETS.includes(d.bucket))).toBe(true);
    for (const d of r.documents.filter((x) => BLOCKING_BUCKETS.includes(x.bucket))) {
      expect(d.actions.length, d.referenceNumber).toBeGreaterThan(0);
      expect(d.why.length, d.referenceNumber).toBeGreaterThan(0);
    }
  });

  it('says why: never sent, deleted in Visma, another system, a different date, uncommitted, a variance', () => {
    const why = (d: ReconciledDocument | undefined) => d?.why.map((w) => formatReason(w, 'en').replace(/\u00a0/g, ' '));
    expect(byRef(r, neverSent.referenceNumber)[0]).toMatchObject({ bucket: 'onlyInVisma', actions: ['reprocess'] });
    expect(why(byRef(r, neverSent.referenceNumber)[0])).toEqual([expect.stringMatching(/Never sent/)]);
    expect(byRef(r, deleted.referenceNumber)[0]).toMatchObject({ bucket: 'onlyInAvatax', actions: ['void'] });
    expect(why(byRef(r, deleted.referenceNumber)[0])).toEqual([expect.stringMatching(/Visma no longer has it/)]);
    expect(r.documents.find((d) => d.code === 'SHOP-1001')).toMatchObject({ bucket: 'onlyInAvatax' });
    expect(why(r.documents.find((d) => d.code === 'SHOP-1001'))).toEqual([expect.stringMatching(/never made it/)]);
    const moved = byRef(r, redated.referenceNumber)[0]!;
    expect(moved).toMatchObject({ bucket: 'differs', differences: ['date'] });
    expect(moved.why[0]).toMatchObject({ code: 'month-date-differs', params: { visma: { date: '2026-10-30' } } });
    const uncommitted = r.documents.find((d) => d.bucket === 'uncommitted')!;
    expect(uncommitted.actions).toEqual(['release-in-visma']);
    const variance = r.documents.find((d) => d.bucket === 'differs' && d.state === 'needs-attention')!;
    expect(variance.why.map((w) => w.code)).toContain('month-held-needs-attention');
    expect(variance.actions).toContain('accept');
  });

  it('an accepted variance moves to accepted; a voided AvaTax-only document leaves the month', async () => {
    const variance = r.documents.find((d) => d.bucket === 'differs' && d.state === 'needs-attention')!;
    await w.engine.accept(variance.referenceNumber, 'Reduced rate confirmed by the customer', 'user');
    const voided = await w.engine.voidInAvaTax(`VN-INV-${deleted.referenceNumber}`, 'Deleted in Visma', 'user');
    expect(voided.status).toBe('Cancelled');
    const after = await w.engine.reconcileMonth(MONTH, 'user');
    expect(byRef(after, variance.referenceNumber)[0]).toMatchObject({
      bucket: 'accepted',
      acceptance: { reason: 'Reduced rate confirmed by the customer' },
    });
    expect(byRef(after, deleted.referenceNumber)).toEqual([]);
    expect(after.counts.accepted).toBe(r.counts.accepted + 1);
    expect((await w.store.ledger.get(`invoice:${deleted.referenceNumber}`))?.state).toBe('voided');
  });

  it('refuses to void an AvaTax document Visma still has live', async () => {
    const live = r.documents.find((d) => d.bucket === 'uncommitted')!;
    const result = await w.engine.voidInAvaTax(live.code, 'by mistake', 'user');
    expect(text(result.error)).toMatch(/Visma still has .* reprocess it instead/);
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === live.code)?.status).toBe('Saved');
  });

  it('will not close a month that is not clean, and says what blocks it', async () => {
    w.clock.advance(5 * 86_400_000);
    const result = await w.engine.closeMonth(MONTH, 'user', 'anna');
    expect(result.closed).toBe(false);
    expect(w.store.state.closedMonth(MONTH)).toBeUndefined();
    const entries = await auditOf(w);
    expect(entries.some((e) => e.action === 'reconciled' && /cannot be closed/.test(text(e.detail)))).toBe(true);
  });

  it('a reprocessed never-sent document and a committed one move to the buckets they belong in', async () => {
    await w.engine.reprocess([neverSent.referenceNumber], 'user');
    const after = await w.engine.reconcileMonth(MONTH, 'user');
    expect(byRef(after, neverSent.referenceNumber)[0]?.bucket).toMatch(/uncommitted|matched|differs/);
    expect(byRef(after, neverSent.referenceNumber)[0]?.bucket).not.toBe('onlyInVisma');
  });
});
