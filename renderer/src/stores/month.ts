import { create } from 'zustand';
import { addMonths } from '../../../shared/dates.js';
import type { JobKind } from '../../../shared/domain.js';
import type {
  DemoReleaseOutcome,
  JobsNow,
  MonthFilesOutcome,
  ReprocessOutcome,
  VatReportOutcome,
  VoidOutcome,
} from '../../../shared/ipc-channels.js';
import type { Minor } from '../../../shared/money.js';
import {
  type BackfillProgress,
  type BackfillView,
  BLOCKING_BUCKETS,
  type Bucket,
  type DryRunResult,
  type ReconciledDocument,
  type Reconciliation,
} from '../../../shared/month.js';
import { getApi } from '../api.js';
import { exportFormat } from '../export-format.js';
import { sayReason } from '../reasons.js';
import { companyToday } from './app.js';
import { useUi } from './ui.js';

/**
 * The Month-end screen: one month's reconciliation of Visma with AvaTax, the close check and its actions, the
 * exports, the dry run and the backfill. Every action reads the month again afterwards, so what the accountant
 * sees is what the two systems say now.
 */

/**
 * The month before the company's `today` (YYYY-MM-DD, from main's status, in the company's time zone): on the
 * 1st, the month to close is the one that just ended, whatever UTC or the browser's clock says.
 */
export function previousMonth(today: string): string {
  return addMonths(today.slice(0, 7), -1);
}

/** The last `count` months up to the company's current one, newest first: the month picker's choices. */
export function recentMonths(today: string, count = 24): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(today.slice(0, 7), -i));
}

/** The bucket summary's figures: one definition (shared/month.ts), for the screen, the close report and the CLI. */
export { type BucketTotal, bucketTotals } from '../../../shared/month.js';

/**
 * A row's variance, as its two VAT columns show it: Visma − AvaTax, AvaTax's figure being the one that blocks
 * (what it records, or its own calculation when it records Visma's VAT). Undefined when a side is missing.
 */
export function rowVariance(d: ReconciledDocument): Minor | undefined {
  return d.visma && d.avatax ? d.variance.difference : undefined;
}

/** What keeps the month from closing: the documents of the blocking buckets, in the reconciliation's order. */
export function blockers(r: Reconciliation | undefined): ReconciledDocument[] {
  return r ? r.documents.filter((d) => BLOCKING_BUCKETS.includes(d.bucket)) : [];
}

/** The bucket to show first: the first blocking one with documents, else the matched ones. */
export function firstBucket(r: Reconciliation): Bucket {
  return BLOCKING_BUCKETS.find((b) => r.counts[b] > 0) ?? (r.counts.matched > 0 ? 'matched' : 'accepted');
}

/**
 * What the Backfill panel says of a backfill and offers (issue 14, item 12): whether it runs, in which month and how
 * far, the jobs it gives way to between its batches (running now, or waiting for its next boundary), and Pause while
 * it runs (it stops at the next boundary, its position kept), Resume once it is paused.
 */
export interface BackfillNow {
  running: boolean;
  month?: string;
  done: number;
  total: number;
  etaSeconds?: number;
  givingWay: JobKind[];
  offer?: 'pause' | 'resume';
}

export function backfillNow(
  view: BackfillView | null | undefined,
  progress: BackfillProgress | undefined,
  jobs: JobsNow | undefined,
): BackfillNow {
  const running = view?.running === true;
  const p = progress ?? view?.progress;
  const others = running && jobs ? [jobs.running, ...jobs.waiting] : [];
  return {
    running,
    month: p?.month,
    done: p?.done ?? view?.done ?? 0,
    total: p?.total ?? view?.total ?? 0,
    etaSeconds: p?.etaSeconds,
    givingWay: [...new Set(others.filter((k): k is JobKind => k !== undefined && k !== 'backfill'))],
    offer: running ? 'pause' : view?.status === 'paused' ? 'resume' : undefined,
  };
}

export type MonthExport =
  | { kind: 'reconciliation'; outcome: MonthFilesOutcome }
  | { kind: 'vat'; outcome: VatReportOutcome };

export interface DryRunForm {
  from: string;
  to: string;
  customer: string;
  unreleased: boolean;
}

interface MonthState {
  month: string;
  bucket: Bucket;
  reconciliation?: Reconciliation;
  loading: boolean;
  /** The action running now (close, reopen, export…), so its button says so and the others wait. */
  working?: string;
  error?: string;
  exported?: MonthExport;
  dryRun?: DryRunResult;
  dryRunning: boolean;
  dryRunError?: string;
  backfill?: BackfillView | null;
  backfillProgress?: BackfillProgress;
  backfillError?: string;
  setMonth(month: string): Promise<void>;
  setBucket(bucket: Bucket): void;
  load(): Promise<void>;
  close(note?: string): Promise<boolean | undefined>;
  reopen(reason: string): Promise<string | undefined>;
  exportReconciliation(): Promise<MonthFilesOutcome | undefined>;
  exportVatReport(): Promise<VatReportOutcome | undefined>;
  reprocess(reference: string): Promise<ReprocessOutcome | undefined>;
  accept(reference: string, reason: string): Promise<string | undefined>;
  adjust(reference: string, reason: string): Promise<string | undefined>;
  voidInAvaTax(code: string, reason: string): Promise<string | undefined>;
  acknowledge(): Promise<number>;
  /** The demo company only: release a document in its Visma, then reprocess it. */
  releaseInDemo(
    reference: string,
    kind: 'invoice' | 'credit-note' | 'debit-note',
  ): Promise<DemoReleaseOutcome | undefined>;
  runDryRun(form: DryRunForm): Promise<void>;
  loadBackfill(): Promise<void>;
  startBackfill(from: string, to: string, perMinute?: number): Promise<void>;
  pauseBackfill(): Promise<void>;
  resumeBackfill(perMinute?: number): Promise<void>;
  /** Follows the backfill main pushes; returns the unsubscribe. */
  listen(onEnded?: (backfill: BackfillView | null, error?: string) => void): () => void;
}

let loadSeq = 0;

export const useMonth = create<MonthState>((set, get) => {
  /** Runs one action, says it is running, keeps its error, and reads the month again when it changed anything. */
  async function act<T>(name: string, run: () => Promise<T>, reload = true): Promise<T | undefined> {
    set({ working: name, error: undefined });
    try {
      const result = await run();
      if (reload) await get().load();
      return result;
    } catch (error) {
      set({ error: (error as Error).message });
      return undefined;
    } finally {
      set({ working: undefined });
    }
  }
  /** An action whose error belongs in its reason dialog: the message, or nothing when it went through. */
  async function decided(name: string, run: () => Promise<string | undefined>): Promise<string | undefined> {
    set({ working: name });
    try {
      const problem = await run();
      if (!problem) await get().load();
      return problem;
    } catch (error) {
      return (error as Error).message;
    } finally {
      set({ working: undefined });
    }
  }
  /** The first refusal, said in the UI's language (the dialog shows it as it is). */
  const firstError = (rs: ReprocessOutcome[]) => {
    const error = rs.find((r) => r.error)?.error;
    return error ? sayReason(error, useUi.getState().locale) : undefined;
  };

  return {
    /** '' until the company's today is known: then the month that just ended. */
    month: '',
    bucket: 'differs',
    loading: false,
    dryRunning: false,
    async setMonth(month) {
      set({ month, reconciliation: undefined, exported: undefined, error: undefined });
      await get().load();
    },
    setBucket(bucket) {
      set({ bucket });
    },
    async load() {
      const seq = ++loadSeq;
      if (!get().month) set({ month: previousMonth(await companyToday()) });
      const month = get().month;
      set({ loading: true });
      try {
        const reconciliation = await getApi().reconcileMonth({ month });
        if (seq !== loadSeq) return;
        // Keep the bucket the user is in while it has documents; otherwise show what matters first.
        const kept = get().reconciliation?.month === month && reconciliation.counts[get().bucket] > 0;
        set({
          reconciliation,
          loading: false,
          error: undefined,
          bucket: kept ? get().bucket : firstBucket(reconciliation),
        });
      } catch (error) {
        if (seq === loadSeq) set({ loading: false, error: (error as Error).message });
      }
    },
    async close(note) {
      const result = await act('close', () => getApi().closeMonth({ month: get().month, note }), false);
      if (result) set({ reconciliation: result.reconciliation });
      return result?.closed;
    },
    reopen(reason) {
      return decided('reopen', async () => {
        await getApi().reopenMonth({ month: get().month, reason });
        return undefined;
      });
    },
    async exportReconciliation() {
      const outcome = await act(
        'export',
        () => getApi().exportReconciliation({ month: get().month, ...exportFormat() }),
        false,
      );
      if (outcome && !outcome.cancelled) set({ exported: { kind: 'reconciliation', outcome } });
      return outcome;
    },
    async exportVatReport() {
      const outcome = await act(
        'vat-report',
        () => getApi().exportVatReport({ month: get().month, ...exportFormat() }),
        false,
      );
      if (outcome && !outcome.cancelled) set({ exported: { kind: 'vat', outcome } });
      return outcome;
    },
    async reprocess(reference) {
      const results = await act(`reprocess:${reference}`, () =>
        getApi().reprocessDocuments({ references: [reference] }),
      );
      return results?.[0];
    },
    accept(reference, reason) {
      return decided(`accept:${reference}`, async () =>
        firstError(await getApi().acceptDocument({ reference, reason })),
      );
    },
    adjust(reference, reason) {
      return decided(`adjust:${reference}`, async () =>
        firstError(await getApi().adjustDocument({ reference, reason })),
      );
    },
    voidInAvaTax(code, reason) {
      return decided(`void:${code}`, async () => {
        const result: VoidOutcome = await getApi().voidInAvaTax({ code, reason });
        return result.error ? sayReason(result.error, useUi.getState().locale) : undefined;
      });
    },
    releaseInDemo(reference, kind) {
      return act(`release:${reference}`, () => getApi().releaseInDemo({ reference, kind }));
    },
    async acknowledge() {
      const result = await act('acknowledge', () => getApi().acknowledgeMonthChanges({ month: get().month }), false);
      return result?.acknowledged ?? 0;
    },
    async runDryRun(form) {
      set({ dryRunning: true, dryRunError: undefined });
      try {
        const range = form.from || form.to ? { from: form.from, to: form.to } : {};
        const dryRun = await getApi().dryRun({
          ...range,
          customer: form.customer.trim() || undefined,
          unreleased: form.unreleased || undefined,
        });
        set({ dryRun });
      } catch (error) {
        set({ dryRunError: (error as Error).message });
      } finally {
        set({ dryRunning: false });
      }
    },
    async loadBackfill() {
      try {
        const backfill = await getApi().getBackfill({});
        set({ backfill, backfillProgress: backfill?.progress ?? get().backfillProgress });
      } catch (error) {
        set({ backfillError: (error as Error).message });
      }
    },
    async startBackfill(from, to, perMinute) {
      set({ backfillError: undefined, backfillProgress: undefined });
      try {
        const backfill = await getApi().startBackfill({ from, to, perMinute });
        // The ended event may have come first (a short range): keep the newer word.
        if (get().backfill?.id !== backfill.id || get().backfill?.status === 'running') set({ backfill });
      } catch (error) {
        set({ backfillError: (error as Error).message });
      }
    },
    async pauseBackfill() {
      try {
        await getApi().pauseBackfill({});
      } catch (error) {
        set({ backfillError: (error as Error).message });
      }
    },
    async resumeBackfill(perMinute) {
      set({ backfillError: undefined });
      try {
        const backfill = await getApi().resumeBackfill({ perMinute });
        if (get().backfill?.status !== 'completed') set({ backfill });
      } catch (error) {
        set({ backfillError: (error as Error).message });
      }
    },
    listen(onEnded) {
      const api = getApi();
      const offs = [
        api.onBackfillProgress((backfillProgress) => {
          const current = get().backfill;
          set({
            backfillProgress,
            backfill: current ? { ...current, running: true, status: 'running', done: backfillProgress.done } : current,
          });
        }),
        api.onBackfillEnded(({ backfill, error }) => {
          set({ backfill, backfillError: error });
          onEnded?.(backfill, error);
        }),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
  };
});
