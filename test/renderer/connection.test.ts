import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWebHost } from '../../electron/web-host.js';
import { ApiError, type Connection, createHttpApi } from '../../renderer/src/api.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Browser mode says what is wrong with its link to the app: a wrong or missing token is "denied" (a page of its
 * own, not an empty app), a host that stopped is "lost" (said over the numbers, which are no longer current).
 */
describe('the browser-mode bridge tells the page how its link to the app is', () => {
  it('ok with the token, denied with a wrong one, lost once the host has stopped', async () => {
    const rendererDir = join(tempDir('taxsync-conn-renderer-'), 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    const host = await startWebHost({ rendererDir, dataDir: tempDir('taxsync-conn-data-'), now: testClock().now });
    const base = new URL(host.url).origin;
    const seen: Connection[] = [];
    const api = createHttpApi(base, host.token, (c) => seen.push(c));
    await api.getStatus({});
    expect(seen.at(-1)).toBe('ok');

    const wrong: Connection[] = [];
    const refused = await createHttpApi(base, 'wrong', (c) => wrong.push(c))
      .getStatus({})
      .catch((e: ApiError) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(wrong).toEqual(['denied']);

    await host.close();
    const gone = await api.getStatus({}).catch((e: ApiError) => e);
    expect(gone).toBeInstanceOf(ApiError);
    expect((gone as ApiError).error.code).toBe('unreachable');
    expect((gone as Error).message).not.toMatch(/Failed to fetch|fetch failed/);
    expect(seen.at(-1)).toBe('lost');
  }, 60_000);
});
