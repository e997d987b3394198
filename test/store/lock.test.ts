import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/store/index.js';
import { DataFolderLock, isStale } from '../../electron/store/lock.js';
import { runCli } from '../helpers/cli.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * Defect: two processes on one data folder (two syncs, a sync and an export, the CLI beside the app) each
 * rewrote the month files and the last writer won. One writer per data folder: a lock the second respects.
 */
function holdLock(dir: string, pid: number, command = 'the desktop app'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'taxsync.lock'),
    JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-11-25T08:00:00.000Z', command }),
  );
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('one writer per data folder', () => {
  it('a second process stops with exit 2 and names who holds the folder', async () => {
    const dir = tempDir();
    holdLock(join(dir, 'demo'), process.pid);
    const res = await runCli(['sync', '--demo', '--data-dir', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`the desktop app (process ${process.pid}`);
    expect(res.stderr).toMatch(/--wait/);
    expect(existsSync(join(dir, 'demo', 'ledger'))).toBe(false);
  }, 60_000);

  it('with --wait it waits, says for whom, and goes on once the folder is free', async () => {
    const dir = tempDir();
    holdLock(join(dir, 'demo'), process.pid);
    // The holder lets go once the CLI has said it is waiting.
    const res = await runCli(['list', '--demo', '--wait', '30', '--data-dir', dir], {}, (child) =>
      child.stderr?.on('data', (d) => {
        if (String(d).includes('Waiting')) setTimeout(() => rmSync(join(dir, 'demo', 'taxsync.lock')), 300);
      }),
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/Waiting for the desktop app/);
  }, 60_000);

  it('a lock of an earlier boot whose pid now names another running process is stale: taken over at once', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    // pid 1 runs (it always does), but the lock was written before the last reboot.
    writeFileSync(
      join(dir, 'taxsync.lock'),
      JSON.stringify({
        pid: 1,
        hostname: hostname(),
        startedAt: '2026-11-20T08:00:00.000Z',
        command: 'the desktop app',
        bootId: 'a-boot-before-the-last-reboot',
        bootedAt: new Date(Date.parse(TEST_NOW) - 3 * 86_400_000).toISOString(),
      }),
    );
    const recovered: string[] = [];
    const lock = await DataFolderLock.acquire(dir, {
      command: 'test',
      waitMs: 0,
      onStaleRecovered: (h) => recovered.push(h.command),
    });
    expect(recovered).toEqual(['the desktop app']);
    lock.release();
  });

  it.runIf(process.platform === 'linux')(
    'a lock whose pid now names a process that started at another time is stale; the same process holds it',
    () => {
      const start = (pid: number) => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
      };
      const holder = { pid: process.ppid, hostname: hostname(), startedAt: TEST_NOW, command: 'the desktop app' };
      expect(isStale({ ...holder, processStart: String(Number(start(process.ppid)) + 1) })).toBe(true);
      expect(isStale({ ...holder, processStart: start(process.ppid) })).toBe(false);
      expect(isStale(holder)).toBe(false);
    },
  );

  it('takes over a lock left by a process that was killed, and says so in the audit trail', async () => {
    const dir = tempDir();
    holdLock(join(dir, 'demo'), deadPid(), 'npm run cli -- sync');
    const res = await runCli(['sync', '--demo', '--json', '--data-dir', dir]);
    expect(res.code, res.stderr).toBe(0);
    const store = await openStore(join(dir, 'demo'), { now: testClock().now });
    const month = store.audit.months().at(-1)!;
    const recovered = (await store.audit.entries(month)).filter((e) => e.action === 'recovered');
    expect(recovered.map((e) => text(e.detail)).join(' ')).toMatch(/npm run cli -- sync .*no longer runs/);
    await store.close();
    expect(existsSync(join(dir, 'demo', 'taxsync.lock'))).toBe(false);
  }, 90_000);

  it('the desktop app holds the lock while it runs, and lets it go when it closes', async () => {
    const dir = tempDir();
    const { startWebHost } = await import('../../electron/web-host.js');
    mkdirSync(join(dir, 'renderer'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    const host = await startWebHost({ dataDir: dir, rendererDir: join(dir, 'renderer') });
    const lock = JSON.parse(readFileSync(join(dir, 'demo', 'taxsync.lock'), 'utf8'));
    expect(lock.pid).toBe(process.pid);
    const busy = await runCli(['list', '--demo', '--data-dir', dir]);
    expect(busy.code).toBe(2);
    await host.close();
    expect(existsSync(join(dir, 'demo', 'taxsync.lock'))).toBe(false);
  }, 60_000);
});

describe('the app on a folder another process holds', () => {
  it('says to close the other one, never the command line’s --wait', async () => {
    const { DataFolderLock } = await import('../../electron/store/lock.js');
    const { APP_LOCK } = await import('../../electron/app/controller.js');
    const dir = tempDir();
    holdLock(dir, process.ppid, 'the app in browser mode (npm start or npm run dev:web)');
    const error = await DataFolderLock.acquire(dir, { ...APP_LOCK, waitMs: 0 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('the app in browser mode');
    expect((error as Error).message).not.toMatch(/--wait/);
    expect((error as Error).message).toMatch(/Close it|close it/);
  });
});
