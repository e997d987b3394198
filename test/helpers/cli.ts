import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clockEnv } from './clock.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How to start the CLI: through tsx from the sources (as `npm run cli`), or a bundle of them (the soak's). */
export const TSX_CLI = ['--import', 'tsx', 'electron/cli.ts'];

/**
 * Starts the child on the tests' clock (`TAXSYNC_TEST_CLOCK`, default `TEST_NOW`), never the calendar's, and
 * able to kill itself at a write (`killOnWrite`; inert without it).
 */
const CLOCK_PRELOAD = [
  '--import',
  fileURLToPath(new URL('./clock-preload.mjs', import.meta.url)),
  '--import',
  fileURLToPath(new URL('./kill-preload.mjs', import.meta.url)),
];

/**
 * The env that makes the CLI SIGKILL itself at a write to its data folder: `after` the first write to a file
 * whose name matches `file` of text matching `text` is on disk, or `before` it is made (kill-preload.mjs).
 */
export function killOnWrite(file: RegExp, text: RegExp, when: 'after' | 'before' = 'after'): Record<string, string> {
  return { TAXSYNC_TEST_KILL_ON_WRITE: JSON.stringify({ file: file.source, text: text.source, when }) };
}

/**
 * Runs the real CLI in a child process (`node --import tsx electron/cli.ts …`) on the tests' clock: pass
 * `clockEnv(instant)` in `env` for another day.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  onSpawn?: (child: ChildProcess) => void,
  entry: string[] = TSX_CLI,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLOCK_PRELOAD, ...entry, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        VISMA_CLIENT_SECRET: '',
        AVALARA_LICENSE_KEY: '',
        ...clockEnv(),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
