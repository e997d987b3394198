import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'rolldown';
import { DEMO_SECRETS } from '../../electron/sandbox/demo-company.js';
import type { SyncResult, SyncTask } from './engine-task.js';
import type { FlowResult } from './flows.js';
import type { HostOptions, Tally } from './host.js';
import { spawnChild } from './rpc.js';
import { workloadMonth } from './workload.js';

/**
 * `npm run bench`: our engine against a naive script and a careful reference script on the same generated
 * workload (the sandboxes, 40 ms per request, Visma's rate limit on, four documents in flight), then the engine
 * alone at 1k, 10k and 50k documents in one month (bytes written per document, a no-change sync, list, export,
 * peak RSS) and the built CLI's start. `--json` prints exactly one JSON object on stdout (progress on stderr);
 * `--short` runs small sizes (for CI). Method and latest results: docs/performance.md.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LATENCY_MS = 40;
const CONCURRENCY = 4;
/** Visma's requests per hour in the measured runs (Visma's historic figure for a production client: 15,000). */
const VISMA_RATE_LIMIT = 10_000;

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    short: { type: 'boolean' },
    /** Also write the result (indented) to this file. */
    out: { type: 'string' },
    /** For working on one part: documents of the comparison (0 skips it), its repetitions, the sizes. */
    compare: { type: 'string' },
    reps: { type: 'string' },
    sizes: { type: 'string' },
  },
});
const SHORT = Boolean(values.short);
const CONFIG = {
  ...(SHORT
    ? { compareDocuments: 30, reps: 3, sizes: [1000], newDocuments: 200 }
    : { compareDocuments: 200, reps: 3, sizes: [1000, 10_000, 50_000], newDocuments: 1000 }),
  ...(values.compare === undefined ? {} : { compareDocuments: Number(values.compare) }),
  ...(values.reps === undefined ? {} : { reps: Number(values.reps) }),
  ...(values.sizes === undefined ? {} : { sizes: values.sizes.split(',').filter(Boolean).map(Number) }),
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

// --- children -----------------------------------------------------------------------------------------------

/**
 * The measured processes run bundled JavaScript, as the app and the built CLI do (no TypeScript loader in the
 * way): host, engine task and flows are bundled with rolldown into out/bench before anything is measured.
 */
const BUNDLES = join(ROOT, 'out', 'bench');

async function bundleChildren(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object };
  const deps = Object.keys(pkg.dependencies ?? {});
  rmSync(BUNDLES, { recursive: true, force: true });
  await build({
    input: ['host', 'engine-task', 'flows'].map((name) => join(ROOT, 'scripts', 'bench', `${name}.ts`)),
    platform: 'node',
    external: (id) =>
      id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`)),
    output: { dir: BUNDLES, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    logLevel: 'warn',
  });
}

const child = (module: string) => spawnChild(module, { bundles: BUNDLES });

async function withHost<T>(
  options: HostOptions,
  work: (host: ReturnType<typeof spawnChild>, urls: { visma: string; avatax: string }) => Promise<T>,
): Promise<T> {
  const host = child('./host.ts');
  try {
    const started = await host.call<{ urls: { visma: string; avatax: string } }>('start', options);
    return await work(host, started.urls);
  } finally {
    await host.call('close').catch(() => undefined);
    await host.exited;
  }
}

async function engineSync(task: SyncTask): Promise<SyncResult> {
  const engine = child('./engine-task.ts');
  try {
    return await engine.call<SyncResult>('sync', task);
  } finally {
    await engine.call('exit').catch(() => undefined);
    await engine.exited;
  }
}

async function flow(name: 'naive' | 'reference', urls: { visma: string; avatax: string }, results: string) {
  const script = child('./flows.ts');
  try {
    return await script.call<FlowResult>(name, { urls, results });
  } finally {
    await script.call('exit').catch(() => undefined);
    await script.exited;
  }
}

/** Forgets where the last sync stopped (README: delete the watermarks): the next run lists every document. */
function forgetWatermarks(dir: string): void {
  const file = join(dir, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  state.watermarks = {};
  writeFileSync(file, JSON.stringify(state));
}

const CLI = join(ROOT, 'out', 'cli', 'cli.js');
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  'process.on("exit", () => process.stderr.write("\\n__maxrss_kb=" + process.resourceUsage().maxRSS + "\\n"));',
)}`;

/** The built CLI in a process of its own: wall time, output size and peak RSS. */
function cli(args: string[]): Promise<{ seconds: number; code: number | null; outBytes: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--import', RSS_HOOK, CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
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

function timeCommand(args: string[]): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

// --- phase 1: three flows, one workload --------------------------------------------------------------------

/**
 * `ours8`: our engine with eight documents in flight instead of four: what following the rate-limit headers
 * upward (more in flight while Visma's window has room) would give, measured beside the rest.
 */
type FlowName = 'ours' | 'ours8' | 'naive' | 'reference';
const IN_FLIGHT: Record<FlowName, number> = {
  ours: CONCURRENCY,
  ours8: 2 * CONCURRENCY,
  reference: CONCURRENCY,
  naive: 1,
};

interface FlowRun {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  documents: number;
  concurrency: number;
  tally: Tally;
}

async function runFlow(name: FlowName, documents: number): Promise<FlowRun> {
  return withHost({ documents, latencyMs: LATENCY_MS, rateLimit: VISMA_RATE_LIMIT }, async (host, urls) => {
    const dir = mkdtempSync(join(tmpdir(), `taxsync-bench-${name}-`));
    try {
      let run: Omit<FlowRun, 'tally' | 'concurrency'>;
      if (name === 'ours' || name === 'ours8') {
        const r = await engineSync({ dir: join(dir, 'data'), urls, concurrency: IN_FLIGHT[name] });
        if (r.summary.outcome !== 'completed') throw new Error(`our sync ended ${String(r.summary.outcome)}`);
        run = { seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMb: r.peakRssMb, documents };
      } else {
        const r = await flow(name, urls, join(dir, 'results.jsonl'));
        if (r.failed > 0) log(`  ${name}: ${r.failed} documents failed`);
        run = { seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMb: r.peakRssMb, documents: r.documents };
      }
      const tally = await host.call<Tally>('take');
      return { ...run, tally, concurrency: IN_FLIGHT[name] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function describeRuns(runs: FlowRun[]) {
  const per = (r: FlowRun) => {
    const calls = r.tally.visma + r.tally.token + r.tally.avatax;
    const bound = (calls * LATENCY_MS) / r.concurrency / 1000;
    const observedBound = (r.tally.busyMs.visma + r.tally.busyMs.avatax) / r.concurrency / 1000;
    return {
      seconds: r.seconds,
      documentsPerSecond: r.documents / r.seconds,
      vismaCallsPerDoc: (r.tally.visma + r.tally.token) / r.documents,
      avataxCallsPerDoc: r.tally.avatax / r.documents,
      bound,
      boundRatio: bound / r.seconds,
      observedBoundRatio: observedBound / r.seconds,
      observedLatencyMs: (r.tally.busyMs.visma + r.tally.busyMs.avatax) / Math.max(1, calls),
      p50: percentile(r.tally.spans, 50),
      p95: percentile(r.tally.spans, 95),
      cpuSeconds: r.cpuSeconds,
      peakRssMb: r.peakRssMb,
      throttled: r.tally.throttled,
    };
  };
  const each = runs.map(per);
  const m = (k: keyof ReturnType<typeof per>) => median(each.map((e) => e[k]));
  const last = runs.at(-1);
  return {
    seconds: round(m('seconds')),
    runs: each.map((e) => round(e.seconds)),
    documentsPerSecond: round(m('documentsPerSecond'), 1),
    vismaCallsPerDoc: round(m('vismaCallsPerDoc')),
    avataxCallsPerDoc: round(m('avataxCallsPerDoc')),
    boundSeconds: round(m('bound')),
    boundRatio: round(m('boundRatio')),
    observedBoundRatio: round(m('observedBoundRatio')),
    observedLatencyMs: round(m('observedLatencyMs'), 1),
    p50Ms: Math.round(m('p50')),
    p95Ms: Math.round(m('p95')),
    cpuSeconds: round(m('cpuSeconds')),
    peakRssMb: Math.round(m('peakRssMb')),
    throttled: Math.round(m('throttled')),
    calls: last?.tally.byKind ?? {},
  };
}

async function compareFlows(documents: number, reps: number) {
  const runs: Record<FlowName, FlowRun[]> = { ours: [], ours8: [], naive: [], reference: [] };
  // The short form (CI) leaves out the 8-in-flight variant: it only informs the full run's analysis.
  const order: FlowName[] = SHORT ? ['ours', 'reference', 'naive'] : ['ours', 'reference', 'naive', 'ours8'];
  for (let rep = 1; rep <= reps; rep++) {
    // The order turns each repetition, so no flow always runs first on a cold machine.
    for (const name of order.map((_, i) => order[(i + rep - 1) % order.length]!)) {
      log(`compare ${rep}/${reps}: ${name} on ${documents} documents…`);
      const run = await runFlow(name, documents);
      log(`  ${name}: ${round(run.seconds)} s`);
      runs[name].push(run);
    }
  }
  return {
    documents,
    reps,
    flows: {
      ours: describeRuns(runs.ours),
      reference: describeRuns(runs.reference),
      naive: describeRuns(runs.naive),
      ours8: describeRuns(runs.ours8),
    },
  };
}

function emptyComparison(): Awaited<ReturnType<typeof compareFlows>> {
  const none = describeRuns([]);
  return { documents: 0, reps: 0, flows: { ours: none, reference: none, naive: none, ours8: none } };
}

// --- phase 2: one month at 1k, 10k, 50k documents ----------------------------------------------------------

async function measureSize(documents: number, newDocuments: number) {
  const added = Math.min(newDocuments, documents);
  const month = workloadMonth();
  // The earlier documents are synced fast (no latency, no rate limit): they only fill the month.
  return withHost({ documents: documents - added, later: added, latencyMs: 0, rateLimit: 1e9 }, async (host, urls) => {
    const base = mkdtempSync(join(tmpdir(), `taxsync-bench-${documents}-`));
    const data = join(base, 'data');
    try {
      let fill: SyncResult | undefined;
      if (documents > added) {
        log(`${documents}: filling the month with ${documents - added} documents (no latency)…`);
        fill = await engineSync({ dir: data, urls, concurrency: CONCURRENCY });
        log(`  filled in ${round(fill.seconds)} s, peak RSS ${fill.peakRssMb} MB`);
      }
      await host.call('take');
      await host.call('releaseNew');
      await host.call('latency', LATENCY_MS);
      await host.call('rateLimit', { limit: VISMA_RATE_LIMIT });
      log(`${documents}: syncing the month's last ${added} documents (${LATENCY_MS} ms per request)…`);
      const sync = await engineSync({ dir: data, urls, concurrency: CONCURRENCY });
      const syncTally = await host.call<Tally>('take');
      log(`  ${round(sync.seconds)} s, ${Math.round(sync.bytesWritten / added)} bytes per document`);
      forgetWatermarks(data);
      log(`${documents}: a no-change sync, every document listed again…`);
      const unchanged = await engineSync({ dir: data, urls, concurrency: CONCURRENCY });
      const unchangedTally = await host.call<Tally>('take');
      log(`  ${round(unchanged.seconds)} s (${String(unchanged.summary.skipped)} unchanged)`);
      const config = join(data, 'settings.json');
      const list = await cli(['list', '--json', '--data-dir', data, '--config', config]);
      const exported = await cli(
        ['export-audit', '--month', month, '--out', join(base, 'csv')].concat(['--data-dir', data, '--config', config]),
      );
      log(`  list ${round(list.seconds)} s, export ${round(exported.seconds)} s`);
      // What a month this size costs from now on: a sync of new documents, a no-change sync, list, export, each in
      // a process of its own. The fill (one first sync of every earlier document) is reported apart.
      const rss = {
        sync: sync.peakRssMb,
        noChangeSync: unchanged.peakRssMb,
        list: list.peakRssMb,
        export: exported.peakRssMb,
      };
      return {
        documents,
        newDocuments: added,
        fillSeconds: fill ? round(fill.seconds) : undefined,
        fillPeakRssMb: fill?.peakRssMb,
        syncSeconds: round(sync.seconds),
        syncDocumentsPerSecond: round(added / sync.seconds, 1),
        bytesPerDoc: Math.round(sync.bytesWritten / added),
        vismaCallsPerDoc: round((syncTally.visma + syncTally.token) / added),
        avataxCallsPerDoc: round(syncTally.avatax / added),
        noChangeSyncSeconds: round(unchanged.seconds),
        /** Of which: the data folder opened, VAT data read, every document listed (and deletions looked for). */
        noChangeListedSeconds: round(unchanged.phases.listed),
        noChangeDocuments: Number(unchanged.summary.fetched),
        noChangeCalls: unchangedTally.visma + unchangedTally.token + unchangedTally.avatax,
        noChangeBytes: unchanged.bytesWritten,
        listSeconds: round(list.seconds),
        listBytes: list.outBytes,
        exportSeconds: round(exported.seconds),
        peakRssMb: Math.max(...Object.values(rss).filter((v): v is number => typeof v === 'number')),
        rssMb: rss,
      };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
}

// --- phase 3: the CLI's start ------------------------------------------------------------------------------

function cliStart() {
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('could not build the CLI (scripts/build-cli.mjs)');
  const help = [];
  const bare = [];
  for (let i = 0; i < 7; i++) {
    help.push(timeCommand([CLI, '--help']));
    bare.push(timeCommand(['-e', '0']));
  }
  return { cliStartSec: round(median(help), 3), nodeStartSec: round(median(bare), 3) };
}

// --- the run ------------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const loadBefore = loadavg()[0]!;
  log(`bench (${SHORT ? 'short' : 'full'}): ${LATENCY_MS} ms per request, ${CONCURRENCY} in flight`);
  await bundleChildren();
  const start = cliStart();
  log(`CLI --help: ${start.cliStartSec} s (node -e 0: ${start.nodeStartSec} s)`);
  const compare =
    CONFIG.compareDocuments > 0 ? await compareFlows(CONFIG.compareDocuments, CONFIG.reps) : emptyComparison();
  const sizes: Awaited<ReturnType<typeof measureSize>>[] = [];
  for (const n of CONFIG.sizes) sizes.push(await measureSize(n, CONFIG.newDocuments));
  const at = (n: number) => sizes.find((s) => s.documents === n);
  const ours = compare.flows.ours;
  const result = {
    date: startedAt.toISOString(),
    mode: SHORT ? 'short' : 'full',
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: { before: round(loadBefore), after: round(loadavg()[0]!) },
    },
    latencyMs: LATENCY_MS,
    concurrency: CONCURRENCY,
    speedup: round(compare.flows.naive.seconds / ours.seconds, 1),
    speedupVsReference: round(compare.flows.reference.seconds / ours.seconds),
    speedupVsReferenceAt8:
      compare.flows.ours8.runs.length > 0 ? round(compare.flows.reference.seconds / compare.flows.ours8.seconds) : null,
    boundRatio: ours.boundRatio,
    observedBoundRatio: ours.observedBoundRatio,
    vismaCallsPerDoc: ours.vismaCallsPerDoc,
    avataxCallsPerDoc: ours.avataxCallsPerDoc,
    documentsPerSecond: ours.documentsPerSecond,
    p50Ms: ours.p50Ms,
    p95Ms: ours.p95Ms,
    bytesPerDoc1k: at(1000)?.bytesPerDoc ?? null,
    bytesPerDoc50k: at(50_000)?.bytesPerDoc ?? null,
    peakRssMb50k: at(50_000)?.peakRssMb ?? null,
    noChangeSyncSec1k: at(1000)?.noChangeSyncSeconds ?? null,
    noChangeSyncSec10k: at(10_000)?.noChangeSyncSeconds ?? null,
    noChangeSyncSec50k: at(50_000)?.noChangeSyncSeconds ?? null,
    ...start,
    compare,
    sizes,
    seconds: round((Date.now() - startedAt.getTime()) / 1000, 1),
  };
  const json = JSON.stringify(result);
  if (values.out) mkdirSync(dirname(values.out), { recursive: true });
  if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  if (values.json) process.stdout.write(`${json}\n`);
  else process.stdout.write(report(result));
}

function report(r: {
  compare: Awaited<ReturnType<typeof compareFlows>>;
  sizes: Awaited<ReturnType<typeof measureSize>>[];
  [k: string]: unknown;
}): string {
  const f = r.compare.flows;
  const LABELS: Record<FlowName, string> = {
    ours: 'ours',
    ours8: 'ours, 8 in flight',
    reference: 'reference',
    naive: 'naive',
  };
  const shown = (['ours', 'ours8', 'reference', 'naive'] as const).filter((name) => f[name].runs.length > 0);
  const rows = shown.map((name) => {
    const x = f[name];
    return `| ${LABELS[name]} | ${x.seconds} | ${x.documentsPerSecond} | ${x.vismaCallsPerDoc} | ${x.avataxCallsPerDoc} | ${x.p50Ms} / ${x.p95Ms} | ${x.boundRatio} | ${x.cpuSeconds} | ${x.peakRssMb} |`;
  });
  const sizes = r.sizes.map(
    (s) =>
      `| ${s.documents} | ${s.syncSeconds} | ${s.bytesPerDoc} | ${s.vismaCallsPerDoc} / ${s.avataxCallsPerDoc} | ${s.noChangeSyncSeconds} (${s.noChangeListedSeconds} listing) | ${s.listSeconds} | ${s.exportSeconds} | ${s.peakRssMb} | ${s.fillSeconds ?? '–'} s, ${s.fillPeakRssMb ?? '–'} MB |`,
  );
  return [
    `${r.compare.documents} documents, ${LATENCY_MS} ms per request, medians of ${r.compare.reps}`,
    '',
    '| flow | seconds | documents/s | Visma calls/doc | AvaTax calls/doc | p50 / p95 ms per document | bound ratio | CPU s | peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `speedup ${r.speedup}× the naive flow, ${r.speedupVsReference}× the reference${r.speedupVsReferenceAt8 === null ? '' : ` (${r.speedupVsReferenceAt8}× at 8 in flight)`}; CLI --help ${r.cliStartSec} s (node -e 0: ${r.nodeStartSec} s)`,
    '',
    '| documents in the month | sync of the last ones, s | bytes/doc | calls/doc Visma / AvaTax | no-change sync, s | list, s | export, s | peak RSS MB | first sync of the rest (no latency) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...sizes,
    '',
  ].join('\n');
}

main().catch((error) => {
  log(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
