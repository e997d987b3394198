import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { type Actor, emptyCounts, type RunProgress, type RunSummary } from '../../shared/domain.js';
import { type Reason, reason, reasons } from '../../shared/reasons.js';
import { companyTimeZone, type Settings } from '../../shared/settings.js';
import type { Connectors } from '../connectors/index.js';
import { VismaError } from '../connectors/visma/errors.js';
import { DOCUMENT_KINDS, kindOf, type VismaDocument } from '../connectors/visma/types.js';
import type { Store } from '../store/index.js';
import { AddressChecker } from './address-check.js';
import { Breaker, UnreachableError } from './breaker.js';
import { authorOf, Cache, policyOf, type RunContext } from './context.js';
import { checkCalculated } from './deleted.js';
import { ConfigurationError, describeFailure } from './errors.js';
import { runPool } from './pool.js';
import { processDocument } from './process-document.js';
import { audit } from './recorder.js';
import { type KindListing, planRun } from './run-plan.js';
import { VatBook } from './vat-book.js';
import { checkMapping } from './vat-mapping.js';
import { documentKey, TEMPLATE } from './visma-document.js';
import { initialWatermark, listingEnd, overlapFor, parseServerTime, querySince } from './watermark.js';

export interface RunDeps {
  settings: Settings;
  connectors: Pick<Connectors, 'visma' | 'avatax'> & Partial<Pick<Connectors, 'pace'>>;
  store: Store;
  now: () => Date;
  /** The person at this computer, named for what a user does (acceptances, the run history). */
  person?: () => string;
}

export interface RunOptions {
  actor: Actor;
  /** Given by the caller when its clients log under the same id. */
  runId?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Documents done between two checkpoints (ledger and audit flushed to disk). */
  checkpointEvery?: number;
}

export function newRunId(now: Date): string {
  return `run-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
}

/** A context for one run or one user action; Visma's VAT data is read when `withVatBook` is asked. */
export function createContext(deps: RunDeps, runId: string, actor: Actor, signal?: AbortSignal): RunContext {
  const { visma, avatax } = deps.connectors;
  return {
    runId,
    actor,
    by: authorOf(actor, deps.person),
    settings: deps.settings,
    policy: policyOf(deps.settings),
    visma,
    avatax,
    store: deps.store,
    now: deps.now,
    signal,
    counts: emptyCounts(),
    customers: new Cache((number) => visma.getCustomer(number, signal)),
    locations: new Cache((key) => {
      const [customer, location] = key.split('\u0000');
      return visma.getLocation(customer!, location!, signal);
    }),
    addresses: new AddressChecker(avatax, signal, deps.settings.company.shipFrom.country),
    mapping: checkMapping(deps.settings.vatMapping, undefined),
    serverOffsets: [],
    breaker: new Breaker(),
  };
}

/**
 * Reads Visma's VAT categories, zones and VAT ids once, and checks the mapping rows against them. Visma not
 * answering these is not a reason to stop: the rows go unchecked and the run says so in the audit trail.
 */
export async function withVatBook(ctx: RunContext): Promise<void> {
  for (const detail of await readVatBook(ctx)) audit(ctx, { action: 'failed', detail });
}

/** The same, saying what went wrong instead of auditing it (a dry run reports it in its one entry). */
export async function readVatBook(ctx: RunContext): Promise<Reason[]> {
  const notes: Reason[] = [];
  try {
    ctx.book = new VatBook(await ctx.visma.getVatData(ctx.signal));
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.kind === 'auth' || failure.kind === 'cancelled') throw error;
    notes.push(reason('vat-book-unreadable', { error: reasons([failure.reason]) }));
  }
  ctx.mapping = checkMapping(ctx.settings.vatMapping, ctx.book);
  for (const row of ctx.mapping.filter((r) => r.refused))
    notes.push(reason('vat-mapping-row-refused', { row: row.index + 1, problem: reasons([row.refused!]) }));
  return notes;
}

/**
 * One sync run: list what changed since the watermark (minus an overlap), add what is waiting for a retry,
 * process each document in a bounded pool, checkpoint, and advance the watermark only past documents that are
 * durably recorded. Auth failures stop the run (ConfigurationError); a cancelled run keeps its watermark.
 */
export async function runSync(deps: RunDeps, options: RunOptions): Promise<RunSummary> {
  const startedAt = deps.now();
  const runId = options.runId ?? newRunId(startedAt);
  const internal = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, internal.signal]) : internal.signal;
  // Every request in flight (and every wait for a retry or a rate-limit slot) listens to this one signal: up to
  // a few per document in flight, more than Node's default of ten. That is by design, not a leak to warn about.
  setMaxListeners(Math.max(10, 4 * deps.settings.sync.concurrency + 16), signal);
  const ctx = createContext(deps, runId, options.actor, signal);
  const { store } = deps;
  const progress = (done: number, total: number, step: string) => options.onProgress?.({ runId, done, total, step });
  const summary = (outcome: RunSummary['outcome'], error?: string): RunSummary => ({
    runId,
    kind: 'sync',
    actor: options.actor,
    by: ctx.by,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
    outcome,
    ...ctx.counts,
    ...(error ? { error } : {}),
  });

  audit(ctx, {
    action: 'run-started',
    detail: reason('run-started', { by: reasons([reason(`actor-${options.actor}`)]) }),
  });
  progress(0, 0, 'Reading documents from Visma');
  const listings: KindListing[] = [];
  let finished: RunSummary;
  try {
    const overlap = overlapFor(store.state.serverOffsetMs);
    const documents: VismaDocument[] = [];
    const since = DOCUMENT_KINDS.map((kind) => {
      const watermark =
        store.state.watermark(kind) ??
        initialWatermark(deps.settings.sync.startFrom, startedAt, companyTimeZone(deps.settings));
      guardFutureWatermark(watermark, kind, startedAt, store.state.serverOffsetMs);
      return querySince(watermark, overlap);
    });
    // Visma's VAT data and every kind's listing are asked for at once, not one after another (each is a round
    // trip or more: 5 of them at 40 ms before the first document could be taken); their answers are taken in
    // this order, so the audit trail reads as before.
    const book = withVatBook(ctx);
    const pending = DOCUMENT_KINDS.map((kind, i) =>
      deps.connectors.visma.listModifiedSince(kind, since[i]!, { signal }),
    );
    for (const p of pending) p.catch(() => undefined);
    await book;
    for (const [i, kind] of DOCUMENT_KINDS.entries()) {
      const listed = await pending[i]!;
      for (const rejected of listed.rejected) {
        audit(ctx, {
          action: 'failed',
          referenceNumber: rejected.referenceNumber,
          detail: reason('run-document-unreadable', { reason: reasons([rejected.reason]) }),
        });
      }
      const { end, unproven } = listingEnd(listed);
      listings.push({ kind, end, unproven, rejected: listed.rejected.length, current: store.state.watermark(kind) });
      if (unproven) {
        audit(ctx, {
          action: 'fetched',
          detail: reason('run-watermark-held', { why: reasons([unproven]), kind: reasons([reason(`kind-${kind}`)]) }),
          data: { kind, listed: listed.documents.length },
        });
      }
      documents.push(...listed.documents.filter((d) => wanted(d, deps.settings, store)));
    }
    const listedKeys = new Set(documents.map(documentKey));
    const waitingKeys = store.ledger.keys((e) => e.state === 'pending-retry' || e.state === 'pending');
    // Calculated documents the listing did not bring: deleted in Visma, or (rarely) missed by it.
    const calculated = await checkCalculated(ctx, listedKeys);
    const plan = planRun({ listings, documents, waiting: waitingKeys, calculated, keyOf: documentKey });
    const { total } = plan.counts;
    ctx.counts.fetched = total;
    const { changed, waiting, deleted, readAgain } = plan.counts;
    audit(ctx, {
      action: 'fetched',
      detail: fetchedReason(changed, waiting, deleted, readAgain),
      data: { changed, waiting, deleted, readAgain },
    });

    let done = 0;
    const every = options.checkpointEvery ?? 50;
    const items = plan.items;
    // The pool lets go of each document once taken: a month's listing is not held whole until the run ends.
    documents.length = 0;
    progress(0, total, 'Calculating tax');
    await runPool(
      items,
      // The documents in flight follow the services' windows, up to the setting (without a pace: the setting).
      deps.connectors.pace ?? deps.settings.sync.concurrency,
      async (item) => {
        if ('retryKey' in item) await retry(ctx, item.retryKey);
        else if ('deletedRow' in item) {
          const previous = item.deletedRow;
          await processDocument(ctx, stub(previous), 'scheduled', { deleted: true, previous });
        } else await processDocument(ctx, item, 'scheduled');
        done++;
        progress(done, total, `${done} of ${total} documents`);
        if (done % every === 0) await store.checkpoint();
      },
      () => signal.aborted,
      true,
    );
    signal.throwIfAborted();
    await store.checkpoint();
    await learnClock(ctx);
    const { advance } = plan;
    if (Object.keys(advance).length > 0) {
      await store.state.advance(advance);
      audit(ctx, {
        action: 'watermark-advanced',
        detail: reason('run-watermark-advanced', {
          from: reasons(
            Object.entries(advance).map(([k, v]) =>
              reason('run-watermark-kind', { kind: reasons([reason(`kind-${k}`)]), at: v }),
            ),
          ),
          minutes: Math.round(overlapFor(store.state.serverOffsetMs) / 60_000),
        }),
      });
    }
    finished = summary('completed');
    audit(ctx, { action: 'run-finished', detail: describeCounts(finished), data: { ...ctx.counts } });
  } catch (error) {
    internal.abort();
    const failure = describeFailure(error);
    const cancelled = failure.kind === 'cancelled';
    finished = summary(cancelled ? 'cancelled' : 'failed', cancelled ? undefined : failure.message);
    if (error instanceof UnreachableError) finished.unreachable = { service: error.service, message: error.lastError };
    audit(ctx, {
      action: cancelled ? 'run-cancelled' : 'run-finished',
      detail: cancelled ? reason('run-cancelled') : reason('run-failed', { error: reasons([failure.reason]) }),
      data: { ...ctx.counts },
    });
    await store.checkpoint().catch(() => undefined);
    await store.state.recordRun(finished).catch(() => undefined);
    if (failure.kind === 'auth' || error instanceof ConfigurationError) throw new ConfigurationError(failure.message);
    // A service that does not answer ends the run with its summary: the next run tries the rest.
    if (!cancelled && !(error instanceof UnreachableError)) throw error;
    return finished;
  }
  await store.checkpoint();
  await store.state.recordRun(finished);
  progress(finished.fetched, finished.fetched, 'Done');
  return finished;
}

/**
 * Whether a run takes a listed document: one in a status chosen in Settings, a voided one, or one the ledger
 * knows, whatever its status (a calculated invoice released and paid between two runs still has to be committed).
 * Never a recurring-invoice template (`Scheduled`), whatever Settings say: it is not a sale.
 */
export function wanted(d: VismaDocument, settings: Settings, store: Pick<Store, 'ledger'>): boolean {
  if (d.status === TEMPLATE) return false;
  return (
    settings.sync.statuses.includes(d.status as never) ||
    d.status === 'Voided' ||
    store.ledger.entry(documentKey(d)) !== undefined
  );
}

/** A document waiting for a retry is read again from Visma; one Visma no longer has was deleted there. */
async function retry(ctx: RunContext, key: string): Promise<void> {
  const kind = kindOf(key);
  const reference = key.slice(key.indexOf(':') + 1);
  const previous = await ctx.store.ledger.get(key);
  try {
    const { document } = await ctx.visma.getDocument(kind, reference, ctx.signal);
    await processDocument(ctx, document, 'scheduled', { previous });
  } catch (error) {
    if (error instanceof VismaError && error.kind === 'not-found' && previous) {
      await processDocument(ctx, stub(previous), 'scheduled', { deleted: true, previous });
      return;
    }
    const failure = describeFailure(error);
    if (failure.kind === 'auth' || failure.kind === 'cancelled') throw error;
    ctx.counts.pendingRetry++;
    audit(ctx, {
      action: 'failed',
      documentKey: key,
      referenceNumber: reference,
      detail: reason('retry-read-failed', { error: reasons([failure.reason]) }),
      data: { code: failure.code },
    });
  }
}

/** What the ledger knows of a document Visma no longer has, in the shape the processing reads. */
export function stub(row: {
  documentType: string;
  referenceNumber: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  currency: string;
  vismaStatus: string;
  vismaTimeStamp: string;
  vismaLastModified: string;
}): VismaDocument {
  return {
    kind: kindOf(row.documentType),
    referenceNumber: row.referenceNumber,
    status: 'Deleted',
    customerNumber: row.customerNumber,
    customerName: row.customerName,
    documentDate: row.documentDate,
    currency: row.currency,
    amount: 0,
    vatTotal: 0,
    lines: [],
    lastModifiedDateTime: row.vismaLastModified,
    timeStamp: row.vismaTimeStamp,
  };
}

/**
 * Visma's lastModifiedDateTime has no zone and its clock is undocumented: our own writes tell how far it runs
 * from ours, and the watermark's overlap covers that (see watermark.ts).
 */
async function learnClock(ctx: RunContext): Promise<void> {
  if (ctx.serverOffsets.length === 0) return;
  const sorted = [...ctx.serverOffsets].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  await ctx.store.state.learnServerOffset(median);
}

/** A watermark far in the future syncs nothing, forever: stop and say so rather than run empty. */
function guardFutureWatermark(watermark: string, kind: string, now: Date, offsetMs: number | undefined): void {
  const limit = now.getTime() + Math.abs(offsetMs ?? 0) + 36 * 3_600_000;
  if (parseServerTime(watermark) > limit)
    throw new ConfigurationError(
      `state.json: the ${kind} watermark ${watermark} lies in the future, so no change would ever be read. Delete the watermarks from state.json (or the file) to read Visma again from the start date; the ledger keeps documents from being sent twice.`,
    );
}

/** What a run read: changed documents, retries, and calculated ones deleted in Visma or read again. */
function fetchedReason(changed: number, waiting: number, deleted: number, readAgain: number): Reason {
  const main = reason('run-fetched', { changed, waiting });
  const more = [
    ...(deleted > 0 ? [reason('run-fetched-deleted', { count: deleted })] : []),
    ...(readAgain > 0 ? [reason('run-fetched-read-again', { count: readAgain })] : []),
  ];
  return more.length > 0 ? reason('reasons', { reasons: reasons([main, ...more]) }) : main;
}

/** A run's counts as a reason: "12 documents: 8 posted, 1 calculated, …" in the reader's language. */
export function describeCounts(s: RunSummary): Reason {
  return reason('run-counts', {
    fetched: s.fetched,
    posted: s.posted,
    calculated: s.calculated,
    alreadyPosted: s.alreadyPosted,
    flagged: s.flagged,
    needsAttention: s.needsAttention,
    pendingRetry: s.pendingRetry,
    writtenBack: s.writtenBack,
    voided: s.voided,
    skipped: s.skipped,
  });
}
