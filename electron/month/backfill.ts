import { emptyCounts, type RunCounts, SUMMARY_KEYS } from '../../shared/domain.js';
import { type BackfillProgress, MAX_BACKFILL_PER_MINUTE } from '../../shared/month.js';
import { day, type Reason, reason, reasons } from '../../shared/reasons.js';
import { VismaError } from '../connectors/visma/errors.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { RunContext } from '../engine/context.js';
import { ConfigurationError, describeFailure } from '../engine/errors.js';
import { processDocument } from '../engine/process-document.js';
import { audit } from '../engine/recorder.js';
import { wanted, withVatBook } from '../engine/sync-run.js';
import { documentKey } from '../engine/visma-document.js';
import { parseServerTime } from '../engine/watermark.js';
import { ledgerMonth } from '../store/ledger.js';
import type { BackfillRecord } from '../store/state-file.js';
import { compareOrderKeys, listSelection, orderKey } from './listing.js';
import type { DateRange } from './range.js';

/**
 * The backfill: older documents of a date range processed exactly as a sync processes them (the same decision
 * machine, so a backfilled document ends as a synced one would), one at a time at a steady pace, with progress and
 * the time left. What the ledger already holds unchanged is passed over by the decision itself, sending nothing
 * (and costing no wait). Its position is kept in `state.json` after every document the ledger holds, so a backfill
 * paused, or stopped with the app, goes on where it was; a pause lets the document in hand finish first.
 */
export type { BackfillRecord };

export const DEFAULT_PER_MINUTE = 60;
export const MAX_PER_MINUTE = MAX_BACKFILL_PER_MINUTE;

export type { BackfillProgress } from '../../shared/month.js';

/** Time for the pace: injectable, so tests run the clock instead of waiting. */
export interface Pacer {
  now(): number;
  /** Resolves after `ms`, or rejects when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface BackfillOptions {
  /** Documents per minute (default 60; a document the ledger already holds unchanged does not count). */
  perMinute?: number;
  /** Pauses: the document in hand is finished, the position kept, and the backfill ends as `paused`. */
  pause?: AbortSignal;
  onProgress?: (progress: BackfillProgress) => void;
  pacer?: Pacer;
  /** The job slot it runs in, when others may wait for it: they get their turn at its batch boundaries. */
  slot?: SlotTurns;
}

/**
 * Turns in the job slot (one job at a time). A backfill takes hours at its pace; a Sync now or a Reconcile asked
 * for meanwhile is run at its next batch boundary (the ledger checkpointed and the position saved, so a kill in
 * between loses nothing), and then it goes on from its position.
 */
export interface SlotTurns {
  /** Aborts once another job waits for the slot (a new signal after each turn given). */
  wanted(): AbortSignal;
  /** Lets the jobs waiting run; resolves once the slot is the backfill's again, true when any ran. */
  giveWay(): Promise<boolean>;
}

export type BackfillRequest = { range: DateRange } | { resume: true };

export class NothingToResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToResumeError';
  }
}

const realPacer: Pacer = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', stop, { once: true });
    }),
};

/** Quiet documents (nothing sent) between two saves of the position. */
const SAVE_EVERY_QUIET = 50;

export async function backfill(
  ctx: RunContext,
  request: BackfillRequest,
  options: BackfillOptions = {},
): Promise<BackfillRecord> {
  const { store } = ctx;
  const problem = perMinuteProblem(options.perMinute);
  if (problem) throw new RangeError(problem);
  const pacer = options.pacer ?? realPacer;
  const pause = options.pause ?? new AbortController().signal;
  const record = begin(ctx, request, options.perMinute);
  const resumed = record.done > 0 || record.cursor !== undefined;
  const before: RunCounts = { ...emptyCounts(), ...record.counts };
  const range = { from: day(record.from), to: day(record.to) };
  await store.state.saveBackfill(record);
  audit(ctx, {
    action: 'backfill',
    detail: resumed
      ? reason('backfill-resumed', { ...range, done: record.done, perMinute: record.perMinute })
      : reason('backfill-started', { ...range, perMinute: record.perMinute }),
    data: { from: record.from, to: record.to, perMinute: record.perMinute, done: record.done },
  });

  const interval = 60_000 / record.perMinute;
  const stopped = () => pause.aborted || (ctx.signal?.aborted ?? false);
  /** The position as of the last checkpoint that reached the disk: what is saved when one fails. */
  const durable = { cursor: record.cursor, done: record.done };
  try {
    await withVatBook(ctx);
    const listed = await listSelection(ctx.visma, { range: { from: record.from, to: record.to } }, ctx.signal);
    for (const r of listed.rejected)
      audit(ctx, {
        action: 'failed',
        referenceNumber: r.referenceNumber,
        detail: reason('backfill-unreadable', {
          kind: reasons([reason(`kind-${r.kind}`)]),
          reason: reasons([r.reason]),
        }),
      });
    const documents = listed.documents.filter((d) => wanted(d, ctx.settings, store));
    const cursor = record.cursor;
    const left: (VismaDocument | undefined)[] = documents.filter(
      (d) => cursor === undefined || compareOrderKeys(orderKey(d), cursor) > 0,
    );
    record.total = documents.length;
    record.done = documents.length - left.length;
    durable.done = record.done;
    // A year's listing is let go of document by document as it is done (below), not held to the end.
    listed.documents.length = 0;
    documents.length = 0;
    await store.state.saveBackfill(record);
    // What this session has seen: documents sent (each takes at least the pace's interval) and quiet ones.
    const seen = { sent: 0, sentMs: 0, quiet: 0, quietMs: 0 };
    let lastSent: number | undefined;
    let quietSinceSave = 0;
    /** A batch boundary: the ledger first, then the position, both on disk. */
    const save = async () => {
      quietSinceSave = 0;
      await store.checkpoint();
      Object.assign(durable, { cursor: record.cursor, done: record.done });
      await store.state.saveBackfill(record);
    };
    /** Whether another job ran since the listing: what it listed may be older than what the ledger holds now. */
    let othersRan = false;
    /**
     * The waiting jobs' turn, at a batch boundary: made one first when documents passed quietly since the last
     * save, so the ledger and the position on disk are where the backfill is whatever the next job does.
     */
    const giveWay = async () => {
      if (!options.slot?.wanted().aborted) return;
      if (quietSinceSave > 0 || durable.cursor !== record.cursor) await save();
      if (await options.slot.giveWay()) {
        othersRan = true;
        // An address fixed in the meantime is read again.
        ctx.customers.forgetAll();
        ctx.locations.forgetAll();
      }
    };
    const progress = (reference?: string, month?: string) => {
      const remaining = record.total - record.done;
      const n = seen.sent + seen.quiet;
      const perDoc =
        n === 0
          ? interval
          : (seen.sent / n) * Math.max(interval, seen.sentMs / Math.max(1, seen.sent)) +
            (seen.quiet / n) * (seen.quietMs / Math.max(1, seen.quiet));
      options.onProgress?.({
        done: record.done,
        total: record.total,
        etaSeconds: Math.ceil((remaining * perDoc) / 1000),
        reference,
        ...(month ? { month } : {}),
      });
    };
    /**
     * Waits until the pace allows the next document; a job asked for meanwhile has its turn (the wait goes on
     * after it, counted from the same start). False when paused or stopped while waiting.
     */
    const paced = async (until: number): Promise<boolean> => {
      for (let wait = until - pacer.now(); wait > 0; wait = until - pacer.now()) {
        const turn = options.slot?.wanted();
        try {
          await pacer.sleep(
            wait,
            AbortSignal.any([pause, ...(ctx.signal ? [ctx.signal] : []), ...(turn ? [turn] : [])]),
          );
        } catch {
          if (stopped() || !turn?.aborted) return false;
          await giveWay();
          if (stopped()) return false;
        }
      }
      return true;
    };
    progress(undefined, left[0] ? ledgerMonth({ documentDate: left[0].documentDate }) : undefined);
    let month: string | undefined;
    for (let i = 0; i < left.length; i++) {
      const doc = left[i]!;
      left[i] = undefined;
      if (stopped()) break;
      // Documents come in date order: a month passed is done with, and its ledger month need not stay in memory.
      const docMonth = ledgerMonth({ documentDate: doc.documentDate });
      if (month !== undefined && docMonth !== month) {
        await store.checkpoint();
        Object.assign(durable, { cursor: record.cursor, done: record.done });
        store.ledger.letGo(docMonth);
      }
      month = docMonth;
      await giveWay();
      if (stopped()) break;
      if (lastSent !== undefined && !(await paced(lastSent + interval))) break; // paused (or stopped) while waiting
      const latest = othersRan ? await asListedOrNewer(ctx, doc) : doc;
      const started = pacer.now();
      const skipped = ctx.counts.skipped;
      if (latest) await processDocument(ctx, latest, 'scheduled');
      else ctx.counts.skipped++; // gone from Visma meanwhile: passed over, as the sync that saw it go dealt with it
      const quiet = ctx.counts.skipped > skipped;
      const busy = pacer.now() - started;
      if (quiet) {
        seen.quiet++;
        seen.quietMs += busy;
      } else {
        seen.sent++;
        seen.sentMs += busy;
        lastSent = started;
      }
      record.cursor = orderKey(doc);
      record.done++;
      record.counts = sum(before, ctx.counts);
      if (!quiet || ++quietSinceSave >= SAVE_EVERY_QUIET) await save();
      progress(doc.referenceNumber, docMonth);
    }
    ctx.signal?.throwIfAborted();
    await store.checkpoint();
    if (pause.aborted && record.done < record.total) return await paused(ctx, record, before, durable);
    record.status = 'completed';
    record.finishedAt = ctx.now().toISOString();
    record.pausedAt = undefined;
    record.lastError = undefined;
    record.counts = sum(before, ctx.counts);
    await store.state.saveBackfill(record);
    audit(ctx, {
      action: 'backfill',
      detail: reason('backfill-finished', { ...range, summary: reasons([describe(record)]) }),
      data: { ...record.counts, done: record.done, total: record.total },
    });
    await store.checkpoint();
    return record;
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.kind === 'cancelled') return await paused(ctx, record, before, durable);
    await paused(ctx, record, before, durable, failure.message);
    if (failure.kind === 'auth') throw new ConfigurationError(failure.message);
    throw error;
  }
}

/**
 * The document as the backfill listed it, or as Visma has it now when another job recorded a later version in
 * the meantime (a sync between batches wrote its VAT back, say): the listing is never taken for newer than the
 * ledger. Undefined when Visma no longer has it (the sync that saw it go deals with it).
 */
async function asListedOrNewer(ctx: RunContext, doc: VismaDocument): Promise<VismaDocument | undefined> {
  const row = await ctx.store.ledger.get(documentKey(doc));
  if (!row?.vismaLastModified) return doc;
  if (parseServerTime(row.vismaLastModified) <= parseServerTime(doc.lastModifiedDateTime)) return doc;
  try {
    return (await ctx.visma.getDocument(doc.kind, doc.referenceNumber, ctx.signal)).document;
  } catch (error) {
    if (error instanceof VismaError && error.kind === 'not-found') return undefined;
    throw error;
  }
}

/** What is wrong with a pace, in words, or undefined for a good one (absent: the default or the saved one). */
export function perMinuteProblem(perMinute: number | undefined): string | undefined {
  if (perMinute === undefined) return undefined;
  if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > MAX_PER_MINUTE)
    return `--per-minute takes a whole number of documents a minute from 1 to ${MAX_PER_MINUTE}, not ${perMinute}`;
  return undefined;
}

/** Why there is no backfill to resume, or undefined when there is one (paused, or stopped with the app). */
export function nothingToResume(existing: BackfillRecord | undefined): string | undefined {
  if (!existing) return 'No backfill was started: start one with a range of dates';
  if (existing.status === 'completed')
    return `The backfill of ${existing.from} to ${existing.to} is finished: there is nothing to resume`;
  return undefined;
}

/** Which backfill runs now: the one asked to resume, the same range taken up again, or a new one. */
function begin(ctx: RunContext, request: BackfillRequest, perMinute: number | undefined): BackfillRecord {
  const existing = ctx.store.state.backfill;
  const pace = (fallback: number) => perMinute ?? fallback;
  if ('resume' in request) {
    const nothing = nothingToResume(existing);
    if (nothing || !existing) throw new NothingToResumeError(nothing ?? '');
    return { ...existing, status: 'running', perMinute: pace(existing.perMinute), pausedAt: undefined };
  }
  const { from, to } = request.range;
  // The same range again, not finished: it goes on where it was.
  if (existing && existing.status !== 'completed' && existing.from === from && existing.to === to)
    return { ...existing, status: 'running', perMinute: pace(existing.perMinute), pausedAt: undefined };
  // Another range (or the same one again after it finished) starts afresh: what the ledger holds is still passed
  // over, so nothing is sent twice.
  return {
    id: ctx.runId,
    from,
    to,
    perMinute: pace(DEFAULT_PER_MINUTE),
    status: 'running',
    startedAt: ctx.now().toISOString(),
    done: 0,
    total: 0,
    counts: { ...emptyCounts() },
  };
}

async function paused(
  ctx: RunContext,
  record: BackfillRecord,
  before: RunCounts,
  durable: Pick<BackfillRecord, 'cursor' | 'done'>,
  error?: string,
): Promise<BackfillRecord> {
  // The ledger first, then the position: never ahead of what is recorded. A checkpoint that fails (a full
  // disk) leaves the position where the last one that succeeded put it.
  const recorded = await ctx.store.checkpoint().then(
    () => true,
    () => false,
  );
  if (!recorded) Object.assign(record, durable);
  record.status = 'paused';
  record.pausedAt = ctx.now().toISOString();
  record.counts = sum(before, ctx.counts);
  record.lastError = error;
  audit(ctx, {
    action: 'backfill',
    detail: reason(error ? 'backfill-paused-error' : 'backfill-paused', {
      from: day(record.from),
      to: day(record.to),
      done: record.done,
      total: record.total,
      ...(error ? { error } : {}),
    }),
    data: { done: record.done, total: record.total },
  });
  await ctx.store.checkpoint().catch(() => undefined);
  await ctx.store.state.saveBackfill(record).catch(() => undefined);
  return record;
}

function sum(a: RunCounts, b: RunCounts): RunCounts {
  return Object.fromEntries(SUMMARY_KEYS.map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)])) as RunCounts;
}

/** A backfill's counts, as the trail and the command line say them. */
export function describe(r: BackfillRecord): Reason {
  const c = { ...emptyCounts(), ...r.counts };
  return reason('backfill-summary', {
    done: r.done,
    total: r.total,
    posted: c.posted,
    calculated: c.calculated,
    alreadyPosted: c.alreadyPosted,
    flagged: c.flagged,
    needsAttention: c.needsAttention,
    pendingRetry: c.pendingRetry,
    voided: c.voided,
    skipped: c.skipped,
  });
}
