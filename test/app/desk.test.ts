import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { createHandlers } from '../../electron/app/handlers.js';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { SecretsVault } from '../../electron/app/secrets-vault.js';
import { SettingsRepository } from '../../electron/app/settings-repo.js';
import { EphemeralCipher } from '../../electron/app/web-cipher.js';
import { formatReason } from '../../shared/reason-format.js';
import { reason } from '../../shared/reasons.js';
import { TEST_MONTH, testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { ledgerDoc } from '../helpers/ledger.js';
import { parseCsv } from '../helpers/parse-csv.js';

/** The accountant's desk, round 2, as main serves it: words as codes, searches, exports, the settings' audit. */
async function startApp() {
  const dir = tempDir('taxsync-desk-');
  const app = new AppController({
    now: testClock().now,
    dataDir: dir,
    settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
    vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), new EphemeralCipher()),
    emit: () => undefined,
  });
  await app.start();
  return { app, h: createHandlers(app), dir };
}

const day = `${TEST_MONTH}-20`;

describe('the desk, main side', () => {
  let app: AppController | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('Settings changes are audited old → new, in the reader’s words; a save that changes nothing is not', async () => {
    const s = await startApp();
    app = s.app;
    const view = await s.h['settings:get']({});
    const schedule = (minutes: number) => ({
      ...view.settings,
      sync: { ...view.settings.sync, schedule: { mode: 'interval' as const, minutes } },
    });
    expect((await s.h['settings:save']({ section: 'sync', settings: schedule(15) })).ok).toBe(true);
    expect((await s.h['settings:save']({ section: 'sync', settings: schedule(30) })).ok).toBe(true);
    expect((await s.h['settings:save']({ section: 'sync', settings: schedule(30) })).ok).toBe(true);
    const entries = await s.h['audit:list']({ month: TEST_MONTH, action: 'settings-changed' });
    const said = entries.map((e) => formatReason(e.detail, 'en')).reverse();
    expect(said).toEqual([
      'Settings saved: Sync › schedule: At 17:30 on weekdays → Every 15 minutes',
      'Settings saved: Sync › schedule: Every 15 minutes → Every 30 minutes',
    ]);
    expect(formatReason(entries[0]!.detail, 'sv-SE')).toBe(
      'Inställningar sparade: Synk › schema: Var 15:e minut → Var 30:e minut',
    );
    expect(said.join(' ')).not.toMatch(/no change/);
  });

  it('a new secret is audited as stored, never its value', async () => {
    const s = await startApp();
    app = s.app;
    const view = await s.h['settings:get']({});
    await s.h['settings:save']({
      section: 'visma',
      settings: { ...view.settings, visma: { ...view.settings.visma, tenantId: 'T-1' } },
      secrets: { vismaClientSecret: 'very-secret-value' },
    });
    const entries = await s.h['audit:list']({ month: TEST_MONTH });
    const all = JSON.stringify(entries);
    expect(all).not.toContain('very-secret-value');
    const words = entries.map((e) => formatReason(e.detail, 'en'));
    expect(words).toContain('New Visma client secret stored encrypted');
    expect(words).toContain('Settings saved: Visma › tenant id: (empty) → T-1');
  });

  it('search ignores accents: "Cafe" finds "Café Blåbär HB", in the documents and in the audit trail', async () => {
    const s = await startApp();
    app = s.app;
    const ledger = s.app.workspace.store.ledger;
    await ledger.put(ledgerDoc('990001', day, { customerName: 'Café Blåbär HB', customerNumber: '10009' }));
    await ledger.put(ledgerDoc('990002', day, { customerName: 'Åkesson & Söner AB' }));
    const found = await s.h['documents:list']({ search: 'cafe blabar' });
    expect(found.rows.map((r) => r.referenceNumber)).toEqual(['990001']);
    expect((await s.h['documents:list']({ search: 'CAFÉ' })).rows.map((r) => r.referenceNumber)).toEqual(['990001']);
    // The audit trail is searched in the words the reader sees (here Swedish), accents or not.
    const view = await s.h['settings:get']({});
    await s.h['settings:save']({
      section: 'sync',
      settings: { ...view.settings, sync: { ...view.settings.sync, concurrency: 3 } },
    });
    const sv = await s.h['audit:list']({ month: TEST_MONTH, search: 'installningar sparade', locale: 'sv-SE' });
    expect(sv.map((e) => e.action)).toEqual(['settings-changed']);
  });

  it('CSVs in the export’s language beside a stable code column; the audit CSV names who, as the screen does', async () => {
    const s = await startApp();
    app = s.app;
    const ledger = s.app.workspace.store.ledger;
    await ledger.put(
      ledgerDoc('990003', day, {
        state: 'flagged',
        recordedTax: undefined,
        reasons: [reason('address-city-missing'), 'An old English reason'],
      }),
    );
    const view = await s.h['settings:get']({});
    await s.h['settings:save']({
      section: 'sync',
      settings: { ...view.settings, sync: { ...view.settings.sync, concurrency: 2 } },
    });
    const out = await s.h['audit:export-month']({ month: TEST_MONTH, delimiter: ';', locale: 'sv-SE' });
    const docs = parseCsv(readFileSync(out.documentsFile!, 'utf8'), ';');
    const col = (rows: string[][], name: string) => rows[0]!.indexOf(name);
    const row = docs.find((r) => r[1] === '990003')!;
    expect(row[col(docs, 'state')]).toBe('flaggad adress');
    expect(row[col(docs, 'state_code')]).toBe('flagged');
    expect(row[col(docs, 'errors')]).toBe('Ort saknas | An old English reason');
    expect(row[col(docs, 'error_codes')]).toBe('address-city-missing | text');
    // New columns come after the contract's old ones.
    expect(docs[0]!.indexOf('state_code')).toBeGreaterThan(docs[0]!.indexOf('variance'));
    const audit = parseCsv(readFileSync(out.auditFile!, 'utf8'), ';');
    const saved = audit.find((r) => r[col(audit, 'action')] === 'settings-changed')!;
    expect(saved[col(audit, 'detail')]).toMatch(/^Inställningar sparade: Synk › dokument parallellt: /);
    expect(saved[col(audit, 'detail_code')]).toBe('settings-saved');
    expect(saved[col(audit, 'by')]).toBe(saved[col(audit, 'by')]!.trim());
    expect(saved[col(audit, 'by')]).not.toBe('');
    expect(saved[col(audit, 'actor')]).toBe('user');
  });

  it('a refused address save is not a run: nothing written, nothing in the run history', async () => {
    const s = await startApp();
    app = s.app;
    const before = (await s.h['app:status']({})).recentRuns.length;
    const result = await s.h['address:fix']({
      customerNumber: '10001',
      address: { line1: 'Storgatan 1', city: '', postalCode: '41', country: 'SE' },
    });
    expect(result.saved).toBe(false);
    expect(result.problems.map((p) => formatReason(p, 'en'))).toContain('City is missing');
    expect(result.problems.map((p) => formatReason(p, 'de'))).toContain('Ort fehlt');
    const runs = (await s.h['app:status']({})).recentRuns;
    expect(runs.length).toBe(before);
  });
});

describe('Settings refuses, in structured words, what it used to save', () => {
  let app: AppController | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('a first-run date of 1999 or 2030 (the clock is the app’s), an address with a space', async () => {
    const s = await startApp();
    app = s.app;
    const view = await s.h['settings:get']({});
    for (const startFrom of ['1999-01-01', '2030-01-01']) {
      const saved = await s.h['settings:save']({
        section: 'sync',
        settings: { ...view.settings, sync: { ...view.settings.sync, startFrom } },
      });
      expect(saved).toMatchObject({
        ok: false,
        issues: [{ path: ['sync', 'startFrom'], code: 'start_from_range', to: TEST_MONTH ? expect.any(String) : '' }],
      });
    }
    const visma = await s.h['settings:save']({
      section: 'visma',
      settings: { ...view.settings, visma: { ...view.settings.visma, apiUrl: 'https://api.finance.visma.net/ v1' } },
    });
    expect(visma.ok).toBe(false);
  });
});
