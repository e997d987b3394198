import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../electron/connectors/http.js';
import { Redactor } from '../electron/connectors/redact.js';
import { demoSettings } from '../electron/sandbox/demo-company.js';

/**
 * The CLI starts fast: a command loads only what it uses. `--help` and the commands that never call a service
 * (list, export-audit, verify-audit) do not load the HTTP stack (axios is the costliest import); `--help` does not
 * load the workspace (store, engine, sandboxes) either, nor the commands (and with them the settings' schema).
 */
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('axios', async (original) => {
  loaded.add('axios');
  return original();
});
vi.mock('../electron/sandbox/index.js', async (original) => {
  loaded.add('sandboxes');
  return original();
});
vi.mock('../electron/cli/run.js', async (original) => {
  loaded.add('commands');
  return original();
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _enc, done) {
        text += chunk;
        done();
      },
    }),
    text: () => text,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('CLI start-up', () => {
  it('--help loads neither the HTTP client nor the workspace; list opens the store without the HTTP client', async () => {
    const { main } = await import('../electron/cli.js');
    const out = sink();
    const err = sink();
    expect(await main(['--help'], { out: out.stream, err: err.stream })).toBe(0);
    expect(out.text()).toMatch(/Usage/);
    expect([...loaded]).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'taxsync-start-'));
    const config = join(dir, 'settings.json');
    writeFileSync(
      config,
      JSON.stringify(demoSettings({ visma: 'http://127.0.0.1:9', avatax: 'http://127.0.0.1:9' }, '2026-11-01')),
    );
    vi.stubEnv('VISMA_CLIENT_SECRET', 'x');
    vi.stubEnv('AVALARA_LICENSE_KEY', 'y');
    const listed = sink();
    expect(
      await main(['list', '--json', '--data-dir', dir, '--config', config], { out: listed.stream, err: err.stream }),
    ).toBe(0);
    expect(JSON.parse(listed.text())).toEqual([]);
    expect(loaded.has('axios')).toBe(false);
    expect(loaded.has('commands')).toBe(true);
  });

  it('the HTTP client loads axios at its first request', async () => {
    const http = new HttpClient({
      service: 'Nowhere',
      baseUrl: 'http://127.0.0.1:9',
      redactor: new Redactor([]),
      retry: { maxAttempts: 1 },
    });
    expect(loaded.has('axios')).toBe(false);
    await http.request({ method: 'GET', path: '/' }).catch(() => undefined);
    expect(loaded.has('axios')).toBe(true);
  });
});
