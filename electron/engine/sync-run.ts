import { randomBytes } from 'node:crypto';
import { type Actor, emptyCounts, type RunProgress, type RunSummary } from '../../shared/domain.js';
import type { Settings } from '../../shared/settings.js';
import type { Connectors } from '../connectors/index.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';
import type { Store } from '../store/index.js';
import { AddressChecker } from './address-check.js';
import { audit, CustomerCache, type RunContext } from './context.js';
import { DocumentProcessor } from './document-processor.js';
import { ConfigurationError, describeFailure } from './errors.js';
import { runPool } from './pool.js';
import { documentKey } from './tax-inputs.js';
import { initialWatermark, laterOf, parseServerTime, querySince } from './watermark.js';

export interface RunDeps {
  settings: Settings;
  connectors: Pick<Connectors, 'visma' | 'avatax'>;
  store: Store;
  now: () => Date;
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

const KINDS: VismaDocumentKind[] = ['invoice', 'credit-note'];

export function newRunId(now: Date): string {
  return `run-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
}

export function createContext(deps: RunDeps, runId: string, actor: Actor, signal?: AbortSignal): RunContext {
  return {
    runId,
    actor,
    settings: deps.settings,
    visma: deps.connectors.visma,
    avatax: deps.connectors.avatax,
    store: deps.store,
    now: deps.now,
    signal,
    counts: emptyCounts(),
    customers: new CustomerCache(deps.connectors.visma, signal),
    addresses: new AddressChecker(deps.connectors.avatax, signal),
  };
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
  const ctx = createContext(deps, runId, options.actor, signal);
  const { store } = deps;
  const progress = (done: number, total: number, step: string) => options.onProgress?.({ runId, done, total, step });
  const summary = (outcome: RunSummary['outcome'], error?: string): RunSummary => ({
    runId,
    actor: options.actor,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
    outcome,
    ...ctx.counts,
    ...(error ? { error } : {}),
  });

  await audit(ctx, { action: 'run-started', detail: `Sync started by ${options.actor}` });
  progress(0, 0, 'Reading documents from Visma');
  const ends: Partial<Record<VismaDocumentKind, string>> = {};
  const blocked = new Set<VismaDocumentKind>();
  let finished: RunSummary;
  try {
    const documents: VismaDocument[] = [];
    for (const kind of KINDS) {
      const watermark = store.state.watermark(kind) ?? initialWatermark(deps.settings.sync.startFrom, startedAt);
      const listed = await deps.connectors.visma.listModifiedSince(kind, querySince(watermark), { signal });
      for (const rejected of listed.rejected) {
        blocked.add(kind);
        await audit(ctx, {
          action: 'failed',
          referenceNumber: rejected.referenceNumber,
          detail: `Visma sent a document we cannot read; the watermark stays until it is fixed: ${rejected.reason}`,
        });
      }
      for (const doc of listed.documents) ends[kind] = laterOf(ends[kind], doc.lastModifiedDateTime);
      documents.push(...listed.documents.filter((d) => deps.settings.sync.statuses.includes(d.status as never)));
    }
    const listedKeys = new Set(documents.map(documentKey));
    const waiting = (await store.ledger.byState('pending-retry', 'pending')).filter((d) => !listedKeys.has(d.key));
    const total = documents.length + waiting.length;
    ctx.counts.fetched = total;
    await audit(ctx, {
      action: 'fetched',
      detail: `${documents.length} changed documents from Visma, ${waiting.length} waiting for a retry`,
      data: { changed: documents.length, waiting: waiting.length },
    });

    const processor = new DocumentProcessor(ctx);
    let done = 0;
    const every = options.checkpointEvery ?? 20;
    const items: (VismaDocument | { retryKey: string })[] = [
      ...documents,
      ...waiting.map((w) => ({ retryKey: w.key })),
    ];
    progress(0, total, 'Calculating tax');
    await runPool(
      items,
      deps.settings.sync.concurrency,
      async (item) => {
        const doc = 'retryKey' in item ? await refetch(ctx, item.retryKey) : item;
        if (doc) await processor.process(doc);
        done++;
        progress(done, total, `${done} of ${total} documents`);
        if (done % every === 0) await store.checkpoint();
      },
      () => signal.aborted,
    );
    signal.throwIfAborted();
    await store.checkpoint();
    const advance: Partial<Record<VismaDocumentKind, string>> = {};
    for (const kind of KINDS) {
      const end = ends[kind];
      const current = store.state.watermark(kind);
      if (end && !blocked.has(kind) && (!current || parseServerTime(end) > parseServerTime(current)))
        advance[kind] = end;
    }
    if (Object.keys(advance).length > 0) {
      await store.state.advance(advance);
      await audit(ctx, {
        action: 'watermark-advanced',
        detail: `Next run reads changes from ${Object.entries(advance)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} (minus 5 minutes)`,
      });
    }
    finished = summary('completed');
    await audit(ctx, { action: 'run-finished', detail: describeCounts(finished), data: { ...ctx.counts } });
  } catch (error) {
    internal.abort();
    const failure = describeFailure(error);
    finished = summary(
      failure.kind === 'cancelled' ? 'cancelled' : 'failed',
      failure.kind === 'cancelled' ? undefined : failure.message,
    );
    await audit(ctx, {
      action: failure.kind === 'cancelled' ? 'run-cancelled' : 'run-finished',
      detail:
        failure.kind === 'cancelled'
          ? 'Cancelled by the user; the next run continues from the same watermark'
          : `Run failed: ${failure.message}`,
      data: { ...ctx.counts },
    });
    await store.checkpoint();
    await store.state.recordRun(finished);
    if (failure.kind === 'auth' || error instanceof ConfigurationError) throw new ConfigurationError(failure.message);
    if (failure.kind !== 'cancelled') throw error;
    return finished;
  }
  await store.checkpoint();
  await store.state.recordRun(finished);
  progress(finished.fetched, finished.fetched, 'Done');
  return finished;
}

async function refetch(ctx: RunContext, key: string): Promise<VismaDocument | undefined> {
  const [kind, ...rest] = key.split(':');
  try {
    return (await ctx.visma.getDocument(kind as VismaDocumentKind, rest.join(':'), ctx.signal)).document;
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.kind === 'auth' || failure.kind === 'cancelled') throw error;
    ctx.counts.pendingRetry++;
    await audit(ctx, {
      action: 'failed',
      documentKey: key,
      detail: `Could not read it from Visma again: ${failure.message}`,
      data: { code: failure.code },
    });
    return undefined;
  }
}

export function describeCounts(s: RunSummary): string {
  return `${s.fetched} documents: ${s.posted} posted, ${s.calculated} calculated, ${s.alreadyPosted} already posted, ${s.flagged} flagged, ${s.needsAttention} need attention, ${s.pendingRetry} to retry, ${s.writtenBack} written back, ${s.skipped} unchanged`;
}
