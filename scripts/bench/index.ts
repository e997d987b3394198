import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { testClock } from '../../test/helpers/clock.js';
import { buildCli, bundleChildren, CLI, log, ROOT, timeCommand } from './children.js';
import { settingsFor } from './common.js';
import { compareFlows, type FlowName } from './compare.js';
import { limitedRun } from './limited.js';
import { measureBackfill, measureSize, type SizeResult } from './month.js';
import { leftOut, planFor } from './plan.js';
import { markdown, text } from './report.js';
import { assemble, type BenchResult } from './result.js';
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
    /** The flows compared, e.g. `ours,reference` (the naive script takes two minutes a run); default all three. */
    flows: { type: 'string' },
    /** A sentence the report carries, e.g. why a run was narrowed to some parts. */
    note: { type: 'string' },
    /** Write docs/performance.md again from a stored result (docs/performance.json), without running anything. */
    from: { type: 'string' },
  },
});
const SHORT = Boolean(values.short);
const CONFIG = planFor(SHORT, values);

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

/** `--flows`: which of the three flows the comparison runs, in the order given. */
function flowsOf(option: string | undefined): FlowName[] {
  const all: FlowName[] = ['ours', 'reference', 'naive'];
  if (option === undefined) return all;
  const named = option.split(',').map((f) => f.trim());
  for (const f of named)
    if (!all.includes(f as FlowName)) throw new Error(`--flows takes ${all.join(', ')} (comma-separated), not ${f}`);
  return named as FlowName[];
}

const write = (file: string, content: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
};

/** docs/performance.json (the whole result) and docs/performance.md (generated from it). */
function writeDoc(result: BenchResult, json = true) {
  if (json) write(join(ROOT, 'docs', 'performance.json'), `${JSON.stringify(result, null, 2)}\n`);
  write(join(ROOT, 'docs', 'performance.md'), markdown(result));
  log(`wrote ${json ? 'docs/performance.md and docs/performance.json' : 'docs/performance.md'}`);
}

async function main() {
  if (values.from) {
    writeDoc(JSON.parse(readFileSync(values.from, 'utf8')) as BenchResult, false);
    return;
  }
  const started = performance.now();
  const date = runDate();
  const load = sampleLoad();
  // What is measured is the tree as it is now: the children and the CLI are built from it next.
  const measured = commit();
  const at = values.at ?? BENCH_NOW;
  if (!Number.isFinite(Date.parse(at))) throw new Error(`--at takes an ISO 8601 instant, not ${at}`);
  const clock = testClock(at);
  // The most documents our engine keeps in flight with the default settings (the ceiling of its pace).
  const ceiling = settingsFor({ visma: 'http://127.0.0.1:1', avatax: 'http://127.0.0.1:2' }, clock.ms()).sync
    .concurrency;
  log(`bench (${SHORT ? 'short' : 'full'}) at ${at}: ${LATENCY_MS} ms a request, ours up to ${ceiling} in flight`);
  if (!SHORT) for (const part of leftOut(CONFIG)) log(`  a partial run: ${part}`);
  await bundleChildren();
  const start = cliStart();
  log(`CLI --help: ${start.cliStartSec} s (node -e 0: ${start.nodeStartSec} s)`);

  const latencyConditions = {
    latencyMs: LATENCY_MS,
    visma: { limit: VISMA_HOURLY, windowSeconds: 3600 },
  };
  const flows = flowsOf(values.flows);
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
    commit: measured,
    mode: SHORT ? 'short' : 'full',
    plan: CONFIG,
    note: values.note ?? null,
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
  if (values.out) write(values.out, `${JSON.stringify(result, null, 2)}\n`);
  if (values.doc) writeDoc(result);
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
