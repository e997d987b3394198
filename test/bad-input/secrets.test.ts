import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { createHandlers } from '../../electron/app/handlers.js';
import { createRouter } from '../../electron/app/ipc-router.js';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { SecretsVault } from '../../electron/app/secrets-vault.js';
import { SettingsRepository } from '../../electron/app/settings-repo.js';
import { EphemeralCipher } from '../../electron/app/web-cipher.js';
import { demoSettings } from '../../electron/sandbox/demo-company.js';
import { runCli } from '../helpers/cli.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { startWorld, type TestWorld } from '../helpers/sandboxes.js';
import { month } from './helpers.js';

/**
 * Both services echo our secrets back in their error bodies (a 400 that repeats the request, a proxy page, an
 * exception message), raw, URL-encoded and Base64, as the Basic pair too. After CLI runs and app runs over one
 * data folder, not one of those forms may be found in anything the run leaves: stdout and stderr of every CLI
 * command, every file of the data folder (ledger, audit trail, HTTP exchange log, state, run history, both
 * CSVs), and what the renderer is given over IPC.
 */
const VISMA_SECRET = 'v1sma+S3cret/9f8e=7d&x';
const LICENSE_KEY = 'LK-7Q2W9E4R1T6Y';

describe('no secret in anything a run leaves, when both services echo them back', () => {
  let world: TestWorld;
  let dir: string;
  const outputs: string[] = [];
  let needles: string[];

  function echoEverywhere(): void {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const all = (s: string) => `${s} ${encodeURIComponent(s)} ${b64(s)}`;
    const basic = b64(`${world.settings.avalara.accountId}:${LICENSE_KEY}`);
    const visma = world.sandboxes.visma.server;
    const avatax = world.sandboxes.avatax.server;
    const status = (s: number, body: unknown, contentType?: string) => ({
      kind: 'status' as const,
      status: s,
      body,
      contentType,
    });
    visma.injectFault({
      method: 'PUT',
      path: /^\/v1\/customerinvoice\//i,
      fault: status(400, { ExceptionType: 'IPPException', ExceptionMessage: `client_secret=${all(VISMA_SECRET)}` }),
      times: 3,
    });
    visma.injectFault({
      method: 'GET',
      path: /^\/v1\/location\//i,
      fault: status(
        400,
        `<html><head><title>Denied ${VISMA_SECRET}</title></head><body>${all(VISMA_SECRET)}</body></html>`,
        'text/html',
      ),
      times: 2,
    });
    visma.injectFault({
      method: 'POST',
      path: /^\/connect\/token$/,
      fault: status(500, `upstream said ${all(VISMA_SECRET)}`),
      times: 2,
    });
    avatax.injectFault({
      method: 'POST',
      path: /\/transactions\/create$/,
      fault: status(400, {
        error: {
          code: 'ModelStateInvalid',
          message: `licenseKey ${all(LICENSE_KEY)} is not valid`,
          details: [{ message: `Authorization: Basic ${basic}`, description: `key=${LICENSE_KEY}` }],
        },
      }),
      times: 3,
    });
    avatax.injectFault({
      method: 'POST',
      path: /\/addresses\/resolve$/,
      fault: status(400, `bad request for ${all(LICENSE_KEY)}`),
      times: 2,
    });
    avatax.injectFault({ path: /ping/, fault: status(503, `<title>${LICENSE_KEY}</title>`, 'text/html'), times: 2 });
  }

  beforeAll(async () => {
    world = await startWorld({ invoices: 16, creditNotes: 2 });
    world.sandboxes.visma.state.clients[0]!.clientSecret = VISMA_SECRET;
    world.sandboxes.avatax.state.accounts[0]!.licenseKey = LICENSE_KEY;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    needles = [
      VISMA_SECRET,
      encodeURIComponent(VISMA_SECRET),
      b64(VISMA_SECRET),
      LICENSE_KEY,
      b64(LICENSE_KEY),
      b64(`${world.settings.avalara.accountId}:${LICENSE_KEY}`),
    ];
    dir = tempDir('taxsync-secrets-');
    const settings = demoSettings(world.sandboxes.urls, world.sandboxes.startFrom);
    const config = join(dir, 'cli-settings.json');
    writeFileSync(config, JSON.stringify(settings));
    const env = { VISMA_CLIENT_SECRET: VISMA_SECRET, AVALARA_LICENSE_KEY: LICENSE_KEY };
    const cli = async (...args: string[]) => {
      const r = await runCli([...args, '--config', config, '--data-dir', dir], env);
      outputs.push(`$ ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
    };

    // Move a few invoices to where they are written back, so the PUT echo is reached.
    for (const d of world.sandboxes.visma.state.documents.filter((x) => x.kind === 'invoice').slice(0, 6))
      world.sandboxes.visma.editDocument('invoice', d.referenceNumber, (x) => {
        x.status = 'Balanced';
        x.hold = false;
        for (const l of x.lines) l.vatCode = { id: 'BOOK', description: 'BOOK' };
      });
    echoEverywhere();
    await cli('sync', '--json');
    echoEverywhere();
    await cli('sync');
    await cli('ping');
    await cli('list', '--json');
    await cli('list');
    await cli('export-audit', '--month', month(), '--out', join(dir, 'cli-exports'), '--delimiter', ';');
    await cli('verify-audit', '--month', month());

    // The desktop app on the same folder, live, with the secrets saved in its vault.
    const app = new AppController({
      now: testClock().now,
      dataDir: dir,
      settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
      vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), new EphemeralCipher()),
      emit: (event, payload) => void outputs.push(`event ${event} ${JSON.stringify(payload)}`),
      notify: (title, body) => void outputs.push(`notification ${title}: ${body}`),
    });
    await app.start();
    const route = createRouter(createHandlers(app));
    const ipc = async (channel: string, input: unknown = {}) => {
      const result = await route(channel, input);
      outputs.push(`ipc ${channel} ${JSON.stringify(result)}`);
      return result;
    };
    try {
      await ipc('settings:save', {
        settings,
        secrets: { vismaClientSecret: VISMA_SECRET, avalaraLicenseKey: LICENSE_KEY },
      });
      echoEverywhere();
      await ipc('sync:run-now');
      await ipc('connection:test', { target: 'avatax' });
      await ipc('connection:test', { target: 'visma', secret: VISMA_SECRET });
      const list = await ipc('documents:list');
      const rows = list.ok ? (list.value as { rows: { key: string }[] }).rows : [];
      for (const row of rows) await ipc('documents:get', { key: row.key });
      await ipc('app:status');
      await ipc('settings:get');
      await ipc('audit:list', { month: month() });
      await ipc('audit:export-month', { month: month() });
      expect(rows.length).toBeGreaterThan(10);
    } finally {
      await app.close();
    }
  }, 180_000);
  afterAll(() => world.close());

  it('the services really did echo them, and the runs went on', () => {
    const bodies = [...world.sandboxes.visma.server.log, ...world.sandboxes.avatax.server.log].filter(
      (e) => e.status >= 400,
    );
    expect(bodies.length).toBeGreaterThan(5);
    expect(outputs.join('\n')).toMatch(/\[redacted\]/);
  });

  it('stdout and stderr of every CLI command, and every IPC answer and event', () => {
    const text = outputs.join('\n');
    for (const needle of needles) expect(text.includes(needle), needle).toBe(false);
  });

  it('every file of the data folder: ledger, audit trail, HTTP log, state, run history, settings, both CSVs', () => {
    const files = readdirSync(dir, { recursive: true })
      .map((f) => join(dir, String(f)))
      .filter((f) => statSync(f).isFile());
    for (const wanted of ['ledger', 'audit', 'api-', 'state.json', 'runs.jsonl', 'audit-', 'documents-'])
      expect(
        files.some((f) => f.includes(wanted)),
        wanted,
      ).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const needle of needles) expect(text.includes(needle), `${needle} in ${file}`).toBe(false);
    }
  });
});
