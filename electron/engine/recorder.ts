import type { Acceptance, AuditAction, DocumentState, LedgerDocument } from '../../shared/domain.js';
import { type Minor, minorToDecimalString, toMinor } from '../../shared/money.js';
import type { MonthClosing } from '../../shared/month.js';
import { asReason, day, monthValue, reason, reasons, type StoredReason } from '../../shared/reasons.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { AuditInput } from '../store/audit.js';
import { asDataFolderError, type Store } from '../store/index.js';
import type { Intent, IntentKind } from '../store/intents.js';
import { derivedAcceptanceReason } from './acceptance.js';
import { UnreachableError } from './breaker.js';
import { totalVat } from './compare.js';
import type { RunContext } from './context.js';
import { ConfigurationError, describeFailure } from './errors.js';
import type { Facts, Outcome } from './facts.js';
import { documentKey, RELEASED } from './visma-document.js';

/**
 * The one writer of the audit trail (and, through `Recorder`, of the ledger): every entry of a job is written
 * here, with the job's run and actor. `npm run lint` refuses `audit.append` or `ledger.put` anywhere else outside
 * the store (scripts/lint/layers.ts).
 */
export function audit(ctx: RunContext, input: Omit<AuditInput, 'runId' | 'actor'>): void {
  ctx.store.audit.append({ runId: ctx.runId, actor: ctx.actor, ...input });
}

/** An entry outside a job's run: a settings change, an export, the demo's release (their own run ids). */
export function note(store: Store, input: AuditInput): void {
  store.audit.append(input);
}

/**
 * The one place where what happened to a document is recorded: the effects as they happen (audit entries), and
 * the outcome (the ledger row, its audit entry, the run's counts). A failure is recorded without ever throwing
 * again, so one document Visma sent wrong never stops the run.
 */
export class Recorder {
  /** Intents this processing announced: settled once its outcome is recorded (finish or failed). */
  private readonly announced: string[] = [];

  constructor(private readonly ctx: RunContext) {}

  /**
   * Before an effect on Visma or AvaTax: what is about to happen to the document, who asked and why, written
   * down durably (the store's intent log). A kill between the effect and its record leaves it open for the
   * next start to resolve (jobs/intents.ts).
   */
  async announce(f: Facts, kind: IntentKind, what: string): Promise<void> {
    this.announced.push(
      await this.ctx.store.intents.announce({
        at: this.ctx.now().toISOString(),
        kind,
        runId: this.ctx.runId,
        actor: this.ctx.actor,
        by: this.ctx.by,
        key: documentKey(f.raw),
        referenceNumber: f.raw.referenceNumber,
        code: f.doc?.code ?? f.previous?.avataxCode,
        what,
        ...(f.reason ? { why: f.reason } : {}),
        trigger: f.trigger,
      }),
    );
  }

  /** An effect that is not one document's processing (a void from month-end, a month's close). */
  async announceFor(intent: Pick<Intent, 'kind' | 'what'> & Partial<Intent>): Promise<void> {
    this.announced.push(
      await this.ctx.store.intents.announce({
        at: this.ctx.now().toISOString(),
        runId: this.ctx.runId,
        actor: this.ctx.actor,
        by: this.ctx.by,
        ...intent,
      }),
    );
  }

  /** The outcome of what was announced is recorded: its intents close at the next checkpoint. */
  recorded(outcome: string): void {
    this.settle(outcome);
  }

  /** The outcome is recorded (in the ledger and the trail): its intents close at the next checkpoint. */
  private settle(outcome: string): void {
    for (const id of this.announced.splice(0)) this.ctx.store.intents.settle(id, outcome);
  }

  effect(
    f: Facts,
    action: AuditAction,
    detail: StoredReason,
    data?: Record<string, string | number | boolean | null>,
  ): void {
    audit(this.ctx, { action, documentKey: documentKey(f.raw), referenceNumber: f.raw.referenceNumber, detail, data });
  }

  async finish(f: Facts, outcome: Outcome): Promise<DocumentState> {
    const { ctx } = this;
    ctx.breaker.succeeded();
    const prev = f.previous;
    if (outcome.count) ctx.counts[outcome.count]++;
    if (outcome.quiet && prev) {
      // Our own write seen again, or nothing new: no audit entry, and the ledger only learns Visma's new stamp.
      if (prev.vismaTimeStamp !== f.raw.timeStamp || prev.vismaStatus !== f.raw.status)
        await ctx.store.ledger.put({
          ...prev,
          vismaStatus: f.raw.status,
          vismaTimeStamp: f.raw.timeStamp,
          vismaLastModified: f.raw.lastModifiedDateTime,
        });
      this.settle(prev.state);
      return prev.state;
    }
    const row = ledgerRow(f, outcome, ctx);
    await ctx.store.ledger.put(row);
    this.closedMonthChanged(row, prev, outcome.detail);
    this.effect(f, outcome.action, outcome.detail, {
      state: row.state,
      currency: row.currency,
      bookedTax: money(row.bookedTax),
      calculatedTax: money(row.calculatedTax),
      recordedTax: money(row.recordedTax),
      avataxCode: row.avataxCode,
      vatIds: (row.booked ?? []).map((v) => v.vatId).join(' ') || null,
      // A person's acceptance, whole: a ledger month rebuilt from the services (repair) gets it back from here.
      ...(outcome.acceptance && row.acceptance ? acceptanceData(row.acceptance) : {}),
    });
    this.settle(row.state);
    return row.state;
  }

  /**
   * A document of a month the accountant closed changed afterwards: said loudly (its own audit entry, and kept
   * in the list the Overview and Month-end show until someone looks at it), never silently.
   */
  private closedMonthChanged(row: LedgerDocument, prev: LedgerDocument | undefined, detail: StoredReason): void {
    if (
      prev &&
      prev.state === row.state &&
      prev.fingerprint === row.fingerprint &&
      prev.recordedTax === row.recordedTax
    )
      return;
    this.noteClosedMonth(row.documentDate.slice(0, 7), row.key, row.referenceNumber, row.state, detail);
  }

  private noteClosedMonth(month: string, key: string, referenceNumber: string, state: string, detail: StoredReason) {
    const closing = this.ctx.store.state.closedMonth(month);
    if (!closing) return;
    const change = reason('closed-month-changed', {
      month: monthValue(month),
      at: day(closing.closedAt),
      by: closing.by,
      reference: referenceNumber,
      change: reasons([asReason(detail)]),
    });
    audit(this.ctx, {
      action: 'closed-month-changed',
      documentKey: key,
      referenceNumber,
      detail: change,
      data: { month, state },
    });
    this.ctx.store.state.noteClosedMonthChange({
      month,
      key,
      referenceNumber,
      at: this.ctx.now().toISOString(),
      detail: change,
    });
  }

  /**
   * Month-end voided an AvaTax document (one Visma deleted or never had): the ledger row, when there is one,
   * says so, a closed month it touches says it changed (AvaTax's month and the ledger's), and the trail says
   * who and why. Its announced intent closes with this record.
   */
  async voidedFromMonthEnd(v: {
    code: string;
    key?: string;
    referenceNumber: string;
    row?: LedgerDocument;
    avataxStatus: string;
    avataxMonth: string;
    detail: StoredReason;
    reason: StoredReason;
  }): Promise<void> {
    const { ctx } = this;
    const months = new Set([v.avataxMonth, ...(v.row ? [v.row.documentDate.slice(0, 7)] : [])]);
    for (const month of months) this.noteClosedMonth(month, v.key ?? v.code, v.referenceNumber, 'voided', v.detail);
    if (v.row)
      await ctx.store.ledger.put({
        ...v.row,
        state: 'voided',
        avataxStatus: v.avataxStatus,
        reasons: [v.reason],
        lastProcessedAt: ctx.now().toISOString(),
      });
    audit(ctx, {
      action: 'voided',
      documentKey: v.key,
      referenceNumber: v.referenceNumber,
      detail: v.detail,
      data: { avataxCode: v.code, state: 'voided' },
    });
    this.settle('voided');
  }

  /**
   * A month closed: its entry is written (and checkpointed) before state.json says closed, so a kill between
   * the two is finished at the next start (jobs/intents.ts); the announced intent closes with it.
   */
  async closed(
    closing: MonthClosing,
    entry: { detail: StoredReason; data: Record<string, string | number | boolean | null> },
  ): Promise<void> {
    audit(this.ctx, { action: 'month-closed', ...entry });
    await this.ctx.store.checkpoint();
    await this.ctx.store.state.closeMonth(closing);
    this.settle('closed');
  }

  /**
   * A follow-up decided for another document (decide.ts `correctionOf`): the invoice a credit note corrects is
   * settled by it. Called under the invoice's lock, with its row as it is now.
   */
  async corrected(invoice: LedgerDocument, acceptance: Acceptance): Promise<void> {
    const { ctx } = this;
    await ctx.store.ledger.put({
      ...invoice,
      state: 'posted',
      reasons: [],
      acceptance,
      lastProcessedAt: ctx.now().toISOString(),
    });
    audit(ctx, {
      action: 'accepted',
      documentKey: invoice.key,
      referenceNumber: invoice.referenceNumber,
      detail: derivedAcceptanceReason(acceptance)!,
      data: acceptanceData(acceptance),
    });
  }

  /** Auth and data-folder failures stop the run; cancellation ends it; anything else is this document's. */
  async failed(
    raw: VismaDocument,
    previous: LedgerDocument | undefined,
    error: unknown,
    /** What was known when it failed: a data error waits for these inputs (and this booked VAT) to change. */
    facts?: Facts,
  ): Promise<DocumentState> {
    const stop = asDataFolderError(error);
    if (stop !== error) throw stop;
    if ((error as Error)?.name === 'DataFolderError') throw error;
    const failure = describeFailure(error);
    if (failure.kind === 'auth') throw new ConfigurationError(failure.message);
    if (failure.kind === 'cancelled') throw error;
    if (error instanceof UnreachableError) throw error;
    const { ctx } = this;
    const state: DocumentState = failure.kind === 'retryable' ? 'pending-retry' : 'needs-attention';
    try {
      ctx.breaker.failed(error);
    } catch (open) {
      // Opened: this document is recorded as waiting like the others before the run stops.
      await this.failedRow(raw, previous, failure, state, facts);
      throw open;
    }
    return this.failedRow(raw, previous, failure, state, facts);
  }

  private async failedRow(
    raw: VismaDocument,
    previous: LedgerDocument | undefined,
    failure: ReturnType<typeof describeFailure>,
    state: DocumentState,
    facts: Facts | undefined,
  ): Promise<DocumentState> {
    const { ctx } = this;
    ctx.counts[state === 'pending-retry' ? 'pendingRetry' : 'needsAttention']++;
    const now = ctx.now().toISOString();
    let known: LedgerDocument = previous ?? blankRow(raw, now);
    try {
      if (facts) known = ledgerRow(facts, { state, reasons: [], action: 'failed', detail: '' }, ctx);
    } catch {
      // What the facts say could not be put in a row: the row keeps what the ledger knew.
    }
    const row: LedgerDocument = {
      ...known,
      // A retry must not look unchanged to the next run; a data error keeps its inputs and waits for a change.
      fingerprint: state === 'pending-retry' ? '' : (facts?.fingerprint ?? previous?.fingerprint ?? ''),
      state,
      reasons: [failure.reason],
      vismaStatus: raw.status,
      vismaTimeStamp: raw.timeStamp,
      vismaLastModified: raw.lastModifiedDateTime,
      attempts: (previous?.attempts ?? 0) + 1,
      lastError: { code: failure.code, message: failure.message, correlationId: failure.correlationId },
      lastProcessedAt: now,
    };
    await ctx.store.ledger.put(row);
    audit(ctx, {
      action: 'failed',
      documentKey: row.key,
      referenceNumber: raw.referenceNumber,
      detail: reason(state === 'pending-retry' ? 'failed-will-retry' : 'failed-needs-attention', {
        reason: reasons([failure.reason]),
      }),
      data: { code: failure.code, correlationId: failure.correlationId ?? null },
    });
    this.settle(state);
    return state;
  }
}

/** The ledger row for an outcome, from the facts (and what the ledger knew before, for what is not known now). */
export function ledgerRow(f: Facts, outcome: Outcome, ctx: Pick<RunContext, 'now'>): LedgerDocument {
  const now = ctx.now().toISOString();
  const { raw, doc, previous: prev, avatax: av } = f;
  const base = prev ?? blankRow(raw, now);
  const booked = doc?.booked;
  return {
    ...base,
    customerName: raw.customerName || base.customerName,
    documentDate: doc?.date ?? base.documentDate,
    currency: doc?.currency ?? base.currency,
    amount: doc?.amount ?? base.amount,
    netAmount: doc?.netAmount ?? base.netAmount,
    exchangeRate: doc?.exchangeRate ?? base.exchangeRate,
    state: outcome.state,
    reasons: outcome.reasons,
    fingerprint: f.fingerprint ?? base.fingerprint,
    vismaStatus: raw.status,
    vismaTimeStamp: raw.timeStamp,
    vismaLastModified: raw.lastModifiedDateTime,
    vatZoneId: doc?.vatZoneId ?? base.vatZoneId,
    avataxCode: doc?.code || base.avataxCode,
    avataxId: av?.id ?? base.avataxId,
    avataxStatus: av?.status ?? base.avataxStatus,
    avataxFingerprint: av ? (av.current ? f.fingerprint : av.fingerprint) : base.avataxFingerprint,
    country: f.shipTo?.address?.country ?? base.country,
    shipTo: f.shipTo?.address ?? base.shipTo,
    shipToSource: f.shipTo?.source ?? base.shipToSource,
    locationId: f.shipTo?.locationId ?? doc?.locationId ?? base.locationId,
    vatNumber: f.inputs?.vatNumber ?? f.shipTo?.vatNumber ?? base.vatNumber,
    suggestedAddress: outcome.state === 'flagged' ? f.address?.suggestion : undefined,
    lines: av && av.mapped.lines.length > 0 ? av.mapped.lines : base.lines,
    booked: booked ?? base.booked,
    bookedTax: booked ? totalVat(booked) : base.bookedTax,
    calculated: av && av.mapped.lines.length > 0 ? av.mapped.calculated : base.calculated,
    calculatedTax: av && av.mapped.lines.length > 0 ? av.mapped.calculatedTax : base.calculatedTax,
    recordedTax: av ? (av.status === 'Cancelled' ? 0 : av.mapped.recordedTax) : base.recordedTax,
    acceptance: outcome.acceptance
      ? { ...outcome.acceptance, at: outcome.acceptance.at || now }
      : outcome.state === 'posted' || outcome.state === 'calculated'
        ? base.acceptance
        : undefined,
    writtenBack: f.wrote > 0 || base.writtenBack,
    seenReleased: base.seenReleased ?? (prev ? undefined : RELEASED.has(raw.status)),
    attempts: base.attempts + 1,
    lastError: undefined,
    lastProcessedAt: now,
  };
}

/** What the ledger can say of a document it never saw, from Visma's raw fields alone (never throws). */
function blankRow(raw: VismaDocument, now: string): LedgerDocument {
  const sign = raw.kind === 'credit-note' ? -1 : 1;
  let amount = 0;
  try {
    amount = sign * toMinor(raw.amount);
  } catch {
    amount = 0;
  }
  return {
    key: documentKey(raw),
    documentType: raw.kind,
    referenceNumber: raw.referenceNumber,
    customerNumber: raw.customerNumber,
    customerName: raw.customerName,
    documentDate: /^\d{4}-\d{2}-\d{2}/.exec(raw.documentDate)?.[0] ?? 'undated',
    currency: raw.currency,
    amount,
    state: 'pending',
    reasons: [],
    fingerprint: '',
    vismaStatus: raw.status,
    vismaTimeStamp: raw.timeStamp,
    vismaLastModified: raw.lastModifiedDateTime,
    avataxCode: '',
    country: '',
    lines: [],
    writtenBack: false,
    attempts: 0,
    firstProcessedAt: now,
    lastProcessedAt: now,
  };
}

/** An acceptance in the audit trail's data: who, when, why, and for which inputs and booked VAT. */
function acceptanceData(a: NonNullable<LedgerDocument['acceptance']>): Record<string, string | number> {
  return {
    acceptanceReason: a.reason,
    acceptedBy: a.by,
    acceptedAt: a.at,
    acceptanceFingerprint: a.fingerprint,
    acceptedBookedTax: a.bookedTax,
    acceptedCalculatedTax: a.calculatedTax,
    // Where an acceptance no person made came from (acceptance.ts), so a repaired month still says so.
    ...(a.origin ? { acceptanceOrigin: JSON.stringify(a.origin) } : {}),
  };
}

function money(m: Minor | undefined): string | null {
  return m === undefined ? null : minorToDecimalString(m);
}
