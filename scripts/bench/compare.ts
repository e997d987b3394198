import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestClock } from '../../test/helpers/clock.js';
import { engineSync, flow, log, withHost } from './children.js';
import type { Urls } from './common.js';
import type { HostOptions, Tally } from './host.js';
import { median, percentile, round } from './stats.js';
import { differentWork, engineWork, type Work } from './work.js';

/**
 * Our engine beside the two scripts on the same workload, each flow against fresh sandboxes: documents per
 * second, calls per document, the latency bound. Before any ratio the bench checks that every run of every flow
 * did the same work (processed, posted, flagged, written); if not, it says why and reports no ratio.
 */

export type FlowName = 'ours' | 'reference' | 'naive';

export interface FlowRun {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** The most documents the flow keeps in flight (ours: `sync.concurrency`, the ceiling of its pace). */
  inFlight: number;
  work: Work;
  tally: Tally;
  /** Ours: seconds until the first document was taken (data folder, VAT data, listing) and after the last. */
  phases?: { before: number; after: number };
}

export interface Conditions {
  latencyMs: number;
  /** Visma's requests per window, and the window in seconds. */
  visma: { limit: number; windowSeconds: number };
  avatax?: HostOptions['avatax'];
}

/**
 * Each measured run of ours and the reference is made warm: its process first runs the same flow over a workload
 * of the same size on sandboxes of its own, without latency (it only has to run the code). The desktop app syncs
 * on a timer in a process that lives all day, so its syncs run on compiled code; a fresh process first spends
 * tenths of a second compiling it. Both flows get the same pass; a cold run of each is reported beside.
 */
/** The concurrency the scripts keep (the reference four at a time, the naive one). */
export const SCRIPT_IN_FLIGHT = { reference: 4, naive: 1 } as const;

/** One run of one flow against fresh sandboxes loaded with `documents` documents. */
export async function runFlow(
  name: FlowName,
  documents: number,
  clock: TestClock,
  conditions: Conditions,
  ceiling: number,
  /** Documents of the warm-up pass the flow's process makes first on sandboxes of its own (0: none, cold). */
  warmUp = 0,
): Promise<FlowRun> {
  const options: HostOptions = {
    at: clock.ms(),
    documents,
    latencyMs: conditions.latencyMs,
    rateLimit: conditions.visma.limit,
    rateWindowSeconds: conditions.visma.windowSeconds,
    avatax: conditions.avatax,
  };
  if (warmUp > 0)
    return withHost({ ...options, documents: warmUp, latencyMs: 0 }, (_, warmUrls) =>
      measure(name, options, clock, ceiling, warmUrls),
    );
  return measure(name, options, clock, ceiling);
}

/** The measured run, after a warm-up pass on `warmUrls` in the same process when given. */
function measure(
  name: FlowName,
  options: HostOptions,
  clock: TestClock,
  ceiling: number,
  warmUrls?: Urls,
): Promise<FlowRun> {
  return withHost(options, async (host, urls) => {
    const dir = mkdtempSync(join(tmpdir(), `taxsync-bench-${name}-`));
    const at = clock.ms();
    try {
      if (name === 'ours') {
        const warmUp = warmUrls ? { dir: join(dir, 'warm-up'), urls: warmUrls, at } : undefined;
        const r = await engineSync({ dir: join(dir, 'data'), urls, at, warmUp });
        if (r.summary.outcome !== 'completed') log(`  our sync ended ${String(r.summary.outcome)}`);
        const tally = await host.call<Tally>('take');
        return {
          seconds: r.seconds,
          cpuSeconds: r.cpuSeconds,
          peakRssMb: r.peakRssMb,
          inFlight: ceiling,
          work: engineWork(r.summary, r.ledger, tally),
          tally,
          phases: { before: r.phases.listed, after: r.seconds - (r.phases.processed || r.seconds) },
        };
      }
      const concurrency = SCRIPT_IN_FLIGHT[name];
      const r = await flow(name, {
        urls,
        at,
        results: join(dir, 'results.jsonl'),
        concurrency,
        warmUp: warmUrls ? { urls: warmUrls, at, results: join(dir, 'warm-up.jsonl'), concurrency } : undefined,
      });
      const tally = await host.call<Tally>('take');
      if (r.posted !== tally.posted) log(`  ${name} says it posted ${r.posted}, AvaTax recorded ${tally.posted}`);
      return {
        seconds: r.seconds,
        cpuSeconds: r.cpuSeconds,
        peakRssMb: r.peakRssMb,
        inFlight: SCRIPT_IN_FLIGHT[name],
        work: {
          processed: r.processed,
          posted: tally.posted,
          flagged: r.flagged,
          written: tally.written,
          failed: r.failed,
        },
        tally,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** The medians of a flow's runs, and what it did. */
export function describeRuns(runs: FlowRun[], latencyMs: number) {
  const per = (r: FlowRun) => {
    const calls = r.tally.visma + r.tally.token + r.tally.avatax;
    const bound = (calls * latencyMs) / r.inFlight / 1000;
    const observedBound = (r.tally.busyMs.visma + r.tally.busyMs.avatax) / r.inFlight / 1000;
    return {
      seconds: r.seconds,
      documentsPerSecond: r.work.processed / r.seconds,
      vismaCallsPerDoc: (r.tally.visma + r.tally.token) / r.work.processed,
      avataxCallsPerDoc: r.tally.avatax / r.work.processed,
      bound,
      boundRatio: bound / r.seconds,
      observedBoundRatio: observedBound / r.seconds,
      p50: percentile(r.tally.spans, 50),
      p95: percentile(r.tally.spans, 95),
      cpuSeconds: r.cpuSeconds,
      peakRssMb: r.peakRssMb,
      throttled: r.tally.throttled,
      peakRequests: r.tally.peakInFlight.visma + r.tally.peakInFlight.avatax,
    };
  };
  const each = runs.map(per);
  const m = (k: keyof ReturnType<typeof per>) => median(each.map((e) => e[k]));
  const last = runs.at(-1);
  return {
    runs: each.map((e) => round(e.seconds)),
    /** What the flow did (the last run's; the check says whether every run did the same). */
    work: last?.work,
    inFlight: last?.inFlight ?? 0,
    seconds: round(m('seconds')),
    documentsPerSecond: round(m('documentsPerSecond'), 1),
    vismaCallsPerDoc: round(m('vismaCallsPerDoc')),
    avataxCallsPerDoc: round(m('avataxCallsPerDoc')),
    boundSeconds: round(m('bound')),
    boundRatio: round(m('boundRatio')),
    observedBoundRatio: round(m('observedBoundRatio')),
    p50Ms: Math.round(m('p50')),
    p95Ms: Math.round(m('p95')),
    cpuSeconds: round(m('cpuSeconds')),
    peakRssMb: Math.round(m('peakRssMb')),
    throttled: Math.round(m('throttled')),
    peakRequestsInFlight: Math.round(m('peakRequests')),
    /** Ours: seconds before its first document and after its last (median), which the latency bound leaves out. */
    phases: runs.some((r) => r.phases)
      ? {
          before: round(median(runs.map((r) => r.phases?.before ?? 0))),
          after: round(median(runs.map((r) => r.phases?.after ?? 0))),
        }
      : undefined,
    calls: last?.tally.byKind ?? {},
  };
}

export type FlowSummary = ReturnType<typeof describeRuns>;

/** Every flow `reps` times on `documents` documents, the order turned each repetition. */
export async function compareFlows(options: {
  documents: number;
  reps: number;
  clock: TestClock;
  conditions: Conditions;
  ceiling: number;
  flows: FlowName[];
  /** Repetitions of the naive flow (it takes minutes; once is enough to count its calls). */
  naiveReps?: number;
  /** Documents of each measured run's warm-up pass (default: as many as it measures; 0: every run cold). */
  warmUp?: number;
}) {
  const { documents, reps, flows } = options;
  const runs: Record<FlowName, FlowRun[]> = { ours: [], reference: [], naive: [] };
  for (let rep = 1; rep <= reps; rep++) {
    for (const name of flows.map((_, i) => flows[(i + rep - 1) % flows.length]!)) {
      if (name === 'naive' && runs.naive.length >= (options.naiveReps ?? reps)) continue;
      log(`compare ${rep}/${reps}: ${name} on ${documents} documents…`);
      // The naive script is measured as it would be run, cold: a warm-up would not move its minutes.
      const warmUp = name === 'naive' ? 0 : (options.warmUp ?? documents);
      const run = await runFlow(name, documents, options.clock, options.conditions, options.ceiling, warmUp);
      log(`  ${name}: ${round(run.seconds)} s, ${JSON.stringify(run.work)}`);
      runs[name].push(run);
    }
  }
  // For the record, a first sync in a fresh process (no warm-up) of ours and the reference, once each.
  const cold: Partial<Record<FlowName, FlowRun>> = {};
  if ((options.warmUp ?? documents) > 0)
    for (const name of flows.filter((f) => f !== 'naive')) {
      log(`compare: ${name} on ${documents} documents, cold (a fresh process, no warm-up)…`);
      cold[name] = await runFlow(name, documents, options.clock, options.conditions, options.ceiling, 0);
      log(`  ${name}: ${round(cold[name]!.seconds)} s, ${JSON.stringify(cold[name]!.work)}`);
    }
  const all = [
    ...flows.flatMap((name) => runs[name].map((r, i) => ({ flow: `${name} (run ${i + 1})`, work: r.work }))),
    ...Object.entries(cold).map(([name, r]) => ({ flow: `${name} (cold)`, work: r!.work })),
  ];
  const refused = differentWork(all, documents);
  const latency = options.conditions.latencyMs;
  return {
    documents,
    reps,
    /** Why the flows are not compared (empty: they did the same work). */
    refused,
    flows: Object.fromEntries(flows.map((name) => [name, describeRuns(runs[name], latency)])) as Partial<
      Record<FlowName, FlowSummary>
    >,
    /** Documents of the warm-up pass before each measured run of ours and the reference. */
    warmUp: options.warmUp ?? documents,
    /** The same flows once each in a fresh process, without the warm-up: what a first sync after start takes. */
    cold: Object.fromEntries(Object.entries(cold).map(([name, r]) => [name, describeRuns([r!], latency)])) as Partial<
      Record<FlowName, FlowSummary>
    >,
    runs,
  };
}
