import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { createHandlers } from '../../electron/app/handlers.js';
import { createRouter, type Router } from '../../electron/app/ipc-router.js';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { SecretsVault } from '../../electron/app/secrets-vault.js';
import { SettingsRepository } from '../../electron/app/settings-repo.js';
import { EphemeralCipher } from '../../electron/app/web-cipher.js';
import { demoSettings } from '../../electron/sandbox/demo-company.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { expectClear } from './helpers.js';

/**
 * `settings:save` and `connection:test` take `settings` as the form holds it and parse it in the handler: the
 * wrong types, extra fields and huge strings there are refused (or dropped) by the real handlers, in words,
 * and nothing is saved.
 */
const HUGE = 'x'.repeat(5_000_000);
const URLS = { visma: 'http://127.0.0.1:9/visma', avatax: 'http://127.0.0.1:9/avatax' };
const valid = () => demoSettings(URLS, '2026-11-01') as Record<string, unknown> & ReturnType<typeof demoSettings>;

describe('settings from the form, wrong', () => {
  let app: AppController;
  let route: Router;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('taxsync-app-');
    app = new AppController({
      now: testClock().now,
      dataDir: dir,
      settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
      vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), new EphemeralCipher()),
      emit: () => undefined,
    });
    await app.start();
    route = createRouter(createHandlers(app));
  });
  afterEach(() => app.close());

  const settingsFile = () => join(dir, 'settings.json');
  const nothingSaved = () =>
    expect(existsSync(settingsFile()) ? readFileSync(settingsFile(), 'utf8') : '').not.toMatch(/tenantId/);

  /** Saving must fail with problems in words, none echoing what was sent. */
  async function refusedSave(settings: unknown): Promise<string[]> {
    const result = await route('settings:save', { settings });
    expect(result.ok).toBe(true);
    const value = (result as { value: { ok: boolean; errors?: string[] } }).value;
    expect(value.ok).toBe(false);
    for (const e of value.errors ?? []) {
      expectClear(e);
      expect(e.length).toBeLessThanOrEqual(300);
    }
    nothingSaved();
    return value.errors ?? [];
  }

  it('settings:save with the wrong types says which fields, in words', async () => {
    const errors = await refusedSave({ visma: 'x', avalara: [], company: null, sync: { concurrency: 'four' } });
    expect(errors).toContain('Visma: should be a group of settings, not text');
    expect(errors).toContain('Sync, concurrency: should be a number, not text');
    expect(await refusedSave(42)).not.toEqual([]);
  });

  it('settings:save with huge strings refuses them without echoing them, and saves nothing', async () => {
    const s = valid();
    const errors = await refusedSave({
      ...s,
      visma: { ...s.visma, tenantId: HUGE, apiUrl: `https://api.example/${HUGE}` },
      itemTaxCodes: { [HUGE.slice(0, 10_000)]: 'P0000000' },
    });
    expect(errors.join(' ')).toMatch(/tenant id/);
    expect(errors.join(' ')).toMatch(/API URL/);
    expect(errors.join(' ')).toMatch(/Item tax codes/);
    expect(errors.join(' ')).not.toContain('x'.repeat(200));
  });

  it('settings:save with 100,000 VAT mapping rows is refused', async () => {
    const s = valid();
    const errors = await refusedSave({ ...s, vatMapping: Array(100_000).fill(s.vatMapping![0]) });
    expect(errors.join(' ')).toMatch(/VAT mapping/);
  });

  it('settings:save with extra fields keeps none of them', async () => {
    const s = valid();
    const result = await route('settings:save', {
      settings: { ...s, evil: 'x', visma: { ...s.visma, script: '<img onerror=alert(1)>' } },
      secrets: { vismaClientSecret: 'a-secret-1', avalaraLicenseKey: 'a-licence-1' },
    });
    expect(result.ok).toBe(true);
    const saved = readFileSync(settingsFile(), 'utf8');
    expect(saved).toMatch(/tenantId/);
    expect(saved).not.toMatch(/evil|onerror|script/);
    expect(saved).not.toMatch(/a-secret-1|a-licence-1/);
  });

  it('connection:test with wrong types and huge strings answers in words and tests nothing', async () => {
    for (const settings of [42, { visma: [] }, { ...valid(), visma: { ...valid().visma, tokenUrl: HUGE } }]) {
      const result = await route('connection:test', { target: 'visma', settings, secret: 'typed' });
      expect(result.ok).toBe(true);
      const value = (result as { value: { ok: boolean; message: string } }).value;
      expect(value.ok).toBe(false);
      expect(value.message).toMatch(/^Fix these first: /);
      expectClear(value.message);
      expect(value.message.length).toBeLessThanOrEqual(2_000);
    }
  });

  it('connection:test with extra fields in the settings tests only what the contract knows', async () => {
    const s = valid();
    const result = await route('connection:test', {
      target: 'avatax',
      settings: { ...s, avalara: { ...s.avalara, extraHost: 'https://evil.example' } },
      secret: 'typed-licence',
    });
    expect(result.ok).toBe(true);
    const value = (result as { value: { ok: boolean; message: string } }).value;
    expect(value.ok).toBe(false);
    expectClear(value.message);
    expect(value.message).not.toMatch(/evil\.example/);
  });
});
