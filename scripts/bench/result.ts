import type { compareFlows, FlowName, FlowSummary } from './compare.js';
import type { limitedRun } from './limited.js';
import type { measureBackfill, SizeResult } from './month.js';
import { leftOut, type Plan } from './plan.js';
import type { machine, sampleLoad } from './stamp.js';
import { round } from './stats.js';
import { judgeTargets } from './targets.js';

type Work = Pick<FlowSummary, 'work'>['work'];
const counts = (w: Work | undefined) =>
  w ? { processed: w.processed, posted: w.posted, flagged: w.flagged, written: w.written, failed: w.failed } : null;

/** Per flow of the comparison and of the rate-limited run, what it did with the workload. */
export function documentsByFlow(
  flows: Partial<Record<FlowName, Pick<FlowSummary, 'work'>>> | undefined,
  limited: { ours: { work: Work }; reference: { work: Work } } | null,
) {
  const out: Record<string, ReturnType<typeof counts>> = {};
  for (const name of ['ours', 'reference', 'naive'] as const) if (flows?.[name]) out[name] = counts(flows[name]?.work);
  if (limited) {
    out.oursRateLimited = counts(limited.ours.work);
    out.referenceRateLimited = counts(limited.reference.work);
  }
  return out;
}

/** One bench run's result, as `--json` prints it and docs/performance.json keeps it. */
export function assemble(parts: {
  date: string;
  commit: { id: string; dirty: boolean };
  mode: 'short' | 'full';
  /** What the run was to measure, and a sentence it carries (e.g. why it left parts out). */
  plan: Plan;
  note: string | null;
  clock: string;
  machine: ReturnType<typeof machine> & { loadAverage: ReturnType<ReturnType<typeof sampleLoad>['stop']> };
  latencyMs: number;
  ceiling: number;
  compare: Awaited<ReturnType<typeof compareFlows>> | undefined;
  limited: Awaited<ReturnType<typeof limitedRun>> | null;
  sizes: SizeResult[];
  backfill: Awaited<ReturnType<typeof measureBackfill>> | null;
  start: { cliStartSec: number; nodeStartSec: number };
  seconds: number;
}) {
  const { compare, limited, sizes, backfill, start } = parts;
  const comparison = { refused: compare?.refused ?? [], flows: compare?.flows ?? {} };
  const targets = judgeTargets({ compare: comparison, limited, sizes, backfill, ...start }, parts.mode === 'full');
  const ours = comparison.flows.ours;
  const ratio = (a?: number, b?: number) => (comparison.refused.length === 0 && a && b ? round(a / b) : null);
  const at = (n: number) => sizes.find((s) => s.documents === n);
  return {
    date: parts.date,
    commit: parts.commit,
    mode: parts.mode,
    plan: parts.plan,
    /** What a full run left out of the full plan (none: the whole of it). */
    leftOut: parts.mode === 'full' ? leftOut(parts.plan) : [],
    note: parts.note,
    clock: parts.clock,
    machine: parts.machine,
    latencyMs: parts.latencyMs,
    ceiling: parts.ceiling,
    summary: {
      speedupVsReference: ratio(ours?.documentsPerSecond, comparison.flows.reference?.documentsPerSecond),
      speedupVsNaive: ratio(ours?.documentsPerSecond, comparison.flows.naive?.documentsPerSecond),
      documentsPerSecond: ours?.documentsPerSecond ?? null,
      boundRatio: ours?.boundRatio ?? null,
      vismaCallsPerDoc: ours?.vismaCallsPerDoc ?? null,
      avataxCallsPerDoc: ours?.avataxCallsPerDoc ?? null,
      documentsPerHourAtLimit: limited?.ours.documentsPerHour ?? null,
      limitBoundRatio: limited?.ours.boundRatio ?? null,
      limitedSpeedupVsReference: limited?.speedupVsReference ?? null,
      firstSyncPeakRssMb50k: at(50_000)?.firstSyncPeakRssMb ?? null,
      backfillPeakRssMb: backfill?.peakRssMb ?? null,
      noChangeSyncSec50k: at(50_000)?.noChangeSyncSeconds ?? null,
      bytesPerDoc1k: at(1000)?.bytesPerDoc ?? null,
      bytesPerDoc50k: at(50_000)?.bytesPerDoc ?? null,
      ...start,
      /** Per flow, the documents it processed, posted, flagged and wrote: the ratios above compare like with like. */
      documents: documentsByFlow(compare?.flows, limited),
      targetsMet: targets.filter((t) => t.met === true).length,
      targetsMissed: targets.filter((t) => t.met === false).length,
    },
    targets,
    compare: compare
      ? {
          documents: compare.documents,
          reps: compare.reps,
          refused: compare.refused,
          flows: compare.flows,
          warmUp: compare.warmUp,
          cold: compare.cold,
        }
      : null,
    limited,
    sizes,
    backfill,
    seconds: parts.seconds,
  };
}

export type BenchResult = ReturnType<typeof assemble>;
