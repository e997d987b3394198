import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web-host.js';
import { createHttpApi, fetchExport } from '../../renderer/src/api.js';
import { TEST_MONTH, testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';

/** The renderer's browser-mode bridge against the real browser host, in Node (fetch and streams, no DOM). */
describe('the browser-mode bridge', () => {
  let host: WebHost;
  let base: string;
  const requested: string[] = [];
  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    const rendererDir = join(tempDir('taxsync-bridge-renderer-'), 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    host = await startWebHost({ rendererDir, dataDir: tempDir('taxsync-bridge-data-'), now: testClock().now });
    base = new URL(host.url).origin;
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      requested.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await host?.close();
  });

  it('receives the sync events over fetch, the token in a header and never in an address', async () => {
    const api = createHttpApi(base, host.token);
    const finished = new Promise((resolve) => {
      const off = api.onSyncFinished((summary) => {
        off();
        resolve(summary);
      });
    });
    const progress: unknown[] = [];
    const offProgress = api.onSyncProgress((p) => progress.push(p));
    await new Promise((r) => setTimeout(r, 200)); // the stream is open before the run starts
    const run = await api.runSyncNow({});
    expect(await finished).toMatchObject({ runId: run.runId, outcome: 'completed' });
    expect(progress.length).toBeGreaterThan(0);
    offProgress();
    expect(requested.some((u) => u.endsWith('/events'))).toBe(true);
    expect(requested.filter((u) => /token=/.test(u))).toEqual([]);
  });

  it('downloads an exported CSV with the token in a header', async () => {
    const api = createHttpApi(base, host.token);
    const month = TEST_MONTH;
    const exported = await api.exportAuditMonth({ month });
    const blob = await fetchExport(base, host.token, exported.auditFile!);
    const bytes = Buffer.from(await blob.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3, 16).toString('utf8')).toBe('timestamp_utc');
    expect(requested.filter((u) => /token=/.test(u))).toEqual([]);
  });
});
