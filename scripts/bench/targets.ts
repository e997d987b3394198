import type { FlowSummary } from './compare.js';
import type { limitedRun } from './limited.js';
import type { measureBackfill, SizeResult } from './month.js';
import { round } from './stats.js';

/**
 * Issue 18's targets, judged on one run: each met, missed, or not measured in this run (a short run measures
 * fewer; a comparison of flows that did different work measures no ratio).
 */
export interface Judged {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface Measured {
  compare: {
    refused: string[];
    flows: { ours?: FlowSummary; reference?: FlowSummary };
    /** A first sync in a fresh process, without the warm-up, for the record. */
    cold?: { ours?: FlowSummary };
  };
  limited: Awaited<ReturnType<typeof limitedRun>> | null;
  sizes: SizeResult[];
  backfill: Awaited<ReturnType<typeof measureBackfill>> | null;
  cliStartSec: number;
  nodeStartSec: number;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

function judge(
  target: string,
  value: number | null | undefined,
  ok: (v: number) => boolean,
  show: (v: number) => string,
  why?: string,
): Judged {
  if (value === null || value === undefined || !Number.isFinite(value))
    return { target, measured: why ?? 'not measured in this run', met: null };
  return { target, measured: show(value), met: ok(value) };
}

/** `judged: false` (a short run): the figures are shown, but at its small sizes they say nothing of the targets. */
export function judgeTargets(m: Measured, judged = true): Judged[] {
  const all = judgeAll(m);
  return judged ? all : all.map((t) => ({ ...t, measured: `${t.measured} (short run: not judged)`, met: null }));
}

function judgeAll(m: Measured): Judged[] {
  const { ours, reference } = m.compare.flows;
  const coldOurs = m.compare.cold?.ours;
  const refused = m.compare.refused.length > 0 ? `no ratio: ${m.compare.refused.join('; ')}` : undefined;
  const speedup = !refused && ours && reference ? ours.documentsPerSecond / reference.documentsPerSecond : null;
  const limited = m.limited;
  const limitedRefused = limited && limited.refused.length > 0 ? `no ratio: ${limited.refused.join('; ')}` : undefined;
  const at = (n: number) => m.sizes.find((s) => s.documents === n);
  const first = at(1000);
  const last = at(50_000);
  const calls = (key: 'vismaCallsPerDoc' | 'avataxCallsPerDoc') => {
    const values = [ours?.[key], limited?.ours[key], ...m.sizes.map((s) => s[key])].filter(
      (v): v is number => typeof v === 'number' && Number.isFinite(v),
    );
    return values.length > 0 ? Math.max(...values) : null;
  };
  return [
    judge(
      '≥ 1.5× the reference’s documents per second (40 ms a request, default settings)',
      speedup,
      (v) => v >= 1.5,
      (v) => `${round(v)}× (${ours?.documentsPerSecond} against ${reference?.documentsPerSecond} documents/s)`,
      refused,
    ),
    judge(
      '≥ 80 % of the latency bound',
      ours?.boundRatio,
      (v) => v >= 0.8,
      (v) =>
        `${pct(v)} (bound ${ours?.boundSeconds} s at ${ours?.inFlight} in flight, measured ${ours?.seconds} s${coldOurs ? `; a cold first sync: ${pct(coldOurs.boundRatio)}, ${coldOurs.seconds} s` : ''})`,
    ),
    judge(
      '≥ 90 % of the limit bound (rate-limited run)',
      limited?.ours.boundRatio,
      (v) => v >= 0.9,
      (v) => `${pct(v)} (${limited?.ours.documentsPerHour} of ${limited?.ours.boundPerHour} documents/hour)`,
    ),
    judge(
      '≥ 1.4× the reference under the limits',
      limitedRefused ? null : limited?.speedupVsReference,
      (v) => v >= 1.4,
      (v) =>
        `${round(v)}× (${limited?.ours.documentsPerHour} against ${limited?.reference.documentsPerHour} documents/hour)`,
      limitedRefused,
    ),
    judge(
      '≤ 1.2 Visma calls per document',
      calls('vismaCallsPerDoc'),
      (v) => v <= 1.2,
      (v) => `${v} at most`,
    ),
    judge(
      '≤ 1.1 AvaTax calls per document',
      calls('avataxCallsPerDoc'),
      (v) => v <= 1.1,
      (v) => `${v} at most`,
    ),
    judge(
      'the first sync of a 50,000-document month peaks below 400 MB',
      last?.firstSyncPeakRssMb,
      (v) => v < 400,
      (v) => `${v} MB (${last?.processed.firstSync} documents)`,
    ),
    judge(
      'a year’s backfill peaks below 400 MB',
      m.backfill?.peakRssMb,
      (v) => v < 400,
      (v) => `${v} MB (${m.backfill?.processed} documents)`,
    ),
    judge(
      'a no-change sync of 50,000 documents in under 10 s',
      last?.noChangeSyncSeconds,
      (v) => v < 10,
      (v) => `${v} s (${last?.noChangeListedSeconds} s of it listing)`,
    ),
    judge(
      'bytes written per document flat from 1k to 50k (within 10 %)',
      first && last ? last.bytesPerDoc / first.bytesPerDoc : null,
      (v) => Math.abs(v - 1) <= 0.1,
      () => `${first?.bytesPerDoc} → ${last?.bytesPerDoc} bytes`,
    ),
    judge(
      'the CLI starts in under 0.3 s',
      m.cliStartSec,
      (v) => v < 0.3,
      (v) => `${v} s (node alone ${m.nodeStartSec} s)`,
    ),
  ];
}
