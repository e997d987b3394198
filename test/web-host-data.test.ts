import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { clockEnv } from './helpers/clock.js';
import { tempDir } from './helpers/engine.js';

/**
 * Browser mode (`npm run dev:web`, and `npm start` without Electron) keeps its data where the desktop app and the
 * CLI do: a newcomer's `npm run cli -- sync --demo` shows in the page.
 */
describe('browser mode shares the data folder of the app and the CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });

  it('the demo company the CLI synced is the one the page shows', async () => {
    const data = tempDir('taxsync-shared-');
    const env = { ...process.env, TAXSYNC_DATA_DIR: data, ...clockEnv() };
    // The CLI, with the same default folder (TAXSYNC_DATA_DIR stands for the OS's app-data folder).
    const synced = await runCli(['sync', '--demo', '--json'], { TAXSYNC_DATA_DIR: data });
    expect(synced.code).toBe(0);
    const posted = JSON.parse(synced.stdout.trim().split('\n').at(-1)!).posted as number;
    expect(posted).toBeGreaterThan(0);

    const renderer = join(tempDir('taxsync-shared-renderer-'), 'renderer');
    mkdirSync(renderer, { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>x</title>');
    child = spawn(process.execPath, ['--import', 'tsx', 'electron/web-host.ts', '--renderer-dir', renderer], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (c) => {
        out += String(c);
        const m = /Open (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.on('exit', (code) => reject(new Error(`web host exited ${code}: ${out}`)));
    });
    expect(out).toContain(`Data: ${data}`);
    const { origin, hash } = new URL(url);
    const token = new URLSearchParams(hash.slice(1)).get('token')!;
    const res = await fetch(`${origin}/ipc/app%3Astatus`, {
      method: 'POST',
      headers: { 'x-taxsync-token': token, 'content-type': 'application/json' },
      body: '{}',
    });
    const status = (await res.json()) as { value: { counts: Record<string, number> } };
    // A fresh folder would show none: these are the documents the CLI posted (and those already in AvaTax).
    expect(status.value.counts.posted).toBeGreaterThanOrEqual(posted);
  }, 120_000);
});
