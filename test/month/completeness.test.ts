import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionModel } from '../../electron/connectors/avatax/types.js';
import { DEMO_SHIP_FROM } from '../../electron/sandbox/demo-company.js';
import { documentDto } from '../../electron/sandbox/visma-documents.js';
import type { Reconciliation } from '../../shared/month.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

/**
 * Issue 15 #2–#5: a month is clean only when both listings are the whole month. Each case starts from a month that
 * is clean and closable (every document synced, released and committed, the clock in the next month) and
 * disturbs one listing as a service might: the month must then say "incomplete: …" and refuse to close.
 */
const MONTH = TEST_MONTH;
const DAY = 86_400_000;
const LIST = /^\/api\/v2\/companies\/[^/]+\/transactions$/;
const codes = (r: Reconciliation) => r.incomplete.map((x) => x.code);

async function cleanMonth(): Promise<EngineWorld> {
  const w = await startEngineWorld({
    invoices: 10,
    creditNotes: 2,
    settings: (s) => ({ ...s, sync: { ...s.sync, releaseAfterVerify: true } }),
  });
  for (const d of w.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
  await w.engine.run('user');
  w.clock.advance(5 * DAY); // into December: November has ended
  return w;
}

async function listing(w: EngineWorld): Promise<TransactionModel[]> {
  const pages = await w.connectors().avatax.listTransactionPages(`${MONTH}-01`, `${MONTH}-30`);
  return pages.flatMap((p) => p.value);
}

describe('a month is clean only when it is whole', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await cleanMonth();
  }, 60_000);
  afterEach(() => w.close());

  const expectRefused = async (code: string) => {
    const r = await w.engine.reconcileMonth(MONTH, 'user');
    expect(r.clean).toBe(false);
    expect(codes(r)).toContain(code);
    const close = await w.engine.closeMonth(MONTH, 'user', 'anna');
    expect(close.closed).toBe(false);
    expect(w.store.state.closedMonth(MONTH)).toBeUndefined();
    return r;
  };

  it('starts clean and closable', async () => {
    const r = await w.engine.reconcileMonth(MONTH, 'user');
    expect(r.incomplete).toEqual([]);
    expect(r.clean).toBe(true);
  });

  it('Visma answers [] for the month’s invoices: the ledger knows them, Visma has them dated in the month', async () => {
    w.sandboxes.visma.server.injectFault({
      method: 'GET',
      path: /^\/v1\/customerinvoice$/i,
      query: /documentDate=/,
      fault: { kind: 'status', status: 200, body: [] },
      times: 10,
    });
    await expectRefused('month-incomplete-visma-left-out');
  });

  it('Visma lists fewer documents than the ledger holds for the month', async () => {
    const visma = w.sandboxes.visma;
    const first = visma.state.documents.find((d) => d.kind === 'invoice' && d.documentDate.startsWith(MONTH))!;
    // One document on the first page and no metadata: the client takes it as the whole list.
    visma.server.injectFault({
      method: 'GET',
      path: /^\/v1\/customerinvoice$/i,
      query: /documentDate=.*pageNumber=1(&|$)/,
      fault: {
        kind: 'status',
        status: 200,
        body: [documentDto(visma, first, { taxDetails: true, applications: false })],
      },
      times: 10,
    });
    const r = await expectRefused('month-incomplete-visma-left-out');
    // Nothing counted twice, nothing lost: every document of the month is still there once.
    const refs = r.documents.map((d) => d.referenceNumber);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.length).toBe(visma.state.documents.filter((d) => d.documentDate.startsWith(MONTH)).length);
  });

  it('AvaTax lists fewer transactions than its own @recordsetCount', async () => {
    const all = await listing(w);
    w.sandboxes.avatax.server.injectFault({
      method: 'GET',
      path: LIST,
      fault: { kind: 'status', status: 200, body: { '@recordsetCount': all.length, value: all.slice(1) } },
      times: 2,
    });
    await expectRefused('month-incomplete-avatax-count');
  });

  it('AvaTax’s pages overlap (a transaction twice) or disagree on the count', async () => {
    const all = await listing(w);
    w.sandboxes.avatax.server.injectFault({
      method: 'GET',
      path: LIST,
      fault: { kind: 'status', status: 200, body: { '@recordsetCount': all.length + 1, value: [...all, all[0]] } },
      times: 2,
    });
    const r = await expectRefused('month-incomplete-avatax-twice');
    // Counted once all the same.
    expect(r.documents.filter((d) => d.code === all[0]!.code)).toHaveLength(1);
    const half = Math.ceil(all.length / 2);
    const next = `/api/v2/companies/${w.settings.avalara.companyCode}/transactions?$skip=${half}`;
    w.sandboxes.avatax.server.injectFault({
      method: 'GET',
      path: LIST,
      query: /^(?!.*skip)/,
      fault: {
        kind: 'status',
        status: 200,
        body: { '@recordsetCount': all.length, value: all.slice(0, half), '@nextLink': next },
      },
      times: 2,
    });
    w.sandboxes.avatax.server.injectFault({
      method: 'GET',
      path: LIST,
      query: /skip/,
      fault: { kind: 'status', status: 200, body: { '@recordsetCount': all.length + 3, value: all.slice(half) } },
      times: 2,
    });
    await expectRefused('month-incomplete-avatax-count-moved');
  });

  it('another company’s transaction is refused, not merged', async () => {
    const stored = w.sandboxes.avatax.state.transactions.find((t) => t.status === 'Committed')!;
    const other = structuredClone(stored);
    other.id = 99_000_000_001;
    other.code = 'OTHER-1';
    other.model = { ...other.model, id: other.id, code: other.code, companyId: 4242 };
    w.sandboxes.avatax.state.transactions.push(other);
    const r = await expectRefused('month-incomplete-avatax-other-company');
    expect(r.documents.find((d) => d.code === 'OTHER-1')).toBeUndefined();
    expect(r.vatBase.avatax).toBe(r.vatBase.visma);
  });

  it('issue 15 #3: an AvaTax-only document dated the month’s last day is found (between is A ≤ date < B)', async () => {
    await w.connectors().avatax.createTransaction({
      type: 'SalesInvoice',
      code: 'SHOP-3011',
      companyCode: w.settings.avalara.companyCode,
      date: `${MONTH}-30`,
      customerCode: 'WEB',
      currencyCode: 'SEK',
      commit: true,
      addresses: { shipFrom: { ...DEMO_SHIP_FROM }, shipTo: { ...DEMO_SHIP_FROM } },
      lines: [{ number: '1', amount: 100, taxCode: 'P0000000' }],
    });
    for (const variant of ['exclusive', 'inclusive'] as const) {
      w.sandboxes.avatax.betweenEnd = variant;
      const r = await w.engine.reconcileMonth(MONTH, 'user');
      expect(r.documents.find((d) => d.code === 'SHOP-3011')?.bucket, variant).toBe('onlyInAvatax');
      expect(r.clean).toBe(false);
    }
  });

  it('issue 15 #5: an Adjusted version listed after the live one does not hide it, in either order', async () => {
    const tx = w.sandboxes.avatax.state.transactions.find(
      (t) => t.status === 'Committed' && t.type === 'SalesInvoice',
    )!;
    const before = await w.engine.reconcileMonth(MONTH, 'user');
    // A superseded version of the same code, as AvaTax keeps one after an adjustment.
    const old = structuredClone(tx);
    old.id = tx.id - 1_000_000;
    old.status = 'Adjusted';
    old.version = 0;
    old.model = { ...old.model, id: old.id, status: 'Adjusted', version: 0, totalTax: 0 };
    w.sandboxes.avatax.state.transactions.push(old);
    for (const order of ['created', 'newest-first'] as const) {
      w.sandboxes.avatax.listOrder = order;
      const r = await w.engine.reconcileMonth(MONTH, 'user');
      const row = r.documents.find((d) => d.code === tx.code)!;
      expect(row, order).toMatchObject({ bucket: 'matched' });
      expect(row.avatax?.status).toBe('Committed');
      expect(r.vatBase, order).toEqual(before.vatBase);
      expect(r.clean, order).toBe(true);
    }
  });

  it('issue 15 #4: Visma dates it 1 November, AvaTax 31 October: each side’s VAT in its own month, once', async () => {
    const before = {
      oct: await w.engine.reconcileMonth('2026-10', 'user'),
      nov: await w.engine.reconcileMonth(MONTH, 'user'),
    };
    const doc = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.vatTotalInCurrency > 0)!;
    w.sandboxes.visma.editDocument('invoice', doc.referenceNumber, (d) => {
      d.documentDate = `${MONTH}-01`;
    });
    const tx = w.sandboxes.avatax.state.transactions.find((t) => t.code === `VN-INV-${doc.referenceNumber}`)!;
    tx.model = { ...tx.model, date: '2026-10-31' };
    const oct = await w.engine.reconcileMonth('2026-10', 'user');
    const nov = await w.engine.reconcileMonth(MONTH, 'user');
    // The date difference shows in both months.
    for (const r of [oct, nov])
      expect(r.documents.find((d) => d.code === tx.code)).toMatchObject({ bucket: 'differs', differences: ['date'] });
    // Visma's VAT is November's only, AvaTax's October's only: 250 booked once, 250 reported once.
    const vat = nov.documents.find((d) => d.code === tx.code)!;
    expect(nov.vatBase.visma).toBe(before.nov.vatBase.visma);
    expect(nov.vatBase.avatax).toBe(before.nov.vatBase.avatax - vat.avatax!.vatBase!);
    expect(oct.vatBase.avatax).toBe(before.oct.vatBase.avatax + vat.avatax!.vatBase!);
    expect(oct.vatBase.visma).toBe(before.oct.vatBase.visma);
  });
});
