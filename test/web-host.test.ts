import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../electron/web-host.js';
import { TEST_MONTH, testClock } from './helpers/clock.js';
import { tempDir } from './helpers/engine.js';

/** The browser host over plain HTTP (no browser): what it answers to requests a page could make. */
describe('the browser host', () => {
  let host: WebHost;
  let base: string;
  beforeAll(async () => {
    const rendererDir = join(tempDir('taxsync-web-renderer-'), 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    host = await startWebHost({ rendererDir, dataDir: tempDir('taxsync-web-data-'), now: testClock().now });
    base = new URL(host.url).origin;
  });
  afterAll(async () => {
    await host?.close();
  });

  const withToken = () => ({ 'x-taxsync-token': host.token, 'content-type': 'application/json' });

  it('answers a call with the token in the header', async () => {
    const res = await fetch(`${base}/ipc/app%3Astatus`, { method: 'POST', headers: withToken(), body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { mode: 'demo' } });
  });

  it('refuses the token in a query string, on every route that needs it', async () => {
    const query = `token=${encodeURIComponent(host.token)}`;
    const ipc = await fetch(`${base}/ipc/app%3Astatus?${query}`, { method: 'POST', body: '{}' });
    expect(ipc.status).toBe(403);
    expect(await ipc.json()).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Missing or wrong token (it goes in the x-taxsync-token header)' },
    });
    const events = await fetch(`${base}/events?${query}`);
    expect(events.status).toBe(403);
    const month = TEST_MONTH;
    const exported = await fetch(`${base}/ipc/audit%3Aexport-month`, {
      method: 'POST',
      headers: withToken(),
      body: JSON.stringify({ month }),
    });
    const file = ((await exported.json()) as { value: { auditFile: string } }).value.auditFile;
    const name = encodeURIComponent(file.split(/[\\/]/).pop()!);
    expect((await fetch(`${base}/exports/${name}?${query}`)).status).toBe(403);
    expect((await fetch(`${base}/exports/${name}`, { headers: withToken() })).status).toBe(200);
  });

  it('answers a broken % escape in the channel with 400 and a JSON error, not 500', async () => {
    for (const path of ['/ipc/%E0%A4%A', '/ipc/%', '/ipc/app%3status%ZZ']) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: withToken(), body: '{}' });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(await res.json(), path).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: 'The channel name in the address is not valid' },
      });
    }
  });
});
