import type { Actor, DocumentState, JobKind, RunProgress, RunSummary, ShipTo } from '../../shared/domain.js';
import type { JobsNow, VatLists } from '../../shared/ipc-channels.js';
import type { Reconciliation } from '../../shared/month.js';
import { asReason, type Reason, reason, reasons, type StoredReason } from '../../shared/reasons.js';
import type { Settings } from '../../shared/settings.js';
import { CancelledError } from '../connectors/http.js';
import type { Connectors } from '../connectors/index.js';
import { VismaError } from '../connectors/visma/errors.js';
import { DOCUMENT_KINDS, kindOf, type VismaDocumentKind } from '../connectors/visma/types.js';
import type { RunContext } from '../engine/context.js';
import { ConfigurationError, describeFailure } from '../engine/errors.js';
import type { Trigger } from '../engine/facts.js';
import { type CustomerFix, type FixResult, fixCustomer } from '../engine/fix-customer.js';
import { processDocument } from '../engine/process-document.js';
import { audit } from '../engine/recorder.js';
import { createContext, newRunId, runSync, withVatBook } from '../engine/sync-run.js';
import { VatBook } from '../engine/vat-book.js';
import { resolveIntents } from '../jobs/intents.js';
import { type RepairReport, repairMonth } from '../jobs/repair.js';
import {
  type BackfillOptions,
  type BackfillProgress,
  type BackfillRecord,
  type BackfillRequest,
  backfill,
  NothingToResumeError,
  nothingToResume,
  type SlotTurns,
} from '../month/backfill.js';
import { type DryRunOptions, type DryRunResult, type DryRunSelection, dryRun } from '../month/dry-run.js';
import {
  type CloseResult,
  closeMonth,
  type FilesTo,
  type MonthFiles,
  reconcileMonth,
  reconcileToFiles,
  reopenMonth,
  type VoidResult,
  vatReport,
  voidInAvaTax,
} from '../month/month-end.js';
import type { VatReport } from '../month/vat-report.js';
import type { WrittenFile } from '../report/month-end-csv.js';
import type { Store } from '../store/index.js';

export interface EngineDeps {
  /** Read at the start of every job: settings may change between jobs. */
  settings: () => Settings;
  /** Clients for one job; the run id labels their HTTP exchange log. */
  connectors: (runId: string) => Pick<Connectors, 'visma' | 'avatax'> & Partial<Pick<Connectors, 'pace'>>;
  store: Store;
  now?: () => Date;
  /** The person at this computer (the OS user): who a user's acceptance and run are recorded as done by. */
  person?: () => string;
}

export interface DocumentResult {
  referenceNumber: string;
  documentType?: VismaDocumentKind;
  state?: DocumentState;
  /** Why it was not done: a code (the CLI says it in English, the screens in theirs). */
  error?: Reason;
}

/**
 * The engine behind Sync now, the scheduler, the CLI and the user's actions. One job at a time in one slot:
 * a sync, a reprocess, an accept, an adjust or an address fix never run beside each other (they would decide on
 * the same documents twice), and every job has a cancel signal, so switching company or quitting stops all of
 * them. A second Sync now joins the running sync. A backfill (hours at its pace) gives way at its batch
 * boundaries, its position saved: the jobs waiting then run one after another, and the backfill goes on after
 * them. Jobs interleave with it; they never overlap.
 */
export class SyncEngine {
  private current?: { kind: JobKind; promise: Promise<unknown> };
  /** A sync waiting behind another job: a second trigger joins it rather than queue a third. */
  private waitingSync?: Promise<RunSummary>;
  /** Whether a job holds the slot (or it is being handed to the next one). */
  private held = false;
  /** Jobs waiting for the slot, first come first served; a backfill giving way waits here too. */
  private readonly waiting: { kind: JobKind; start: () => void }[] = [];
  /** Aborted once a job waits while the slot is held: the holder's cue to give way at a safe point. */
  private wanted = new AbortController();
  /** Every job asked for and not yet settled, for `idle`. */
  private readonly pending = new Set<Promise<unknown>>();
  /** The cancel signal of every job running or waiting, with its kind. */
  private readonly controllers = new Map<AbortController, JobKind>();
  private readonly listeners = new Set<(p: RunProgress) => void>();
  private lastProgress?: RunProgress;
  private lastBackfillProgress?: BackfillProgress;
  /** A backfill job is under way: holding the slot, or giving way to jobs between its batches. */
  private backfilling = false;
  private closed = false;
  private readonly now: () => Date;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get isRunning(): boolean {
    return this.current !== undefined;
  }

  get runningJob(): JobKind | undefined {
    return this.current?.kind;
  }

  /** Whether a backfill job is under way (holding the slot, or giving way between its batches). */
  get backfillRunning(): boolean {
    return this.backfilling;
  }

  /** The job holding the slot and those waiting for it, in the order they will run (a backfill giving way too). */
  get jobs(): JobsNow {
    return { ...(this.current ? { running: this.current.kind } : {}), waiting: this.waiting.map((w) => w.kind) };
  }

  get progress(): RunProgress | undefined {
    return this.current?.kind === 'sync' ? this.lastProgress : undefined;
  }

  onProgress(listener: (p: RunProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(actor: Actor): Promise<RunSummary> {
    if (this.current?.kind === 'sync') return this.current.promise as Promise<RunSummary>;
    if (this.waitingSync) return this.waitingSync;
    const sync = this.exclusive('sync', (signal) => {
      this.waitingSync = undefined;
      const runId = newRunId(this.now());
      return runSync(this.runDeps(runId), {
        runId,
        actor,
        signal,
        onProgress: (p) => {
          this.lastProgress = p;
          for (const l of this.listeners) l(p);
        },
      });
    });
    this.waitingSync = sync;
    sync
      .catch(() => undefined)
      .finally(() => {
        if (this.waitingSync === sync) this.waitingSync = undefined;
      });
    return sync;
  }

  /** Re-reads each document (and its customer) from Visma and processes it whatever the ledger says. */
  reprocess(references: string[], actor: Actor): Promise<DocumentResult[]> {
    return this.onDocuments('reprocess', references, actor, 'reprocess');
  }

  /** Accepts Visma's booked VAT as it is (a variance the user has looked at), with a reason: posted, audited. */
  accept(reference: string, reason: string, actor: Actor): Promise<DocumentResult[]> {
    return this.onDocuments('accept', [reference], actor, 'accept', reason, ['needs-attention']);
  }

  /** Adjusts the committed AvaTax document to the changed Visma document, with a reason, audited. */
  adjust(reference: string, reason: string, actor: Actor): Promise<DocumentResult[]> {
    return this.onDocuments('adjust', [reference], actor, 'adjust', reason, ['needs-attention', 'posted']);
  }

  /**
   * Corrects a customer's (or location's) ship-to address or VAT number in Visma, after checking it with the
   * same rules as the sync; then reprocesses that customer's flagged documents. Nothing is written when the
   * check fails: the problems come back for the form.
   */
  fixAddress(
    customerNumber: string,
    fix: CustomerFix,
    actor: Actor,
  ): Promise<FixResult & { documents: DocumentResult[] }> {
    return this.exclusive('fix-address', async (signal) => {
      const ctx = this.context(actor, signal);
      // A correction refused by the checks wrote nothing: it is not a run (the form says why).
      const refused = (r: FixResult) => (r.saved ? 'completed' : undefined);
      return this.recorded(
        ctx,
        'fix-address',
        async () => {
          const flagged = (await this.deps.store.ledger.byState('flagged')).filter(
            (d) => d.customerNumber === customerNumber,
          );
          // Said nothing about where: the ship-to the flagged documents take (their location, when they share one).
          const locations = new Set(flagged.map((d) => (d.shipToSource === 'location' ? d.locationId : undefined)));
          const where = fix.locationId ?? (locations.size === 1 ? [...locations][0] : undefined);
          const result = await fixCustomer(ctx, customerNumber, { ...fix, locationId: where });
          await this.deps.store.checkpoint();
          if (!result.saved) return { ...result, documents: [] };
          await withVatBook(ctx);
          const documents = await this.each(
            ctx,
            flagged.map((d) => d.referenceNumber),
            'reprocess',
          );
          return { ...result, documents };
        },
        refused,
      );
    });
  }

  /** The month's reconciliation, read now from both systems; nothing is changed or recorded. */
  reconcileMonth(month: string, actor: Actor): Promise<Reconciliation> {
    return this.exclusive('reconcile', (signal) => reconcileMonth(this.context(actor, signal), month));
  }

  /** The reconciliation written as CSV (audited). */
  exportReconciliation(month: string, actor: Actor, to: FilesTo): Promise<MonthFiles> {
    return this.exclusive('reconcile', (signal) => reconcileToFiles(this.context(actor, signal), month, to));
  }

  /** The VAT report of a month; its CSV files too when `to` is given (audited). */
  vatReport(month: string, actor: Actor, to?: FilesTo): Promise<{ report: VatReport; files: WrittenFile[] }> {
    return this.exclusive('reconcile', (signal) => vatReport(this.context(actor, signal), month, to));
  }

  /** Closes the month when it is clean (audited); otherwise returns what blocks it. */
  closeMonth(month: string, actor: Actor, by: string, note?: string): Promise<CloseResult> {
    return this.exclusive('close-month', async (signal) => {
      const ctx = this.context(actor, signal);
      return this.recorded(ctx, 'close-month', () => closeMonth(ctx, month, by, note));
    });
  }

  reopenMonth(month: string, actor: Actor, by: string, reason: string): Promise<void> {
    return this.exclusive('close-month', (signal) => reopenMonth(this.context(actor, signal), month, by, reason));
  }

  /** Voids an AvaTax document Visma no longer has (refused while Visma has it live), with a reason. */
  voidInAvaTax(code: string, reason: string, actor: Actor): Promise<VoidResult> {
    return this.exclusive('void', async (signal) => {
      const ctx = this.context(actor, signal);
      return this.recorded(ctx, 'void', () => voidInAvaTax(ctx, code, reason));
    });
  }

  /**
   * What AvaTax would calculate for a selection of documents, against the VAT Visma booked: nothing recorded in
   * AvaTax, nothing written to Visma or the ledger, one audit entry. In the job slot, so never beside a sync.
   */
  dryRun(selection: DryRunSelection, actor: Actor, options: DryRunOptions = {}): Promise<DryRunResult> {
    return this.exclusive('dry-run', (signal) => dryRun(this.context(actor, signal), selection, options));
  }

  /**
   * Processes a range of older documents as the sync would, at a steady pace, or resumes the paused one. In the job
   * slot (never beside a sync: jobs asked for meanwhile run at its next batch boundary, then it goes on) and in the
   * run history with its counts: `completed`, or `cancelled` when paused.
   */
  backfill(request: BackfillRequest, actor: Actor, options: BackfillOptions = {}): Promise<BackfillRecord> {
    if ('resume' in request) {
      const nothing = nothingToResume(this.deps.store.state.backfill);
      if (nothing) return Promise.reject(new NothingToResumeError(nothing));
    }
    return this.exclusive('backfill', (signal) => {
      const ctx = this.context(actor, signal);
      const onProgress = (p: BackfillProgress) => {
        this.lastBackfillProgress = p;
        options.onProgress?.(p);
      };
      const slot: SlotTurns = { wanted: () => this.wanted.signal, giveWay: () => this.giveWay() };
      this.backfilling = true;
      return this.recorded(
        ctx,
        'backfill',
        () => backfill(ctx, request, { ...options, onProgress, slot }),
        (r) => (r.status === 'completed' ? 'completed' : 'cancelled'),
      ).finally(() => {
        this.backfilling = false;
      });
    });
  }

  /**
   * Rebuilds a ledger month the store set aside (opened with `repairMonth`) from Visma and AvaTax, through the
   * sync's own decisions; says what it restored.
   */
  repair(month: string, actor: Actor): Promise<RepairReport> {
    return this.exclusive('repair', (signal) => {
      const ctx = this.context(actor, signal);
      return this.recorded(ctx, 'repair', () => repairMonth(ctx, month));
    });
  }

  /**
   * The backfill as the data folder keeps it, with its last progress while it runs (giving way to other jobs
   * between its batches included). One the folder says is running while no backfill job runs was stopped with the
   * app (or killed): it is paused, and resume goes on.
   */
  backfillStatus(): (BackfillRecord & { progress?: BackfillProgress }) | undefined {
    const record = this.deps.store.state.backfill;
    if (!record) return undefined;
    const running = this.backfilling;
    if (record.status === 'running' && !running) return { ...record, status: 'paused' };
    return running ? { ...record, progress: this.lastBackfillProgress } : record;
  }

  /** Visma's VAT categories, zones and VAT ids, for the mapping table: read now, nothing changed. */
  async vatLists(): Promise<VatLists> {
    const ctx = this.context('user', new AbortController().signal);
    const data = await ctx.visma.getVatData();
    const zonesOf = new Map<string, string[]>();
    for (const v of data.vats)
      for (const z of v.zones ?? []) if (z.id) zonesOf.set(z.id, [...(zonesOf.get(z.id) ?? []), v.vatId]);
    const book = new VatBook(data);
    return {
      categories: data.categories.map((c) => ({
        id: c.vatCategoryId,
        description: c.description ?? '',
        active: c.active !== false,
        vatIds: (c.vatCategoryLines ?? []).map((l) => l.vatId),
      })),
      zones: data.zones.map((z) => ({ id: z.id, description: z.description ?? '', vatIds: zonesOf.get(z.id) ?? [] })),
      vats: data.vats.map((v) => ({ id: v.vatId, description: v.description ?? '', rate: book.rateOf(v.vatId) })),
    };
  }

  /** Resolves once no job is running or waiting (whatever their outcome). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Cancels the running job and every waiting one; `spare` keeps one kind going (the Overview's Cancel spares a
   * backfill giving way between its batches: the backfill has its own Pause). True when any was cancelled.
   */
  cancel(options: { spare?: JobKind } = {}): boolean {
    let had = false;
    for (const [c, kind] of this.controllers)
      if (kind !== options.spare) {
        c.abort();
        had = true;
      }
    return had;
  }

  /** No more jobs: cancels what runs and waits for it to checkpoint (switching company, quitting). */
  async close(): Promise<void> {
    this.closed = true;
    this.cancel();
    await this.idle();
  }

  private onDocuments(
    kind: JobKind,
    references: string[],
    actor: Actor,
    trigger: Trigger,
    why?: string,
    allowed?: DocumentState[],
  ): Promise<DocumentResult[]> {
    return this.exclusive(kind, async (signal) => {
      const ctx = this.context(actor, signal);
      return this.recorded(ctx, kind, async () => {
        await withVatBook(ctx);
        try {
          return await this.each(ctx, references, trigger, why, allowed);
        } finally {
          await this.deps.store.checkpoint();
        }
      });
    });
  }

  private async each(
    ctx: RunContext,
    references: string[],
    trigger: Trigger,
    note?: string,
    allowed?: DocumentState[],
  ): Promise<DocumentResult[]> {
    const results: DocumentResult[] = [];
    for (const ref of references) {
      ctx.signal?.throwIfAborted();
      const known = await this.deps.store.ledger.findByReference(ref);
      if (allowed && !known.some((d) => allowed.includes(d.state))) {
        results.push({
          referenceNumber: ref,
          error: known[0]
            ? reason('document-not-waiting', { reference: ref, state: reasons([reason(`state-${known[0].state}`)]) })
            : reason('document-not-in-ledger', { reference: ref }),
        });
        continue;
      }
      const kinds: readonly VismaDocumentKind[] =
        known.length > 0 ? known.map((d) => kindOf(d.documentType)) : DOCUMENT_KINDS;
      let done = false;
      for (const kind of kinds) {
        try {
          const { document } = await ctx.visma.getDocument(kind, ref, ctx.signal);
          // Read again from Visma: the run history counts it, as a sync counts what it listed.
          ctx.counts.fetched++;
          ctx.customers.forget(document.customerNumber);
          audit(ctx, {
            action: trigger === 'accept' ? 'accepted' : trigger === 'adjust' ? 'adjusted' : 'reprocessed',
            documentKey: `${kind}:${ref}`,
            referenceNumber: ref,
            detail: reason(
              `requested-${trigger === 'accept' ? 'accept' : trigger === 'adjust' ? 'adjust' : 'reprocess'}${note ? '-why' : ''}`,
              {
                by: reasons([reason(`actor-${ctx.actor}`)]),
                ...(note ? { reason: note } : {}),
              },
            ),
          });
          const state = await processDocument(ctx, document, trigger, { reason: note });
          // An accept or an adjust that did not end the document's wait was refused (by AvaTax, or by what
          // Visma shows now): said, with the reason, never reported as done.
          const refused =
            (trigger === 'accept' || trigger === 'adjust') && state !== 'posted' && state !== 'calculated'
              ? refusal((await this.deps.store.ledger.get(`${kind}:${ref}`))?.reasons ?? [], state)
              : undefined;
          results.push({ referenceNumber: ref, documentType: kind, state, ...(refused ? { error: refused } : {}) });
          done = true;
          break;
        } catch (error) {
          if (error instanceof VismaError && error.kind === 'not-found') continue;
          const failure = describeFailure(error);
          if (failure.kind === 'auth') throw new ConfigurationError(failure.message);
          if (failure.kind === 'cancelled') throw error;
          results.push({ referenceNumber: ref, documentType: kind, error: failure.reason });
          done = true;
          break;
        }
      }
      if (!done) results.push({ referenceNumber: ref, error: reason('document-not-in-visma', { reference: ref }) });
    }
    return results;
  }

  /** A user's job goes into the run history beside the syncs, with its counts and how it ended. */
  private async recorded<T>(
    ctx: RunContext,
    kind: JobKind,
    work: () => Promise<T>,
    /** How it ended; undefined: it was no run at all (nothing was done), so it is not in the history. */
    outcomeOf: (result: T) => RunSummary['outcome'] | undefined = () => 'completed',
  ): Promise<T> {
    const startedAt = this.now().toISOString();
    const record = (outcome: RunSummary['outcome'], error?: string) =>
      this.deps.store.state
        .recordRun({
          runId: ctx.runId,
          kind,
          actor: ctx.actor,
          by: ctx.by,
          startedAt,
          finishedAt: this.now().toISOString(),
          outcome,
          ...ctx.counts,
          ...(error ? { error } : {}),
        })
        .catch(() => undefined);
    try {
      const result = await work();
      const outcome = outcomeOf(result);
      if (outcome) await record(outcome);
      return result;
    } catch (error) {
      const failure = describeFailure(error);
      await record(failure.kind === 'cancelled' ? 'cancelled' : 'failed', failure.message);
      throw error;
    }
  }

  private exclusive<T>(kind: JobKind, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new CancelledError());
    const controller = new AbortController();
    this.controllers.set(controller, kind);
    const job: Promise<T> = this.take(kind).then(async () => {
      try {
        if (controller.signal.aborted) throw new CancelledError();
        this.current = { kind, promise: job };
        // Before the first job after a start: what a killed process left announced is resolved and recorded.
        if (this.deps.store.intents.pending().length > 0)
          await resolveIntents(this.context('scheduler', controller.signal));
        return await work(controller.signal);
      } finally {
        this.current = undefined;
        this.controllers.delete(controller);
        this.handOver();
      }
    });
    this.pending.add(job);
    void job.then(
      () => this.pending.delete(job),
      () => this.pending.delete(job),
    );
    return job;
  }

  /** The slot for a job: at once when free, else once every job before it has had its turn. */
  private take(kind: JobKind): Promise<void> {
    if (!this.held) {
      this.held = true;
      this.wanted = new AbortController();
      return Promise.resolve();
    }
    return new Promise((start) => {
      this.waiting.push({ kind, start });
      this.wanted.abort();
    });
  }

  /** The slot goes to the first job waiting, or is free. */
  private handOver(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.held = false;
      return;
    }
    this.wanted = new AbortController();
    if (this.waiting.length > 0) this.wanted.abort();
    next.start();
  }

  /**
   * The running job (a backfill at a batch boundary, its position saved) lets every job waiting now run, and
   * waits behind them; true when any ran. The ledger is never written by two jobs at once: they take turns.
   */
  private async giveWay(): Promise<boolean> {
    const me = this.current;
    if (!me || this.waiting.length === 0) return false;
    const back = new Promise<void>((start) => this.waiting.push({ kind: me.kind, start }));
    this.current = undefined;
    this.handOver();
    await back;
    this.current = me;
    return true;
  }

  private context(actor: Actor, signal: AbortSignal): RunContext {
    const runId = newRunId(this.now());
    return createContext(this.runDeps(runId), runId, actor, signal);
  }

  private runDeps(runId: string) {
    return {
      settings: this.deps.settings(),
      connectors: this.deps.connectors(runId),
      store: this.deps.store,
      now: this.now,
      person: this.deps.person,
    };
  }
}

export type { CustomerFix, FixResult, ShipTo };

/** An accept or adjust that did not end the document's wait: the reasons its row gives, or the state it is in. */
function refusal(list: readonly StoredReason[], state: DocumentState): Reason {
  return list.length > 0
    ? reason('document-refused', { reasons: reasons(list.map(asReason)) })
    : reason('document-refused-state', { state: reasons([reason(`state-${state}`)]) });
}
