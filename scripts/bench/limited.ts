import type { TestClock } from '../../test/helpers/clock.js';
import { log } from './children.js';
import { type Conditions, type FlowName, type FlowRun, runFlow } from './compare.js';
import { round } from './stats.js';
import { differentWork } from './work.js';

/**
 * Throughput at the limit: our engine and the reference on the same workload while the sandboxes enforce Visma's
 * window (scaled down in time, not in rate) and an AvaTax limit. What bounds a flow there is not latency but the
 * requests the windows allow: at best, documents per hour = requests per hour ÷ requests per document, for
 * whichever service runs out first. The flow's own calls per document set its bound, so the ratio says how well
 * it uses the windows, and the two flows' documents per hour say what fewer calls per document are worth.
 */

export interface LimitedFlow {
  seconds: number;
  work: FlowRun['work'];
  /** Documents an hour over the whole windows of the run (see `steadyRate`), and over the whole run. */
  documentsPerHour: number;
  documentsPerHourOverall: number;
  /** Requests each service served per document (a 429 is not served; Visma's token is not limited). */
  vismaCallsPerDoc: number;
  avataxCallsPerDoc: number;
  /** Documents per hour the limits allow at these calls per document (the lower of the two services'). */
  boundPerHour: number;
  boundRatio: number;
  /** 429s met, per service. */
  throttled: { visma: number; avatax: number };
  /** Visma windows the run opened. */
  windows: number;
  peakRssMb: number;
}

/**
 * Documents an hour over the run's whole windows: those finished from the first window's opening to the last
 * one's, over that time. A short run ending early in a fixed window would otherwise count the burst at its start
 * as if it went on. With fewer than three windows, the whole run.
 */
export function steadyRate(
  run: Pick<FlowRun, 'seconds' | 'work'> & { tally: Pick<FlowRun['tally'], 'vismaWindows' | 'finished'> },
): { perHour: number; overall: number } {
  const overall = (run.work.processed / run.seconds) * 3600;
  const windows = run.tally.vismaWindows;
  const named = run.tally.finished.length;
  if (windows.length < 3 || named === 0) return { perHour: overall, overall };
  const first = windows[0]!;
  const last = windows.at(-1)!;
  // Documents a request names (a flagged one makes none) stand for all processed, in proportion.
  const done = run.tally.finished.filter((t) => t < last).length * (run.work.processed / named);
  return { perHour: (done / (last - first)) * 3_600_000, overall };
}

export function describeLimited(run: FlowRun, conditions: Required<Conditions>): LimitedFlow {
  const t = run.tally;
  const docs = Math.max(1, run.work.processed);
  const vismaCallsPerDoc = (t.visma - t.throttledBy.visma) / docs;
  const avataxCallsPerDoc = (t.avatax - t.throttledBy.avatax) / docs;
  const perHour = (requests: number, seconds: number, perDoc: number) =>
    perDoc > 0 ? (requests * 3600) / seconds / perDoc : Number.POSITIVE_INFINITY;
  const boundPerHour = Math.min(
    perHour(conditions.visma.limit, conditions.visma.windowSeconds, vismaCallsPerDoc),
    perHour(conditions.avatax.requests, conditions.avatax.windowSeconds, avataxCallsPerDoc),
  );
  const rate = steadyRate(run);
  return {
    seconds: round(run.seconds),
    work: run.work,
    documentsPerHour: Math.round(rate.perHour),
    documentsPerHourOverall: Math.round(rate.overall),
    vismaCallsPerDoc: round(vismaCallsPerDoc),
    avataxCallsPerDoc: round(avataxCallsPerDoc),
    boundPerHour: Math.round(boundPerHour),
    boundRatio: round(rate.perHour / boundPerHour),
    throttled: t.throttledBy,
    windows: t.vismaWindows.length,
    peakRssMb: run.peakRssMb,
  };
}

export async function limitedRun(options: {
  documents: number;
  clock: TestClock;
  conditions: Required<Conditions>;
  ceiling: number;
}) {
  const { documents, conditions } = options;
  const runs: Partial<Record<FlowName, FlowRun>> = {};
  for (const name of ['ours', 'reference'] as const) {
    log(
      `rate-limited: ${name} on ${documents} documents (Visma ${conditions.visma.limit} per ${conditions.visma.windowSeconds} s, AvaTax ${conditions.avatax.requests} per ${conditions.avatax.windowSeconds} s)…`,
    );
    runs[name] = await runFlow(name, documents, options.clock, conditions, options.ceiling);
    log(`  ${name}: ${round(runs[name]!.seconds)} s, ${JSON.stringify(runs[name]!.work)}`);
  }
  const ours = describeLimited(runs.ours!, conditions);
  const reference = describeLimited(runs.reference!, conditions);
  const refused = differentWork(
    [
      { flow: 'ours', work: ours.work },
      { flow: 'reference', work: reference.work },
    ],
    documents,
  );
  return {
    documents,
    visma: conditions.visma,
    avatax: conditions.avatax,
    refused,
    ours,
    reference,
    /** Ours against the reference, documents per hour (none when they did different work). */
    speedupVsReference: refused.length > 0 ? null : round(ours.documentsPerHour / reference.documentsPerHour),
  };
}
