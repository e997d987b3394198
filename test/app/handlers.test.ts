import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { createHandlers, type Handlers } from '../../electron/app/handlers.js';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { type SecretCipher, SecretsVault } from '../../electron/app/secrets-vault.js';
import { SettingsRepository } from '../../electron/app/settings-repo.js';
import { EphemeralCipher } from '../../electron/app/web-cipher.js';
import { DEMO_SECRETS, demoSettings } from '../../electron/sandbox/demo-company.js';
import { formatReason } from '../../shared/reason-format.js';
import { settingsSchema } from '../../shared/settings.js';
import { TEST_MONTH, testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';
import { startWorld, type TestWorld } from '../helpers/sandboxes.js';

async function startApp(cipher: SecretCipher = new EphemeralCipher(), clock = testClock()) {
  const dir = tempDir('taxsync-app-');
  const events: string[] = [];
  const notes: string[] = [];
  const app = new AppController({
    now: clock.now,
    dataDir: dir,
    settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
    vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), cipher),
    emit: (e) => void events.push(e),
    notify: (title, body) => void notes.push(`${title}: ${body}`),
  });
  await app.start();
  return { app, handlers: createHandlers(app), dir, events, notes };
}

/** A server on loopback that only records what reaches it: a stand-in for an address the page should not reach. */
async function startRecorder() {
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the app handlers (what the UI calls)', () => {
  let app: AppController | undefined;
  let world: TestWorld | undefined;
  afterEach(async () => {
    await app?.close();
    await world?.close();
    app = undefined;
    world = undefined;
  });

  it('starts in demo mode, syncs, lists, details and exports', async () => {
    const s = await startApp();
    app = s.app;
    const h: Handlers = s.handlers;
    expect((await h['app:status']({})).mode).toBe('demo');
    const run = await h['sync:run-now']({});
    expect(run.outcome).toBe('completed');
    expect(s.events).toEqual(expect.arrayContaining(['sync:progress', 'sync:finished', 'documents:changed']));
    // In the language Settings name (the computer's until one is saved).
    expect(s.notes.some((n) => /\d+ (flagged|flaggade|markeret|markiert)/.test(n))).toBe(true);
    const status = await h['app:status']({});
    expect(status.counts.posted).toBeGreaterThan(0);
    expect(status.lastRun?.runId).toBe(run.runId);
    // The demo company has many invoices released before the first sync: the Overview says so.
    expect(status.arrivedReleased!.count).toBeGreaterThan(0);
    expect(status.arrivedReleased!.count).toBeLessThan(status.arrivedReleased!.total);

    const flagged = await h['documents:list']({ states: ['flagged'] });
    expect(flagged.total).toBe(status.counts.flagged);
    expect(flagged.rows.every((r) => r.state === 'flagged' && r.flag && r.flag.reasons.length > 0)).toBe(true);
    const danish = await h['documents:list']({ country: 'DK', currency: 'DKK' });
    expect(danish.rows.every((r) => r.country === 'DK' && r.currency === 'DKK')).toBe(true);
    const ørsted = danish.customers.find((c) => c.name === 'Ørsted Værktøj ApS')!;
    const byCustomer = await h['documents:list']({ customer: ørsted.number });
    expect(byCustomer.total).toBeGreaterThan(0);
    expect(byCustomer.rows.every((r) => r.customerNumber === ørsted.number)).toBe(true);
    const search = await h['documents:list']({ search: 'ørsted' });
    expect(search.rows.length).toBeGreaterThan(0);
    expect(search.rows.every((r) => r.customerName === 'Ørsted Værktøj ApS')).toBe(true);

    // Debit notes are documents of their own: listed, filtered by type, opened in the detail panel.
    const debits = await h['documents:list']({ documentType: 'debit-note' });
    expect(debits.total).toBeGreaterThan(0);
    expect(debits.rows.every((r) => r.documentType === 'debit-note' && r.key.startsWith('debit-note:'))).toBe(true);
    const debit = (await h['documents:get']({ key: debits.rows[0]!.key }))!;
    expect(debit.document.avataxCode).toBe(`VN-DBN-${debits.rows[0]!.referenceNumber}`);

    const written = (await h['documents:list']({ state: 'calculated' })).rows;
    const details = await Promise.all(written.map((r) => h['documents:get']({ key: r.key })));
    const detail = details.find((d) => d?.document.writtenBack)!;
    expect(detail.document.lines.length).toBeGreaterThan(0);
    expect(detail.audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['calculated', 'written-back', 'awaiting-release']),
    );
    expect(JSON.stringify(detail)).not.toMatch(/prevHash/);

    const month = TEST_MONTH;
    // Every HTTP exchange of the run is logged under its run id, summarised, without secrets.
    const apiLog = readFileSync(join(s.dir, 'demo', 'audit', `api-${month}.jsonl`), 'utf8');
    const exchanges = apiLog
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ofRun = exchanges.filter((e) => e.runId === run.runId);
    expect(ofRun.length).toBeGreaterThan(run.fetched);
    for (const e of ofRun) {
      expect(e).toMatchObject({
        service: expect.any(String),
        method: expect.stringMatching(/^(GET|POST|PUT)$/),
        path: expect.stringMatching(/^\/|^$/),
        durationMs: expect.any(Number),
        attempt: expect.any(Number),
      });
      expect(e.status === 'network-error' || e.status === 'timeout' || Number.isInteger(e.status)).toBe(true);
    }
    expect(ofRun.some((e) => e.service === 'AvaTax' && e.correlationId)).toBe(true);
    expect(apiLog).not.toContain(DEMO_SECRETS.vismaClientSecret);
    expect(apiLog).not.toContain(DEMO_SECRETS.avalaraLicenseKey);
    expect(apiLog).not.toMatch(/Basic |Bearer /);
    const exported = await h['audit:export-month']({ month });
    expect(existsSync(exported.auditFile!)).toBe(true);
    expect(exported.auditFile).toBe(join(s.dir, 'demo', 'exports', `audit-${month}.csv`));
  });

  it('fixes a flagged address from the UI and reprocesses the waiting documents', async () => {
    const s = await startApp();
    app = s.app;
    await s.handlers['sync:run-now']({});
    const rows = (await s.handlers['documents:list']({ states: ['flagged'] })).rows;
    const lone = rows.find((r) => r.customerName === 'Lone Star Fika Co.')!;
    expect(lone.flag?.suggestedAddress).toMatchObject({ line1: '1999 Marilla St', postalCode: '75201' });
    const fixed = await s.handlers['address:fix']({
      customerNumber: lone.customerNumber,
      address: lone.flag!.suggestedAddress!,
    });
    expect(fixed.saved).toBe(true);
    const results = fixed.documents;
    expect(results.length).toBe(rows.filter((r) => r.customerNumber === lone.customerNumber).length);
    // Out of flagged: posted or calculated, or (a US customer booked without sales tax) a variance shown.
    expect(results.every((r) => r.state !== 'flagged' && r.state !== undefined)).toBe(true);
  });

  it('a reprocess joins the history but is not the Last run: the Overview card and the schedule count from the sync', async () => {
    const s = await startApp();
    app = s.app;
    const run = await s.handlers['sync:run-now']({});
    const flagged = (await s.handlers['documents:list']({ states: ['flagged'] })).rows[0]!;
    await s.handlers['documents:reprocess']({ references: [flagged.referenceNumber] });
    const status = await s.handlers['app:status']({});
    expect(status.recentRuns[0]).toMatchObject({ kind: 'reprocess' });
    expect(status.lastRun?.runId).toBe(run.runId);
  });

  it('every audit entry names who did it: the OS user for a person, "schedule" for the timer; the chain holds', async () => {
    const s = await startApp();
    app = s.app;
    await s.handlers['sync:run-now']({});
    const flagged = (await s.handlers['documents:list']({ states: ['flagged'] })).rows[0]!;
    await s.handlers['documents:reprocess']({ references: [flagged.referenceNumber] });
    await s.app.runSync('scheduler');
    const month = (await s.handlers['audit:months']({}))[0]!;
    const entries = await s.handlers['audit:list']({ month });
    const me = userInfo().username;
    expect(entries.find((e) => e.action === 'reprocessed')).toMatchObject({ actor: 'user', by: me });
    const started = entries.filter((e) => e.action === 'run-started');
    expect(started.map((e) => e.by)).toEqual(['schedule', me]);
    const detail = await s.handlers['documents:get']({ key: flagged.key });
    expect(detail!.audit.find((e) => e.action === 'reprocessed')?.by).toBe(me);
    for (const m of s.app.workspace.store.audit.months())
      expect((await s.app.workspace.store.audit.verify(m)).problems).toEqual([]);
  });

  it('the run history names who ran each run: the OS user for a person, "schedule" for the timer', async () => {
    const s = await startApp();
    app = s.app;
    await s.handlers['sync:run-now']({});
    const flagged = (await s.handlers['documents:list']({ states: ['flagged'] })).rows[0]!;
    await s.handlers['documents:reprocess']({ references: [flagged.referenceNumber] });
    await s.app.runSync('scheduler');
    const me = userInfo().username;
    const runs = (await s.handlers['app:status']({})).recentRuns;
    expect(runs.slice(0, 3).map((r) => [r.kind, r.actor, r.by])).toEqual([
      ['sync', 'scheduler', 'schedule'],
      ['reprocess', 'user', me],
      ['sync', 'user', me],
    ]);
  });

  it('an acceptance names the person who accepted it (the OS user), as its audit entry does', async () => {
    const s = await startApp();
    app = s.app;
    await s.handlers['sync:run-now']({});
    const waiting = (await s.handlers['documents:list']({ states: ['needs-attention'] })).rows.find((r) =>
      /VAT differs/.test(text(r.reason)),
    )!;
    expect(waiting).toBeDefined();
    const [result] = await s.handlers['documents:accept']({
      reference: waiting.referenceNumber,
      reason: 'Agreed with the customer',
    });
    expect(result!.state).toBe('posted');
    const detail = (await s.handlers['documents:get']({ key: waiting.key }))!;
    const me = userInfo().username;
    expect(detail.document.acceptance).toMatchObject({ reason: 'Agreed with the customer', by: me });
    expect(detail.audit.filter((e) => e.action === 'accepted').map((e) => e.by)).toContain(me);
  });

  it('exports the Transactions view as shown: its filters, its sort, its columns; the audit says how many', async () => {
    const s = await startApp();
    app = s.app;
    const h = s.handlers;
    await h['sync:run-now']({});
    const listed = await h['documents:list']({ currency: 'SEK' });
    expect(listed.baseCurrency).toBe('SEK');
    const out = await h['documents:export-view']({
      currency: 'SEK',
      sort: { column: 'amount', direction: 'asc' },
      columns: ['ref', 'amount', 'tax'],
      delimiter: ';',
    });
    expect(out.documentRows).toBe(listed.total);
    const lines = readFileSync(out.documentsFile!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('reference_number;currency;amount;tax');
    expect(lines.length - 1).toBe(listed.total);
    const amounts = lines.slice(1).map((l) => Number(l.split(';')[2]!.replace(',', '.')));
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    // A document with no tax yet has an empty tax cell, not 0,00.
    const noTax = listed.rows.find((r) => r.totalTax === null);
    if (noTax) expect(lines.find((l) => l.startsWith(`${noTax.referenceNumber};`))).toMatch(/;$/);
    const month = TEST_MONTH;
    const entry = (await h['audit:list']({ month, action: 'exported' }))[0]!;
    expect(text(entry.detail)).toBe(
      `Transactions view exported: ${listed.total} documents, sorted by amount (asc); filters: currency SEK`,
    );
  });

  it('each Settings section saves on its own: the language without a ship-from, Test Visma without AvaTax', async () => {
    const s = await startApp();
    app = s.app;
    const h = s.handlers;
    const blank = (await h['settings:get']({})).settings;
    const form = { ...blank, company: { shipFrom: { line1: '', city: '', postalCode: '', country: 'SE' } } };
    const display = await h['settings:save']({
      section: 'display',
      settings: { ...form, export: { delimiter: ';' }, ui: { locale: 'sv-SE' } },
    });
    expect(display.ok).toBe(true);
    if (display.ok) {
      expect(display.view.saved).toMatchObject({ display: true, company: false, visma: false });
      expect(display.view.settings.ui.locale).toBe('sv-SE');
    }
    // A section's problems are its own: the blank ship-from is not the Visma section's business.
    const visma = await h['settings:save']({
      section: 'visma',
      settings: { ...form, visma: { ...form.visma, apiUrl: 'visma.net' } },
    });
    expect(visma).toMatchObject({
      ok: false,
      errors: ['Visma, API URL: must be a web address such as https://api.finance.visma.net'],
      // The fields, structured, for the screen to say in its words.
      issues: [{ path: ['visma', 'apiUrl'], code: 'invalid_format', format: 'url' }],
    });
    const company = await h['settings:save']({ section: 'company', settings: form });
    expect(company.ok).toBe(false);
    if (!company.ok) expect(company.errors.every((e) => e.startsWith('Company, ship-from address'))).toBe(true);
    expect(
      await h['settings:save']({ section: 'visma', settings: form, secrets: { avalaraLicenseKey: 'KEY' } }),
    ).toEqual({
      ok: false,
      errors: ['The AvaTax license key is saved with the AvaTax section'],
      refusal: { code: 'secret-with-avatax' },
    });

    // Test Visma with only the Visma section filled in: no ship-from, no AvaTax account.
    const sandboxVisma = s.app.workspace.settings().visma;
    const tested = await h['connection:test']({
      target: 'visma',
      settings: { visma: sandboxVisma },
      secret: DEMO_SECRETS.vismaClientSecret,
    });
    expect(tested).toMatchObject({ ok: true, kind: 'ok' });
    expect((await h['app:status']({})).mode).toBe('demo');
  });

  it("counts days and months in the company's time zone: 00:30 on 1 December in Stockholm is December", async () => {
    const s = await startApp(new EphemeralCipher(), testClock('2026-11-30T23:30:00Z'));
    app = s.app;
    const h = s.handlers;
    const view = await h['settings:get']({});
    const saved = await h['settings:save']({
      section: 'company',
      settings: { ...view.settings, company: { ...view.settings.company, timeZone: 'Europe/Stockholm' } },
    });
    expect(saved.ok).toBe(true);
    const status = await h['app:status']({});
    expect(status).toMatchObject({ today: '2026-12-01', timeZone: 'Europe/Stockholm' });
    expect(status.arrivedReleased?.month).toBe('2026-12');
    expect((await h['audit:months']({}))[0]).toBe('2026-12');
    await h['sync:run-now']({});
    const december = await h['audit:list']({ month: '2026-12' });
    expect(december.some((e) => e.action === 'run-started')).toBe(true);
    expect((await h['audit:list']({ month: '2026-11' })).some((e) => e.action === 'run-started')).toBe(false);
    // A zone that is not one is refused with the field named, never saved.
    const bad = await h['settings:save']({
      section: 'company',
      settings: { ...view.settings, company: { ...view.settings.company, timeZone: 'Europe/Stokholm' } },
    });
    expect(bad.ok).toBe(false);
  }, 60_000);

  it('the demo company runs on the settings saved (mapping, item tax codes, CSV separator, schedule), never its connections', async () => {
    const s = await startApp();
    app = s.app;
    const h = s.handlers;
    const view = await h['settings:get']({});
    // Settings shows the demo's real mapping table, not an empty one.
    expect(view.settings.vatMapping).toEqual(s.app.workspace.settings().vatMapping);
    expect(view.settings.vatMapping.length).toBeGreaterThan(10);
    expect(view.settings.visma.apiUrl).toBe('https://api.finance.visma.net');
    const mapping = view.settings.vatMapping.filter((r) => r.vatId !== 'MP3');
    const saved = await h['settings:save']({
      section: 'mapping',
      settings: { ...view.settings, vatMapping: mapping, itemTaxCodes: { 'BOOK-1': 'PB100000' } },
    });
    expect(saved.ok).toBe(true);
    await h['settings:save']({ section: 'display', settings: { ...view.settings, export: { delimiter: ';' } } });
    await h['settings:save']({
      section: 'sync',
      settings: { ...view.settings, sync: { ...view.settings.sync, schedule: { mode: 'interval', minutes: 15 } } },
    });
    const used = s.app.workspace.settings();
    expect(used.vatMapping).toEqual(mapping);
    expect(used.itemTaxCodes).toEqual({ 'BOOK-1': 'PB100000' });
    expect(used.export.delimiter).toBe(';');
    expect(used.visma.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const status = await h['app:status']({});
    expect(status.mode).toBe('demo');
    expect(status.scheduleLabel).toEqual({ code: 'schedule-interval', params: { count: 15 } });
    expect(status.nextRunAt).toBeDefined();
    expect((await h['settings:get']({})).settings.vatMapping).toEqual(mapping);

    // And again after a restart.
    await s.app.close();
    const again = new AppController({ ...s.app.deps, emit: () => undefined });
    app = again;
    await again.start();
    expect(again.workspace.settings().vatMapping).toEqual(mapping);
    expect(again.workspace.settings().export.delimiter).toBe(';');
    const month = TEST_MONTH;
    const exported = await createHandlers(again)['audit:export-month']({ month });
    expect(readFileSync(exported.auditFile!, 'utf8').split('\r\n')[0]).toMatch(/^\uFEFFtimestamp_utc;run_id;actor/);
  });

  it('company switches run one at a time; a Sync now asked meanwhile runs on the company open afterwards', async () => {
    world = await startWorld({ invoices: 2, creditNotes: 0 });
    const dir = tempDir('taxsync-app-');
    let open = 0;
    let most = 0;
    let opened = 0;
    const controller = new AppController({
      now: testClock().now,
      dataDir: dir,
      settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
      vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), new EphemeralCipher()),
      emit: () => undefined,
      // Every switch opens a workspace of its own (a demo one here, while the saved company is live).
      workspace: async () => {
        const { openDemoWorkspace } = await import('../../electron/app/workspace.js');
        const ws = await openDemoWorkspace({ dataDir: join(dir, `company-${++opened}`), now: testClock().now });
        most = Math.max(most, ++open);
        const close = ws.close;
        ws.close = async () => {
          open--;
          await close();
        };
        return ws;
      },
    });
    app = controller;
    await controller.start();
    controller.deps.settings.save(settingsSchema.parse(demoSettings(world.sandboxes.urls, world.sandboxes.startFrom)));
    await controller.deps.vault.set('vismaClientSecret', DEMO_SECRETS.vismaClientSecret);
    await controller.deps.vault.set('avalaraLicenseKey', DEMO_SECRETS.avalaraLicenseKey);
    const first = controller.workspace;
    const reloads = Promise.all([controller.reload(), controller.reload()]);
    const run = controller.runSync('user');
    await reloads;
    const summary = await run;
    expect(summary.outcome).toBe('completed');
    expect(controller.workspace).not.toBe(first);
    expect(most).toBe(1);
    expect(open).toBe(1);
    expect(await first.engine.run('user').catch((e) => (e as Error).name)).toBe('CancelledError');
  }, 60_000);

  it('a damaged ledger month: the company is not opened, the app says so and repairs it from Visma and AvaTax', async () => {
    world = await startWorld({ invoices: 12, creditNotes: 2 });
    const s = await startApp();
    app = s.app;
    const live = demoSettings(world.sandboxes.urls, world.sandboxes.startFrom);
    expect((await s.handlers['settings:save']({ settings: live, secrets: { ...DEMO_SECRETS } })).ok).toBe(true);
    expect((await s.handlers['app:status']({})).mode).toBe('live');
    await s.handlers['sync:run-now']({});
    const rows = s.app.workspace.store.ledger.size;
    await s.app.close();
    writeFileSync(join(s.dir, 'ledger', `${TEST_MONTH}.jsonl`), '');

    const again = new AppController({ ...s.app.deps, emit: () => undefined });
    app = again;
    await again.start();
    const h = createHandlers(again);
    const status = await h['app:status']({});
    expect(status.mode).toBe('demo');
    expect(status.damage).toMatchObject({ month: TEST_MONTH, file: join(s.dir, 'ledger', `${TEST_MONTH}.jsonl`) });
    expect(text(status.problem)).toMatch(/empty, but the ledger recorded/);
    const repaired = await h['data:repair']({ month: TEST_MONTH });
    expect(repaired.known).toBe(rows);
    expect(Object.values(repaired.rebuilt).reduce((a, b) => a + b, 0)).toBe(rows);
    const after = await h['app:status']({});
    expect(after).toMatchObject({ mode: 'live' });
    expect(after.damage).toBeUndefined();
    expect(after.problem).toBeUndefined();
  }, 120_000);

  it('credentials saved but no ship-from yet: the demo stays, and the app says what is missing', async () => {
    world = await startWorld({ invoices: 2, creditNotes: 0 });
    const s = await startApp();
    app = s.app;
    const live = demoSettings(world.sandboxes.urls, world.sandboxes.startFrom);
    await s.handlers['settings:save']({
      section: 'visma',
      settings: live,
      secrets: { vismaClientSecret: DEMO_SECRETS.vismaClientSecret },
    });
    await s.handlers['settings:save']({
      section: 'avalara',
      settings: live,
      secrets: { avalaraLicenseKey: DEMO_SECRETS.avalaraLicenseKey },
    });
    const status = await s.handlers['app:status']({});
    expect(status.mode).toBe('demo');
    expect(status.problem).toEqual({ code: 'company-no-ship-from' });
    expect(formatReason(status.problem!, 'en')).toMatch(/Save the ship-from address/);
    await s.handlers['settings:save']({ section: 'company', settings: live });
    expect((await s.handlers['app:status']({})).mode).toBe('live');
  });

  it('closing during a sync cancels it and checkpoints before the files close', async () => {
    const s = await startApp();
    const running = s.handlers['sync:run-now']({});
    await new Promise((r) => setTimeout(r, 150));
    await s.app.close();
    const summary = await running;
    expect(['cancelled', 'completed']).toContain(summary.outcome);
    const { openStore } = await import('../../electron/store/index.js');
    const reopened = await openStore(join(s.dir, 'demo'), { now: testClock().now });
    expect(reopened.state.lastRun()?.runId).toBe(summary.runId);
    for (const month of reopened.audit.months()) expect((await reopened.audit.verify(month)).problems).toEqual([]);
  });

  it('serves Visma’s VAT categories, zones and VAT ids for the mapping table, and says when AvaTax is down', async () => {
    const s = await startApp();
    app = s.app;
    const lists = await s.handlers['visma:vat-lists']({});
    expect(lists.categories.find((c) => c.id === 'BOOK')?.vatIds).toContain('MP3');
    expect(lists.zones.find((z) => z.id === 'OSSDE')?.vatIds).toEqual(['OSS-DE19', 'OSS-DE7']);
    expect(lists.vats.find((v) => v.id === 'OSS-FI255')?.rate).toBe(25.5);
    s.app.workspace.sandboxes!.avatax.server.injectFault({
      path: /\/transactions\//,
      fault: { kind: 'drop' },
      times: 100_000,
    });
    const run = await s.handlers['sync:run-now']({});
    expect(run.outcome).toBe('failed');
    const status = await s.handlers['app:status']({});
    expect(status.outage).toMatchObject({ service: 'AvaTax' });
    expect(status.recentRuns[0]!.runId).toBe(run.runId);
  });

  it('rejects bad settings with messages a finance user understands', async () => {
    const s = await startApp();
    app = s.app;
    const result = await s.handlers['settings:save']({
      settings: {
        visma: { apiUrl: 'visma.net', tenantId: 't' },
        avalara: { accountId: '12ab' },
        company: { shipFrom: { line1: '', city: 'Göteborg', postalCode: '417 07', country: 'Sverige' } },
        vatMapping: [{ country: 'SE', rate: 25, vatCategoryId: '', vatId: 'MP1' }],
      },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual(
        expect.arrayContaining([
          'Visma, API URL: must be a web address such as https://api.finance.visma.net',
          'AvaTax, account id: account id is a number',
          'Company, ship-from address, street: street is required',
          'Company, ship-from address, country: "Sverige" is a country’s name, not its code: the ISO 3166 code is SE',
          'VAT mapping, row 1, rate: rate is stored as a fraction: 0.25 for 25 %',
          'VAT mapping, row 1, VAT category: VAT category is required',
        ]),
      );
    }
    expect((await s.handlers['app:status']({})).mode).toBe('demo');
  });

  it('refuses to store secrets without a keyring (basic_text), saying why', async () => {
    const basic: SecretCipher = {
      backend: () => 'basic_text',
      isAvailable: () => true,
      encrypt: async () => Buffer.from(''),
      decrypt: async () => ({ result: '', shouldReEncrypt: false }),
    };
    const s = await startApp(basic);
    app = s.app;
    const view = await s.handlers['settings:get']({});
    expect(view.secretsBackend).toMatchObject({ available: false, backend: 'basic_text' });
    const result = await s.handlers['settings:save']({
      settings: demoSettings({ visma: 'http://127.0.0.1:1', avatax: 'http://127.0.0.1:1' }, '2026-11-01'),
      secrets: { vismaClientSecret: 'x1234' },
    });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.errors[0]).toMatch(/No system keyring/);
    expect(existsSync(join(s.dir, 'secrets.json'))).toBe(false);
  });

  it('sends the saved secrets only to the saved addresses; a changed address needs the secret typed in', async () => {
    world = await startWorld({ invoices: 2, creditNotes: 0 });
    const recorder = await startRecorder();
    try {
      const s = await startApp();
      app = s.app;
      const live = demoSettings(world.sandboxes.urls, world.sandboxes.startFrom);
      expect((await s.handlers['settings:save']({ settings: live, secrets: { ...DEMO_SECRETS } })).ok).toBe(true);

      // The saved addresses, with the saved secrets: allowed.
      expect(await s.handlers['connection:test']({ target: 'visma', settings: live })).toMatchObject({ ok: true });
      expect(await s.handlers['connection:test']({ target: 'avatax', settings: live })).toMatchObject({ ok: true });

      // Another address without a secret: refused before anything is sent.
      const otherAvaTax = { ...live, avalara: { ...live.avalara, apiUrl: recorder.url } };
      const otherToken = { ...live, visma: { ...live.visma, tokenUrl: `${recorder.url}/connect/token` } };
      const otherVismaApi = { ...live, visma: { ...live.visma, apiUrl: recorder.url } };
      expect(await s.handlers['connection:test']({ target: 'avatax', settings: otherAvaTax })).toMatchObject({
        ok: false,
        kind: 'auth',
        message:
          'The saved AvaTax license key is only sent to the saved AvaTax address. To test a new address, type the license key in again.',
      });
      for (const settings of [otherToken, otherVismaApi]) {
        expect(await s.handlers['connection:test']({ target: 'visma', settings })).toMatchObject({
          ok: false,
          kind: 'auth',
          message:
            'The saved Visma client secret is only sent to the saved Visma addresses. To test a new address, type the client secret in again.',
        });
      }
      expect(recorder.seen).toEqual([]);

      // Another address with the secret typed in: that secret, and only it, goes there.
      await s.handlers['connection:test']({ target: 'avatax', settings: otherAvaTax, secret: 'TYPED-KEY-1' });
      await s.handlers['connection:test']({ target: 'visma', settings: otherToken, secret: 'typed-secret-2' });
      expect(recorder.seen.length).toBeGreaterThan(0);
      const sent = JSON.stringify(recorder.seen);
      expect(sent).not.toContain(DEMO_SECRETS.avalaraLicenseKey);
      expect(sent).not.toContain(DEMO_SECRETS.vismaClientSecret);
      expect(sent).toContain(Buffer.from(`${live.avalara.accountId}:TYPED-KEY-1`).toString('base64'));
      expect(sent).toContain('typed-secret-2');
    } finally {
      await recorder.close();
    }
  });

  it('saving new addresses without retyping the secret drops the stored one: the new host never receives it', async () => {
    world = await startWorld({ invoices: 2, creditNotes: 0 });
    const recorder = await startRecorder();
    try {
      const s = await startApp();
      app = s.app;
      const live = demoSettings(world.sandboxes.urls, world.sandboxes.startFrom);
      expect((await s.handlers['settings:save']({ settings: live, secrets: { ...DEMO_SECRETS } })).ok).toBe(true);
      const moved = { ...live, visma: { ...live.visma, tokenUrl: `${recorder.url}/connect/token` } };
      expect((await s.handlers['settings:save']({ section: 'visma', settings: moved })).ok).toBe(true);
      const view = await s.handlers['settings:get']({});
      expect(view.secrets.vismaClientSecret.set).toBe(false);
      expect(view.secrets.avalaraLicenseKey.set).toBe(true);
      // Neither a connection test nor a sync sends the old secret to the new host.
      const tested = await s.handlers['connection:test']({ target: 'visma', settings: moved });
      expect(tested.ok).toBe(false);
      await s.handlers['sync:run-now']({}).catch(() => undefined);
      expect(JSON.stringify(recorder.seen)).not.toContain(DEMO_SECRETS.vismaClientSecret);
      const entries = await s.handlers['audit:list']({ month: TEST_MONTH });
      expect(
        entries.some(
          (e) => e.action === 'credentials-changed' && /Visma client secret was removed/.test(text(e.detail)),
        ),
      ).toBe(true);
      // The same address saved again (another field changed) keeps the secret.
      const kept = { ...live, avalara: { ...live.avalara, companyCode: 'OTHER' } };
      expect((await s.handlers['settings:save']({ section: 'avalara', settings: kept })).ok).toBe(true);
      expect((await s.handlers['settings:get']({})).secrets.avalaraLicenseKey.set).toBe(true);
    } finally {
      await recorder.close();
    }
  }, 60_000);

  it('tests connections with a clear answer, then switches to the live company once credentials are saved', async () => {
    world = await startWorld({ invoices: 12, creditNotes: 2 });
    const s = await startApp();
    app = s.app;
    const live = demoSettings(world.sandboxes.urls, world.sandboxes.startFrom);
    const wrong = await s.handlers['connection:test']({ target: 'avatax', settings: live, secret: 'WRONG-KEY-000' });
    expect(wrong).toMatchObject({ ok: false, kind: 'auth' });
    const badVisma = await s.handlers['connection:test']({ target: 'visma', settings: live, secret: 'nope-nope' });
    expect(badVisma.ok).toBe(false);
    expect(badVisma.message).toMatch(/invalid_client/);
    const ok = await s.handlers['connection:test']({
      target: 'visma',
      settings: live,
      secret: DEMO_SECRETS.vismaClientSecret,
    });
    expect(ok).toMatchObject({ ok: true, kind: 'ok' });

    const saved = await s.handlers['settings:save']({ settings: live, secrets: { ...DEMO_SECRETS } });
    expect(saved.ok).toBe(true);
    if (saved.ok) {
      expect(saved.view.mode).toBe('live');
      // Live: the screen says which Visma company and which AvaTax account and company it works on.
      expect(saved.view.connected).toEqual({
        vismaTenantId: live.visma.tenantId,
        avataxAccountId: live.avalara.accountId,
        avataxCompanyCode: live.avalara.companyCode,
        avataxEnvironment: 'custom',
      });
      expect(saved.view.secrets.vismaClientSecret.set).toBe(true);
      expect(JSON.stringify(saved.view)).not.toContain(DEMO_SECRETS.vismaClientSecret);
      expect(JSON.stringify(saved.view)).not.toContain(DEMO_SECRETS.avalaraLicenseKey);
    }
    const status = await s.handlers['app:status']({});
    expect(status.mode).toBe('live');
    expect(status.nextRunAt).toBeDefined();
    const run = await s.handlers['sync:run-now']({});
    expect(run.fetched).toBe(world.sandboxes.visma.state.documents.filter((d) => d.status !== 'Voided').length);
    const auditText = JSON.stringify(await s.handlers['audit:list']({ month: TEST_MONTH }));
    expect(auditText).toMatch(/credentials-changed/);
    expect(auditText).not.toContain(DEMO_SECRETS.vismaClientSecret);
  });
});
