import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { testClock } from '../../test/helpers/clock.js';
import { buildCli, bundleChildren, CLI, log, ROOT, timeCommand } from './children.js';
import { settingsFor } from './common.js';
import { compareFlows, type FlowName } from './compare.js';
import { limitedRun } from './limited.js';
import { measureBackfill, measureSize, type SizeResult } from './month.js';
import { markdown, text } from './report.js';
import { assemble } from './result.js';
import { commit, machine, runDate, sampleLoad } from './stamp.js';
import { median, round } from './stats.js';
import { BENCH_NOW } from './workload.js';

/**
 * `npm run bench`: our engine against a rule-following reference and a naive script on the same generated
 * workload (40 ms a request, the default settings), the same against the services' rate limits (documents per
 * hour against the bound the limits allow), one month at 1k, 10k and 50k documents (bytes written per document,
 * a no-change sync, list, export, peak RSS), a year's backfill, and the built CLI's start; issue 18's targets
 * judged on the lot. Everything runs on the bench clock (`--at`, default the tests' instant), so a run does the
 * same work on any day. `--json` prints one JSON object on stdout (progress on stderr); `--doc` writes
 * docs/performance.md and docs/performance.json from the run; `--short` is CI's form.
 */

const LATENCY_MS = 40;
/** Visma's requests an hour for a production client (visma.md §2.2, historic) in the latency runs. */
const VISMA_HOURLY = 15_000;

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    short: { type: 'boolean' },
    /** Write docs/performance.md and docs/performance.json from this run. */
    doc: { type: 'boolean' },
    /** Also write the result (indented) to this file. */
    out: { type: 'string' },
    /** The bench clock's instant (ISO 8601); default the tests' own. */
    at: { type: 'string' },
    /** For working on one part: documents compared (0 skips), repetitions, documents rate-limited (0 skips),
     * month sizes, documents of the year's backfill (0 skips). */
    compare: { type: 'string' },
    reps: { type: 'string' },
    limited: { type: 'string' },
    sizes: { type: 'string' },
    year: { type: 'string' },
  },
});
const SHORT = Boolean(values.short);
const number = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const CONFIG = SHORT
  ? {
      compareDocuments: number(values.compare, 30),
      reps: number(values.reps, 3),
      naiveReps: 1,
      limitedDocuments: number(values.limited, 60),
      // A window of 20 Visma requests in 3 s (24,000 an hour), AvaTax 10 a second.
      visma: { limit: 20, windowSeconds: 3 },
      avatax: { requests: 10, windowSeconds: 1, retryAfter: 'seconds' as const },
      sizes: values.sizes === undefined ? [1000] : parseSizes(values.sizes),
      newDocuments: 200,
      yearDocuments: number(values.year, 300),
    }
  : {
      compareDocuments: number(values.compare, 200),
      reps: number(values.reps, 3),
      naiveReps: 1,
      limitedDocuments: number(values.limited, 600),
      // Visma's 15,000 an hour in windows of 30 s (125 requests), AvaTax 20 a second.
      visma: { limit: 125, windowSeconds: 30 },
      avatax: { requests: 20, windowSeconds: 1, retryAfter: 'seconds' as const },
      sizes: values.sizes === undefined ? [1000, 10_000, 50_000] : parseSizes(values.sizes),
      newDocuments: 1000,
      yearDocuments: number(values.year, 24_000),
    };

function parseSizes(list: string): number[] {
  return list.split(',').filter(Boolean).map(Number);
}

function cliStart() {
  buildCli();
  const help: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 7; i++) {
    help.push(timeCommand([CLI, '--help']));
    bare.push(timeCommand(['-e', '0']));
  }
  return { cliStartSec: round(median(help), 3), nodeStartSec: round(median(bare), 3) };
}

async function main() {
  const started = performance.now();
  const date = runDate();
  const load = sampleLoad();
  const at = values.at ?? BENCH_NOW;
  if (!Number.isFinite(Date.parse(at))) throw new Error(`--at takes an ISO 8601 instant, not ${at}`);
  const clock = testClock(at);
  // The most documents our engine keeps in flight with the default settings (the ceiling of its pace).
  const ceiling = settingsFor({ visma: 'http://127.0.0.1:1', avatax: 'http://127.0.0.1:2' }, clock.ms()).sync
    .concurrency;
  log(`bench (${SHORT ? 'short' : 'full'}) at ${at}: ${LATENCY_MS} ms a request, ours up to ${ceiling} in flight`);
  await bundleChildren();
  const start = cliStart();
  log(`CLI --help: ${start.cliStartSec} s (node -e 0: ${start.nodeStartSec} s)`);

  const latencyConditions = {
    latencyMs: LATENCY_MS,
    visma: { limit: VISMA_HOURLY, windowSeconds: 3600 },
  };
  const flows: FlowName[] = ['ours', 'reference', 'naive'];
  const compare =
    CONFIG.compareDocuments > 0
      ? await compareFlows({
          documents: CONFIG.compareDocuments,
          reps: CONFIG.reps,
          naiveReps: CONFIG.naiveReps,
          clock,
          conditions: latencyConditions,
          ceiling,
          flows,
        })
      : undefined;
  const limited =
    CONFIG.limitedDocuments > 0
      ? await limitedRun({
          documents: CONFIG.limitedDocuments,
          clock,
          conditions: { latencyMs: LATENCY_MS, visma: CONFIG.visma, avatax: CONFIG.avatax },
          ceiling,
        })
      : null;
  const sizes: SizeResult[] = [];
  for (const n of CONFIG.sizes)
    sizes.push(
      await measureSize({
        documents: n,
        newDocuments: CONFIG.newDocuments,
        clock,
        latencyMs: LATENCY_MS,
        vismaLimit: VISMA_HOURLY,
      }),
    );
  const backfill = CONFIG.yearDocuments > 0 ? await measureBackfill({ documents: CONFIG.yearDocuments, clock }) : null;

  const result = assemble({
    date,
    commit: commit(),
    mode: SHORT ? 'short' : 'full',
    clock: at,
    machine: { ...machine(), loadAverage: load.stop() },
    latencyMs: LATENCY_MS,
    ceiling,
    compare,
    limited,
    sizes,
    backfill,
    start,
    seconds: round((performance.now() - started) / 1000, 1),
  });
  const write = (file: string, content: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  if (values.out) write(values.out, `${JSON.stringify(result, null, 2)}\n`);
  if (values.doc) {
    write(join(ROOT, 'docs', 'performance.json'), `${JSON.stringify(result, null, 2)}\n`);
    write(join(ROOT, 'docs', 'performance.md'), markdown(result));
    log('wrote docs/performance.md and docs/performance.json');
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(text(result));
  // A short run (CI) fails when a comparison was refused or a step did not do its work: the bench is broken.
  const broken = [
    ...(compare?.refused ?? []),
    ...(limited?.refused ?? []),
    ...sizes.flatMap((s) => s.problems),
    ...(backfill?.problems ?? []),
  ];
  if (broken.length > 0) {
    log(`the bench did not measure what it should: ${broken.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  log(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
