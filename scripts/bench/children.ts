import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { DEMO_SECRETS } from '../../electron/sandbox/demo-company.js';
import type { Urls } from './common.js';
import type { BackfillResult, BackfillTask, SyncResult, SyncTask } from './engine-task.js';
import type { FlowResult, FlowTask } from './flows.js';
import type { HostOptions } from './host.js';
import { spawnChild } from './rpc.js';

/**
 * The bench's processes. Each measured part runs in a process of its own (its peak RSS is its own), as bundled
 * JavaScript (no TypeScript loader in the way), on the bench clock: a task names the clock's instant when it is
 * handed over, and the child's clock starts there (test/helpers/clock.ts); the built CLI gets the same through
 * the tests' clock preload.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'out', 'cli', 'cli.js');
const BUNDLES = join(ROOT, 'out', 'bench');
const CLOCK_PRELOAD = join(ROOT, 'test', 'helpers', 'clock-preload.mjs');

export type Host = ReturnType<typeof spawnChild>;
export type { Urls };

export const log = (line: string) => process.stderr.write(`${line}\n`);

/** Host, engine task and flows bundled with rolldown into out/bench before anything is measured. */
export async function bundleChildren(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object };
  const deps = Object.keys(pkg.dependencies ?? {});
  rmSync(BUNDLES, { recursive: true, force: true });
  await build({
    input: ['host', 'engine-task', 'flows-task'].map((name) => join(ROOT, 'scripts', 'bench', `${name}.ts`)),
    platform: 'node',
    external: (id) =>
      id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`)),
    output: { dir: BUNDLES, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    logLevel: 'warn',
  });
}

const child = (module: string) => spawnChild(module, { bundles: BUNDLES });

/** The sandboxes in a process of their own, loaded with the workload, for the length of `work`. */
export async function withHost<T>(options: HostOptions, work: (host: Host, urls: Urls) => Promise<T>): Promise<T> {
  const host = child('./host.ts');
  try {
    const started = await host.call<{ urls: Urls }>('start', options);
    return await work(host, started.urls);
  } finally {
    await host.call('close').catch(() => undefined);
    await host.exited;
  }
}

async function engineCall<T>(method: string, task: unknown): Promise<T> {
  const engine = child('./engine-task.ts');
  try {
    return await engine.call<T>(method, task);
  } finally {
    await engine.call('exit').catch(() => undefined);
    await engine.exited;
  }
}

/** One sync by our engine (the CLI's workspace) in a fresh process. */
export const engineSync = (task: SyncTask) => engineCall<SyncResult>('sync', task);
/** One backfill by our engine in a fresh process. */
export const engineBackfill = (task: BackfillTask) => engineCall<BackfillResult>('backfill', task);

/** One of the scripts our engine is measured against, in a fresh process. */
export async function flow(name: 'naive' | 'reference', task: FlowTask): Promise<FlowResult> {
  const script = child('./flows-task.ts');
  try {
    return await script.call<FlowResult>(name, task);
  } finally {
    await script.call('exit').catch(() => undefined);
    await script.exited;
  }
}

/** The CLI's own peak resident set, said on exit (VmHWM on Linux: see common.ts peakRssMb). */
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  [
    'import { readFileSync } from "node:fs";',
    'process.on("exit", () => {',
    '  let kb = process.resourceUsage().maxRSS;',
    '  try { kb = Number(/^VmHWM:\\s+(\\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))[1]); } catch {}',
    '  process.stderr.write("\\n__maxrss_kb=" + kb + "\\n");',
    '});',
  ].join('\n'),
)}`;

/** The built CLI in a process of its own, its clock set to `at`: wall time, output size and peak RSS. */
export function cli(
  args: string[],
  at: number,
): Promise<{ seconds: number; code: number | null; outBytes: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--import', CLOCK_PRELOAD, '--import', RSS_HOOK, CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        TAXSYNC_TEST_CLOCK: new Date(at).toISOString(),
        VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
        AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let outBytes = 0;
    let err = '';
    proc.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
    });
    proc.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const kb = Number(/__maxrss_kb=(\d+)/.exec(err)?.[1] ?? 0);
      if (code !== 0) log(`  cli ${args[0]} exited ${code}: ${err.slice(0, 500)}`);
      resolve({ seconds, code, outBytes, peakRssMb: Math.round(kb / 1024) });
    });
  });
}

/** Seconds a plain command takes (the CLI's start, node's own). */
export function timeCommand(args: string[]): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

/** Builds the CLI (out/cli/cli.js) as `npm run build` does. */
export function buildCli(): void {
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('could not build the CLI (scripts/build-cli.mjs)');
}
