import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/app/handlers.js';
import { createRouter } from '../../electron/app/ipc-router.js';
import { RefusedError } from '../../electron/engine/errors.js';
import { formatReason } from '../../shared/reason-format.js';
import type { StoredReason } from '../../shared/reasons.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { type EngineWorld, startEngineWorld, tempDir } from '../helpers/engine.js';
import { expectCodeInSwedish, text } from '../helpers/reasons.js';

/**
 * Issue 17, item 1: Month-end's own words — the trail's entries for an export, a close, a reopen and a void, a
 * closed month's changes, the refusals (a month not ended, a reason missing, Visma still has it), and the
 * accept/reprocess requests and their outcomes — are codes the reader's language renders, never English built in
 * main. Before: each was an English sentence with plain decimals ("2026-11 closed by anna: 14 matched, …").
 */
const MONTH = TEST_MONTH;
const SWEDISH_NEVER = [
  /\bclosed by\b/,
  /\bexported\b/,
  /\breopened\b/,
  /\bvoided in AvaTax\b/i,
  /\bchanged since\b/,
  /\bmatched\b/,
  /\brequested by\b/,
  /\bhas not ended\b/,
  /\bSay why\b/,
  /\bVisma still has\b/,
  /\bNo invoice\b/,
  /\bdomestic VAT\b/,
];

function expectCode(detail: StoredReason | undefined, where: string): void {
  expectCodeInSwedish(detail, where, SWEDISH_NEVER);
}

describe("Month-end's words are codes the reader's language says", () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({
      invoices: 8,
      creditNotes: 1,
      settings: (s) => ({ ...s, sync: { ...s.sync, releaseAfterVerify: true } }),
    });
    for (const d of w.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
    await w.engine.run('user');
  }, 60_000);
  afterEach(() => w.close());

  it('export, close, a closed month changed, reopen and void: every entry of the trail is a code', async () => {
    const dir = tempDir();
    // Refused while the month runs: a code the screens say in their language, English for the command line.
    const early = await w.engine.closeMonth(MONTH, 'user', 'anna').catch((e: unknown) => e);
    expect(early).toBeInstanceOf(RefusedError);
    expectCode((early as RefusedError).reason, 'close refused');
    expect(formatReason((early as RefusedError).reason, 'sv')).toBe(
      'november 2026 är inte slut än (nu är det november 2026): en månad stängs när alla dess dokument har kommit in',
    );
    w.clock.advance(5 * 86_400_000);
    await w.engine.exportReconciliation(MONTH, 'user', { dir, delimiter: ';' });
    await w.engine.vatReport(MONTH, 'user', { dir, delimiter: ';' });
    expect((await w.engine.closeMonth(MONTH, 'user', 'anna', 'Checked against the VAT report')).closed).toBe(true);
    // A change after the close, and a void of a document Visma deleted.
    const [victim, deleted] = w.sandboxes.visma.state.documents.filter(
      (d) => d.documentDate.startsWith(MONTH) && d.kind === 'invoice' && d.status === 'Open',
    );
    w.sandboxes.visma.voidDocument('invoice', victim!.referenceNumber);
    await w.engine.run('user');
    w.sandboxes.visma.state.documents.splice(w.sandboxes.visma.state.documents.indexOf(deleted!), 1);
    expect((await w.engine.voidInAvaTax(`VN-INV-${deleted!.referenceNumber}`, 'Deleted in Visma', 'user')).status).toBe(
      'Cancelled',
    );
    await expect(w.engine.reopenMonth(MONTH, 'user', 'bertil', ' ')).rejects.toBeInstanceOf(RefusedError);
    await w.engine.reopenMonth(MONTH, 'user', 'bertil', 'A late credit note');

    const entries = [...(await w.store.audit.entries(MONTH)), ...(await w.store.audit.entries(w.clock.month()))];
    const monthEnd = entries.filter((e) =>
      ['exported', 'month-closed', 'closed-month-changed', 'month-reopened', 'voided'].includes(e.action),
    );
    expect(new Set(monthEnd.map((e) => e.action))).toEqual(
      new Set(['exported', 'month-closed', 'closed-month-changed', 'month-reopened', 'voided']),
    );
    for (const e of monthEnd) expectCode(e.detail, e.action);
    for (const c of w.store.state.closedMonthChanges()) expectCode(c.detail, 'closed month change');
    const closed = monthEnd.find((e) => e.action === 'month-closed')!;
    expect(formatReason(closed.detail, 'sv')).toMatch(
      /^november 2026 stängd av anna: \d+ stämmer, .*; inhemsk moms [\d\s\u00a0]+,\d\d\u00a0SEK, OSS-moms .*; Checked against the VAT report$/,
    );
    const deletedRow = await w.store.ledger.get(`invoice:${deleted!.referenceNumber}`);
    expectCode(deletedRow?.reasons[0], 'voided row');
  }, 60_000);

  it('the refusals of a void, and the outcomes of accept and reprocess, are codes', async () => {
    const code = `VN-INV-${w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice')!.referenceNumber}`;
    expectCode((await w.engine.voidInAvaTax(code, '\u200b\u200b\u200b', 'user')).error, 'void without a reason');
    expectCode((await w.engine.voidInAvaTax(code, 'By mistake', 'user')).error, 'void of a live document');
    const [missing] = await w.engine.reprocess(['999999'], 'user');
    expectCode(missing?.error, 'reprocess of an unknown number');
    expect(text(missing?.error)).toBe('No invoice, credit note or debit note 999999 in Visma');
    const posted = (await w.store.ledger.inMonth(MONTH)).find((d) => d.state === 'posted')!;
    const [notWaiting] = await w.engine.accept(posted.referenceNumber, 'Agreed with the customer', 'user');
    expectCode(notWaiting?.error, 'accept of a posted document');
    expect(formatReason(notWaiting!.error!, 'sv')).toBe(
      `${posted.referenceNumber} väntar inte på det (den är bokförd)`,
    );
    await w.engine.reprocess([posted.referenceNumber], 'user');
    const requested = (await w.store.audit.entries(MONTH)).filter((e) => e.action === 'reprocessed');
    expect(requested.length).toBeGreaterThan(0);
    for (const e of requested) expectCode(e.detail, 'reprocess requested');
    expect(text(requested.at(-1)?.detail)).toBe('Reprocess requested by the user');
  }, 60_000);

  it("main's refusals reach the screens as a code beside the English message", async () => {
    const router = createRouter({
      'month:close': async () => {
        throw new RefusedError({ code: 'month-not-closed', params: { month: { month: '2026-11' } } });
      },
    } as unknown as Handlers);
    const answer = await router('month:close', { month: '2026-11' });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'failed',
        message: 'November 2026 is not closed',
        reason: { code: 'month-not-closed', params: { month: { month: '2026-11' } } },
      },
    });
  });
});
