import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../electron/engine/errors.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { avataxCreates, type EngineWorld, startEngineWorld, vismaPuts } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * A Balanced invoice to a Swedish customer whose address is fine (customers 10002–10009), with its lines in a
 * category Visma taxes wrongly for the items (BOOK on tools): the sync has something to write.
 */
function balancedSwedishInvoice(w: EngineWorld) {
  const d = w.sandboxes.visma.state.documents.find(
    (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number) && x.location?.id !== 'OSLO',
  )!;
  return w.sandboxes.visma.editDocument('invoice', d.referenceNumber, (x) => {
    x.status = 'Balanced';
    x.hold = false;
    x.customerVatZoneId = '01';
    x.lines = [
      { ...x.lines[0]!, lineNumber: 1, inventoryNumber: 'VERKTYG-100', vatCode: { id: 'BOOK', description: 'BOOK' } },
    ];
  });
}

/** Someone edits the invoice in Visma just as our write-back arrives: the PUT meets a stale ETag. */
function editOnFirstPut(w: EngineWorld, ref: string, edit: (d: SandboxDocument) => void): string {
  const path = `/v1/customerinvoice/${ref}`;
  let edited = false;
  w.sandboxes.visma.server.onRequest = (method, p) => {
    if (method === 'PUT' && p === path && !edited) {
      edited = true;
      w.sandboxes.visma.editDocument('invoice', ref, edit);
    }
  };
  return path;
}

const byRef = async (w: EngineWorld, ref: string, kind = 'invoice'): Promise<LedgerDocument> =>
  (await w.store.ledger.get(`${kind}:${ref}`))!;

describe('a sync run against the sandboxes', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 60, creditNotes: 8 });
  });
  afterEach(() => w.close());

  it('processes every document in the selected statuses and records each in the ledger and the audit', async () => {
    const summary = await w.engine.run('user');
    const selected = w.sandboxes.visma.state.documents.filter((d) =>
      ['Hold', 'Balanced', 'Open', 'Closed'].includes(d.status),
    );
    expect(summary.outcome).toBe('completed');
    expect(summary.fetched).toBe(selected.length);
    expect(await w.store.ledger.all()).toHaveLength(selected.length);
    expect(summary.posted + summary.flagged + summary.needsAttention + summary.calculated).toBe(selected.length);
    // Released documents are recorded as Visma booked them, committed; unreleased ones wait for release.
    for (const doc of selected) {
      const row = await byRef(w, doc.referenceNumber, doc.kind);
      if (row.state === 'posted') expect(['Open', 'Closed']).toContain(doc.status);
      if (row.state === 'calculated') expect(['Hold', 'Balanced']).toContain(doc.status);
    }
    const posted = (await w.store.ledger.byState('posted'))[0]!;
    const tx = w.sandboxes.avatax.find(
      posted.avataxCode,
      posted.documentType === 'invoice' ? 'SalesInvoice' : 'ReturnInvoice',
    )!;
    expect(tx.status).toBe('Committed');
    const actions = new Set((await w.store.audit.entries(w.clock.month())).map((e) => e.action));
    for (const a of [
      'run-started',
      'fetched',
      'address-checked',
      'calculated',
      'written-back',
      'verified',
      'awaiting-release',
      'run-finished',
      'watermark-advanced',
    ])
      expect(actions).toContain(a);
  });

  it('a second run posts nothing new and writes nothing to Visma', async () => {
    await w.engine.run('user');
    const creates = avataxCreates(w).length;
    const puts = vismaPuts(w).length;
    const second = await w.engine.run('user');
    expect(second.calculated + second.posted + second.writtenBack + second.flagged).toBe(0);
    expect(avataxCreates(w)).toHaveLength(creates);
    expect(vismaPuts(w)).toHaveLength(puts);
    expect(second.skipped).toBeGreaterThan(0);
  });

  it('flags an invalid address: not sent, logged, reprocessable after a fix in the app', async () => {
    await w.engine.run('user');
    const flagged = await w.store.ledger.byState('flagged');
    expect(flagged.length).toBeGreaterThan(0);
    const codes = new Set(avataxCreates(w).map((c) => c.code));
    for (const f of flagged) expect(codes.has(f.avataxCode)).toBe(false);
    const lone = flagged.find((f) => f.customerName === 'Lone Star Fika Co.');
    if (lone) {
      expect(text(lone.reasons[0])).toMatch(/out of range/);
      expect(lone.suggestedAddress?.line1).toBe('1999 Marilla St');
    }
    const target = flagged[0]!;
    const entries = await w.store.audit.entries(w.clock.month());
    expect(entries.some((e) => e.action === 'flagged' && e.documentKey === target.key)).toBe(true);

    const fix = target.suggestedAddress ?? {
      ...target.shipTo!,
      city: target.shipTo!.city || 'Aalborg',
      postalCode: target.shipTo!.country === 'SE' ? '546 31' : target.shipTo!.postalCode,
    };
    const customerDocs = (await w.store.ledger.byState('flagged')).filter(
      (d) => d.customerNumber === target.customerNumber,
    );
    const results = (
      await w.engine.fixAddress(target.customerNumber, { address: fix, locationId: target.locationId }, 'user')
    ).documents;
    expect(results.map((r) => r.referenceNumber).sort()).toEqual(customerDocs.map((d) => d.referenceNumber).sort());
    if (!target.shipTo!.country.startsWith('DE')) {
      for (const r of results) expect(['posted', 'calculated', 'needs-attention']).toContain(r.state);
      for (const r of results) expect(r.state).not.toBe('flagged');
    }
    const after = await w.store.audit.entries(w.clock.month());
    expect(after.some((e) => e.action === 'address-fixed' && text(e.detail).includes(target.customerNumber))).toBe(
      true,
    );
    // Written where the documents take their ship-to from: the invoice's location, else the customer.
    const where =
      target.shipToSource === 'location'
        ? `/v1/location/${target.customerNumber}/${target.locationId}`
        : `/v1/customer/${target.customerNumber}`;
    const put = w.sandboxes.visma.server.log.find((e) => e.method === 'PUT' && e.path === where)!;
    expect(put.headers['if-match']).toBeTruthy();
  });

  it('backs off on 429s and succeeds', async () => {
    w.sandboxes.avatax.server.injectFault({
      path: /\/transactions\/createoradjust$/,
      fault: { kind: 'status', status: 429, retryAfter: '0' },
      times: 2,
    });
    w.sandboxes.avatax.server.injectFault({
      path: /\/transactions\/create$/,
      fault: { kind: 'status', status: 429, retryAfter: '0' },
      times: 1,
    });
    w.sandboxes.visma.server.injectFault({
      path: /^\/v1\/customer\//,
      fault: { kind: 'status', status: 429, retryAfter: '0' },
      times: 3,
    });
    const summary = await w.engine.run('scheduler');
    expect(summary.pendingRetry).toBe(0);
    expect(await w.store.ledger.byState('pending-retry')).toHaveLength(0);
  });

  it('leaves documents replayable when 429s outlast the retries, and the next run completes them', async () => {
    w.sandboxes.avatax.server.injectFault({
      path: /\/transactions\//,
      fault: { kind: 'status', status: 429 },
      times: 10_000,
    });
    const first = await w.engine.run('scheduler');
    expect(first.pendingRetry).toBeGreaterThan(0);
    const waiting = await w.store.ledger.byState('pending-retry');
    expect(waiting.length).toBe(first.pendingRetry);
    expect(waiting[0]!.lastError?.code).toMatch(/AvaTax:429/);
    w.sandboxes.avatax.server.clearFaults();
    const second = await w.engine.run('scheduler');
    expect(second.pendingRetry).toBe(0);
    expect(await w.store.ledger.byState('pending-retry')).toHaveLength(0);
    for (const doc of waiting)
      expect(['posted', 'calculated', 'needs-attention']).toContain(
        (await byRef(w, doc.referenceNumber, doc.documentType)).state,
      );
  });

  it('reprocessing never duplicates a document in AvaTax', async () => {
    await w.engine.run('user');
    const posted = (await w.store.ledger.byState('posted')).slice(0, 3);
    const calculated = (await w.store.ledger.byState('calculated')).slice(0, 3);
    const refs = [...posted, ...calculated].map((d) => d.referenceNumber);
    await w.engine.reprocess(refs, 'user');
    await w.engine.reprocess(refs, 'user');
    const all = w.sandboxes.avatax.state.transactions;
    const codes = all.filter((t) => t.status !== 'Adjusted').map((t) => `${t.type}:${t.code}`);
    expect(new Set(codes).size).toBe(codes.length);
    for (const d of posted) {
      expect((await byRef(w, d.referenceNumber, d.documentType)).state).toBe('posted');
      expect(all.filter((t) => t.code === d.avataxCode)).toHaveLength(1);
    }
    for (const d of calculated) expect(all.filter((t) => t.code === d.avataxCode)).toHaveLength(1);
    expect(all.every((t) => /^VN-(INV|CRN)-\d+$/.test(t.code))).toBe(true);
  });

  it('commits on release: calculated while Balanced, posted once Visma shows it released', async () => {
    await w.engine.run('user');
    const waiting = (await w.store.ledger.byState('calculated'))[0]!;
    const type = waiting.documentType === 'invoice' ? 'SalesInvoice' : 'ReturnInvoice';
    expect(w.sandboxes.avatax.find(waiting.avataxCode, type)!.status).toBe('Saved');
    w.sandboxes.visma.editDocument(waiting.documentType as 'invoice', waiting.referenceNumber, (d) => {
      d.status = 'Open';
    });
    const run = await w.engine.run('user');
    expect(run.posted).toBe(1);
    expect((await byRef(w, waiting.referenceNumber, waiting.documentType)).state).toBe('posted');
    expect(w.sandboxes.avatax.find(waiting.avataxCode, type)!.status).toBe('Committed');
    // One call: the commit. Nothing calculated again.
    expect(run.calculated).toBe(0);
  });

  it('a document changed in Visma after it was committed needs attention, never a silent skip or an adjustment', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, commit: 'immediately' } };
    const target = balancedSwedishInvoice(w);
    await w.engine.run('user');
    expect((await byRef(w, target.referenceNumber)).state).toBe('posted');
    w.sandboxes.visma.editDocument('invoice', target.referenceNumber, (d) => {
      d.lines[0]!.amount += 100;
      d.lines[0]!.amountInCurrency += 100;
    });
    const run = await w.engine.run('user');
    expect(run.needsAttention).toBeGreaterThanOrEqual(1);
    const row = await byRef(w, target.referenceNumber);
    expect(row.state).toBe('needs-attention');
    expect(text(row.reasons[0])).toMatch(/after VN-INV-\d+ was committed in AvaTax/);
    await w.engine.run('scheduler');
    expect((await byRef(w, target.referenceNumber)).state).toBe('needs-attention');
    expect(w.sandboxes.avatax.state.transactions.filter((t) => t.code === row.avataxCode)).toHaveLength(1);
  });

  it('after a crash that lost the ledger, AvaTax holding the committed code is found and nothing is sent twice', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, commit: 'immediately' } };
    await w.engine.run('user');
    const posted = await w.store.ledger.byState('posted');
    expect(posted.length).toBeGreaterThan(0);
    const { rmSync } = await import('node:fs');
    rmSync(`${w.dir}/ledger`, { recursive: true, force: true });
    rmSync(`${w.dir}/state.json`, { force: true });
    await w.reopen();
    const before = w.sandboxes.avatax.state.transactions.length;
    const run = await w.engine.run('user');
    expect(run.alreadyPosted).toBeGreaterThan(0);
    expect(w.sandboxes.avatax.state.transactions.length).toBe(before);
    for (const d of posted)
      expect((await byRef(w, d.referenceNumber, d.documentType)).state).toMatch(/posted|needs-attention/);
  });

  it('re-reads after a 412 (edited by someone else) and writes with the new ETag', async () => {
    const target = balancedSwedishInvoice(w);
    const path = editOnFirstPut(w, target.referenceNumber, (d) => {
      d.note = 'Edited by a colleague'; // ETag changes, tax inputs do not
    });
    await w.engine.run('user');
    // Written in the background (only then does Visma check If-Match): the first job found the ETag stale.
    const puts = w.sandboxes.visma.server.log.filter((e) => e.method === 'PUT' && e.path === path).map((e) => e.status);
    expect(puts).toEqual([202, 202]);
    const jobs = w.sandboxes.visma.background.jobs.filter((j) => j.originalUri === path).map((j) => j.statusCode);
    expect(jobs).toEqual([412, 204]);
    expect((await byRef(w, target.referenceNumber)).state).toBe('calculated');
    expect(w.sandboxes.visma.find('invoice', target.referenceNumber)!.note).toBe('Edited by a colleague');
  });

  it('after a 412 that changed the tax inputs, recalculates before writing', async () => {
    const target = balancedSwedishInvoice(w);
    editOnFirstPut(w, target.referenceNumber, (d) => {
      d.lines[0]!.amount = 1000;
      d.lines[0]!.amountInCurrency = 1000;
    });
    await w.engine.run('user');
    const creates = avataxCreates(w).filter((c) => c.code === `VN-INV-${target.referenceNumber}`);
    expect(creates).toHaveLength(2);
    const tx = w.sandboxes.avatax.find(`VN-INV-${target.referenceNumber}`)!;
    expect((tx.model.lines as { lineAmount: number }[])[0]!.lineAmount).toBe(1000);
    expect((await byRef(w, target.referenceNumber)).state).toBe('calculated');
  });

  it('stops on an authentication failure with a configuration error', async () => {
    w.sandboxes.visma.state.clients[0]!.clientSecret = 'rotated-by-admin';
    await expect(w.engine.run('user')).rejects.toBeInstanceOf(ConfigurationError);
    expect(w.store.state.watermark('invoice')).toBeUndefined();
  });

  it('never runs twice at once: a second Sync now joins the running one', async () => {
    const a = w.engine.run('user');
    const b = w.engine.run('scheduler');
    expect(b).toBe(a);
    await a;
    expect(w.store.state.runs()).toHaveLength(1);
  });

  it('a cancelled run keeps the watermark, and the next run completes the rest', async () => {
    w.sandboxes.avatax.server.injectFault({
      path: /\/transactions\/create$/,
      fault: { kind: 'delay', ms: 30 },
      times: 10_000,
    });
    const running = w.engine.run('user');
    setTimeout(() => w.engine.cancel(), 80);
    const cancelled = await running;
    expect(cancelled.outcome).toBe('cancelled');
    expect(w.store.state.watermark('invoice')).toBeUndefined();
    w.sandboxes.avatax.server.clearFaults();
    const next = await w.engine.run('user');
    expect(next.outcome).toBe('completed');
    const selected = w.sandboxes.visma.state.documents.filter((d) => d.status !== 'Voided');
    expect(await w.store.ledger.all()).toHaveLength(selected.length);
  });

  it('a listing cut short by Visma fails the run without moving the watermark; nothing is skipped', async () => {
    w.sandboxes.visma.maxPageSize = 10;
    w.sandboxes.visma.listOrder = 'newest-first';
    w.sandboxes.visma.server.injectFault({
      method: 'GET',
      path: /^\/v1\/customerinvoice$/,
      query: /pageNumber=2(&|$)/,
      fault: { kind: 'status', status: 200, body: [] },
      times: 1_000,
    });
    const cut = await w.engine.run('user').catch((e) => e);
    expect(cut.outcome ?? 'failed').toBe('failed');
    expect(w.store.state.watermark('invoice')).toBeUndefined();
    w.sandboxes.visma.server.clearFaults();
    await w.engine.run('user');
    const selected = w.sandboxes.visma.state.documents.filter((d) => d.status !== 'Voided');
    expect(await w.store.ledger.all()).toHaveLength(selected.length);
  });

  describe('a listing without a count moves the watermark only as far as it is proven complete', () => {
    const invoicesIn = async () => (await w.store.ledger.all()).filter((d) => d.documentType === 'invoice').length;
    const invoices = () =>
      w.sandboxes.visma.state.documents.filter((d) => d.kind === 'invoice' && d.status !== 'Voided');

    it('newest first and cut short on its one page: the watermark stays, the next run reads what was cut', async () => {
      w.sandboxes.visma.listMetadata = false;
      w.sandboxes.visma.listOrder = 'newest-first';
      w.sandboxes.visma.server.injectFault({
        method: 'GET',
        path: /^\/v1\/customerinvoice$/,
        query: /pageNumber=1(&|$)/,
        fault: { kind: 'cut', keep: 17 },
      });
      const first = await w.engine.run('user');
      expect(first.outcome).toBe('completed');
      expect(await invoicesIn()).toBe(17);
      expect(w.store.state.watermark('invoice')).toBeUndefined();
      const said = (await w.store.audit.entries(w.clock.month())).filter((e) => /watermark stays/.test(text(e.detail)));
      expect(said).toHaveLength(1);
      await w.engine.run('user');
      expect(await invoicesIn()).toBe(invoices().length);
    });

    it('oldest change first and cut short: the watermark moves to the last document seen, and no further', async () => {
      w.sandboxes.visma.listMetadata = false;
      const ascending = [...w.sandboxes.visma.state.documents].sort((a, b) =>
        a.lastModifiedDateTime.localeCompare(b.lastModifiedDateTime),
      );
      w.sandboxes.visma.state.documents.splice(0, Infinity, ...ascending);
      w.sandboxes.visma.server.injectFault({
        method: 'GET',
        path: /^\/v1\/customerinvoice$/,
        query: /pageNumber=1(&|$)/,
        fault: { kind: 'cut', keep: 17 },
      });
      await w.engine.run('user');
      const seen = ascending
        .filter((d) => d.kind === 'invoice')
        .slice(0, 17)
        .at(-1)!;
      expect(w.store.state.watermark('invoice')).toBe(seen.lastModifiedDateTime);
      await w.engine.run('user');
      expect(await invoicesIn()).toBe(invoices().length);
    });

    it('full pages ended by an empty one prove it; a short last page does not; a count does', async () => {
      const list = (pageSize: number) =>
        w.connectors().visma.listModifiedSince('invoice', '2000-01-01T00:00:00.000', { pageSize });
      const counted = await list(10);
      expect(counted.proof).toBe('count');
      const all = counted.documents.length;
      w.sandboxes.visma.listMetadata = false;
      const exact = await list(all / 2);
      expect([exact.documents.length, exact.pages, exact.proof]).toEqual([all, 3, 'empty-page']);
      const short = await list(all - 1);
      expect([short.documents.length, short.proof]).toEqual([all, 'none']);
    });
  });

  it('advances the watermark to the newest server timestamp it saw, never the PC clock', async () => {
    await w.engine.run('user');
    const newest = w.sandboxes.visma.state.documents
      .filter((d) => d.kind === 'invoice')
      .map((d) => d.lastModifiedDateTime)
      .sort()
      .at(-1)!;
    const wm = w.store.state.watermark('invoice')!;
    expect(wm <= newest).toBe(true);
    expect(wm).not.toMatch(/Z$/);
    const query = w.sandboxes.visma.server.log.filter((e) => e.path === '/v1/customerinvoice').at(-1)!.query;
    expect(query).toMatch(/lastModifiedDateTime=\d{4}-\d{2}-\d{2}T/);
  });
});
