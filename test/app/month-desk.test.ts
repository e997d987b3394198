import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { createHandlers, type Handlers } from '../../electron/app/handlers.js';
import { createRouter } from '../../electron/app/ipc-router.js';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { SecretsVault } from '../../electron/app/secrets-vault.js';
import { SettingsRepository } from '../../electron/app/settings-repo.js';
import { EphemeralCipher } from '../../electron/app/web-cipher.js';
import { createConnectors } from '../../electron/connectors/index.js';
import { DEMO_SHIP_FROM } from '../../electron/sandbox/demo-company.js';
import type { EventName } from '../../shared/ipc-channels.js';
import { BUCKETS } from '../../shared/month.js';
import { TEST_MONTH, testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * The Month-end screen's channels against the demo company, as the desk calls them: the reconciliation of a month
 * with blockers and of a clean one, close refused and done, reopen with a reason, the exports (and where they
 * went), a void, the changes to a closed month in the status, a dry run and a backfill with its events.
 */
describe('the month-end channels (what the Month-end screen calls)', () => {
  let app: AppController;
  let h: Handlers;
  let dir: string;
  const events: { event: EventName; payload: unknown }[] = [];
  const clock = testClock();
  const now = clock.now();
  const month = TEST_MONTH;
  /** The demo company's history starts 24 days ago: two years back nothing happened, so it is clean. */
  const quiet = `${now.getUTCFullYear() - 2}-01`;

  beforeAll(async () => {
    dir = tempDir('taxsync-month-desk-');
    app = new AppController({
      now: clock.now,
      dataDir: dir,
      settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
      vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), new EphemeralCipher()),
      emit: (event, payload) => void events.push({ event, payload }),
    });
    await app.start();
    h = createHandlers(app);
    expect((await h['sync:run-now']({})).outcome).toBe('completed');
  }, 180_000);
  afterAll(() => app?.close());

  it('reconciles a month with blockers: every document in one bucket, each blocker with its actions', async () => {
    const r = await h['month:reconcile']({ month });
    expect(r.month).toBe(month);
    expect(r.clean).toBe(false);
    expect(BUCKETS.reduce((s, b) => s + r.counts[b], 0)).toBe(r.documents.length);
    expect(r.counts.onlyInVisma + r.counts.differs + r.counts.uncommitted).toBeGreaterThan(0);
    for (const d of r.documents.filter((x) => !['matched', 'accepted'].includes(x.bucket)))
      expect(d.actions.length, d.code).toBeGreaterThan(0);
    // Money in integer minor units, as the contract says.
    expect(Number.isInteger(r.vatBase.visma)).toBe(true);
    expect(r.baseCurrency).toBe('SEK');

    // The running month is not closed, clean or not (issue 15 #7): refused in words.
    await expect(h['month:close']({ month })).rejects.toThrow(/has not ended yet/);
    expect(app.workspace.store.state.closedMonth(month)).toBeUndefined();
  }, 120_000);

  it('a clean month closes (audited, by the person at the computer) and reopens only with a reason', async () => {
    const r = await h['month:reconcile']({ month: quiet });
    expect(r.clean).toBe(true);
    const closed = await h['month:close']({ month: quiet, note: 'Nothing sold' });
    expect(closed.closed).toBe(true);
    expect(closed.reconciliation.closed).toMatchObject({ month: quiet, note: 'Nothing sold' });
    expect((await h['month:reconcile']({ month: quiet })).closed?.month).toBe(quiet);
    const audit = await app.workspace.store.audit.entries(quiet.slice(0, 7));
    const all = [...audit, ...(await app.workspace.store.audit.entries(month))];
    expect(
      all.some((e) => e.action === 'month-closed' && e.data?.month === quiet && text(e.detail).includes('closed by')),
    ).toBe(true);

    // The router refuses a reopen without a reason before the engine sees it.
    const route = createRouter(h);
    const without = await route('month:reopen', { month: quiet, reason: ' ' });
    expect(without).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await h['month:reopen']({ month: quiet, reason: 'A late credit note' })).toEqual({
      month: quiet,
      reopened: true,
    });
    expect(app.workspace.store.state.closedMonth(quiet)).toBeUndefined();
    const again = await route('month:reopen', { month: quiet, reason: 'Once more' });
    expect(again).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/not closed/) } });
  }, 120_000);

  it('exports the reconciliation and the VAT report, and says where the files went', async () => {
    const rec = await h['month:export-reconciliation']({ month, delimiter: ';' });
    expect(rec.cancelled).toBeUndefined();
    expect(rec.files.length).toBeGreaterThan(0);
    for (const f of rec.files) {
      expect(f.file.startsWith(join(dir, 'demo', 'exports'))).toBe(true);
      expect(existsSync(f.file)).toBe(true);
    }
    expect(readFileSync(rec.files[0]!.file, 'utf8').split('\n')[0]).toContain(';');
    const vat = await h['month:vat-report']({ month });
    expect(vat.files.length).toBeGreaterThan(0);
    expect(vat.baseCurrency).toBe('SEK');
    expect(Number.isInteger(vat.vatReturn?.domestic.vat)).toBe(true);
    expect(Number.isInteger(vat.vatReturn?.oss.vat)).toBe(true);
    expect(vat.clean).toBe(false);
    for (const f of vat.files) expect(existsSync(f.file)).toBe(true);
  }, 120_000);

  it('voids an AvaTax document Visma never had, with a reason; refuses one Visma still has', async () => {
    // Recorded in the demo AvaTax by another system (a web shop), committed.
    const settings = app.workspace.settings();
    await createConnectors(settings, app.workspace.secrets()).avatax.createTransaction({
      type: 'SalesInvoice',
      code: 'SHOP-7001',
      companyCode: settings.avalara.companyCode,
      date: `${month}-02`,
      customerCode: 'WEB',
      currencyCode: 'SEK',
      commit: true,
      addresses: { shipFrom: { ...DEMO_SHIP_FROM }, shipTo: { ...DEMO_SHIP_FROM } },
      lines: [{ number: '1', amount: 100, taxCode: 'P0000000' }],
    });
    const before = await h['month:reconcile']({ month });
    expect(before.documents.find((d) => d.code === 'SHOP-7001')).toMatchObject({ bucket: 'onlyInAvatax' });
    expect(await h['month:void']({ code: 'SHOP-7001', reason: 'Test order from the web shop' })).toMatchObject({
      code: 'SHOP-7001',
      status: expect.any(String),
    });
    const after = await h['month:reconcile']({ month });
    expect(after.documents.find((d) => d.code === 'SHOP-7001')).toBeUndefined();

    const live = after.documents.find((d) => d.avatax && d.visma && d.documentType === 'invoice')!;
    const refused = await h['month:void']({ code: live.code, reason: 'By mistake' });
    expect(text(refused.error)).toMatch(/Visma still has/);
  }, 120_000);

  it('issue 15 #10: the Audit month picker offers every month with documents, not only those with audit entries', async () => {
    const store = app.workspace.store;
    const row = (await store.ledger.inMonth(month))[0]!;
    // A document dated in September, synced (and audited) now: September has documents and no audit entries.
    await store.ledger.put({ ...row, key: 'invoice:909001', referenceNumber: '909001', documentDate: '2026-09-30' });
    await store.checkpoint();
    expect(store.audit.months()).not.toContain('2026-09');
    expect(await h['audit:months']({})).toContain('2026-09');
    const exported = await h['audit:export-month']({ month: '2026-09' });
    expect(exported).toMatchObject({ documentRows: 1 });
  }, 60_000);

  it('issue 15 #11: the demo’s Release in Visma releases a waiting document there and reprocesses it', async () => {
    const r = await h['month:reconcile']({ month });
    const waiting = r.documents.find(
      (d) => d.bucket === 'uncommitted' && d.actions.includes('release-in-visma') && d.documentType === 'invoice',
    )!;
    expect(waiting).toBeDefined();
    const answer = await h['month:demo-release']({ reference: waiting.referenceNumber, kind: 'invoice' });
    expect(answer).toMatchObject({ released: true, state: 'posted' });
    expect(app.workspace.sandboxes!.visma.find('invoice', waiting.referenceNumber)?.status).toBe('Open');
    const after = await h['month:reconcile']({ month });
    expect(after.documents.find((d) => d.code === waiting.code)?.bucket).toBe('matched');
    const audit = await app.workspace.store.audit.entries(month);
    expect(audit.some((e) => e.action === 'released' && /demo only/.test(text(e.detail)))).toBe(true);
    // Released already: said, nothing changes.
    const again = await h['month:demo-release']({ reference: waiting.referenceNumber, kind: 'invoice' });
    expect(again).toMatchObject({
      released: false,
      error: { code: 'demo-release-refused', params: expect.anything() },
    });
    expect(text(again.error)).toMatch(/did not release \d+: .*only unreleased documents can be released/);
  }, 60_000);

  it('the status names changes to closed months until someone acknowledges them', async () => {
    const state = app.workspace.store.state;
    state.noteClosedMonthChange({
      month: quiet,
      key: 'invoice:999999',
      referenceNumber: '999999',
      at: clock.now().toISOString(),
      detail: 'Voided in Visma after the month was closed',
    });
    const status = await h['app:status']({});
    expect(status.closedMonthChanges).toEqual([expect.objectContaining({ month: quiet, referenceNumber: '999999' })]);
    expect(await h['month:acknowledge-changes']({ month: quiet })).toEqual({ acknowledged: 1 });
    expect((await h['app:status']({})).closedMonthChanges).toEqual([]);
  });

  it('a dry run answers with per-document differences and changes nothing', async () => {
    const before = await app.workspace.store.ledger.all();
    const result = await h['month:dry-run']({ unreleased: true });
    expect(result.documents.length).toBeGreaterThan(0);
    for (const t of result.totals) expect(Number.isInteger(t.difference)).toBe(true);
    expect(await app.workspace.store.ledger.all()).toEqual(before);
  }, 120_000);

  it('a backfill starts, tells its progress, pauses and resumes through the events', async () => {
    events.length = 0;
    const from = new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
    const to = now.toISOString().slice(0, 10);
    expect(await h['month:backfill-status']({})).toBeNull();
    const started = await h['month:backfill-start']({ from, to, perMinute: 1 });
    expect(started).toMatchObject({ from, to, running: true });
    expect(started.total).toBeGreaterThan(0);
    // At one a minute the backfill is hours of waiting; Sync now is answered between its batches (its wait for the
    // pace is cut short), and the status names what runs and what waits (issue 14, item 12).
    expect((await h['app:status']({})).jobs).toEqual({ running: 'backfill', waiting: [] });
    const sync = h['sync:run-now']({});
    // Asked for: waiting for the next batch boundary, or already running there with the backfill behind it.
    expect([
      { running: 'backfill', waiting: ['sync'] },
      { running: 'sync', waiting: ['backfill'] },
    ]).toContainEqual((await h['app:status']({})).jobs);
    expect((await sync).outcome).toBe('completed');
    expect(await h['month:backfill-status']({})).toMatchObject({ status: 'running', running: true });
    expect(await h['month:backfill-pause']({})).toEqual({ pausing: true });
    await app.workspace.engine.idle();
    const ended = events.filter((e) => e.event === 'month:backfill-ended');
    expect(ended.at(-1)?.payload).toMatchObject({ backfill: { status: 'paused', running: false } });
    expect(await h['month:backfill-status']({})).toMatchObject({ status: 'paused', running: false });

    await h['month:backfill-resume']({ perMinute: 1000 });
    await app.workspace.engine.idle();
    expect(events.some((e) => e.event === 'month:backfill-progress')).toBe(true);
    expect(await h['month:backfill-status']({})).toMatchObject({ status: 'completed', done: started.total });
    expect(events.at(-1)?.event).toBe('documents:changed');
  }, 180_000);
});
