import { localMonth } from '../../shared/dates.js';
import { parseDocumentCode } from '../../shared/document-code.js';
import { minorToDecimalString } from '../../shared/money.js';
import {
  BLOCKING_BUCKETS,
  type MonthClosing,
  monthOf,
  monthRange,
  type Reconciliation,
  reasonProblem,
} from '../../shared/month.js';
import { day, money, monthValue, type Reason, reason as reasonOf, reasons } from '../../shared/reasons.js';
import { companyTimeZone } from '../../shared/settings.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import type { TransactionType } from '../connectors/avatax/types.js';
import { VismaError } from '../connectors/visma/errors.js';
import type { RunContext } from '../engine/context.js';
import { RefusedError } from '../engine/errors.js';
import { documentLock } from '../engine/keyed-lock.js';
import { audit, Recorder } from '../engine/recorder.js';
import { withVatBook } from '../engine/sync-run.js';
import type { Delimiter } from '../report/csv.js';
import { type WrittenFile, writeReconciliation, writeVatReport } from '../report/month-end-csv.js';
import { listSelection, MONTH_KINDS } from './listing.js';
import { avataxTypeOf, type MonthSources, readMonth } from './read-month.js';
import { reconcile } from './reconcile.js';
import { buildVatReport, type VatReport } from './vat-report.js';

/**
 * Month-end against the live systems: reconcile a month, close it when it is clean, reopen it with a reason,
 * and void in AvaTax what Visma no longer has. Each writes its audit entry; the decisions are in reconcile.ts
 * and classify.ts.
 */

export function sourcesOf(ctx: RunContext): MonthSources {
  return {
    listVisma: (range, signal) => listSelection(ctx.visma, { range }, signal, MONTH_KINDS),
    getVisma: async (kind, ref, signal) => {
      try {
        return (await ctx.visma.getDocument(kind, ref, signal)).document;
      } catch (error) {
        if (error instanceof VismaError && error.kind === 'not-found') return undefined;
        throw error;
      }
    },
    listAvaTax: (from, to, signal) => ctx.avatax.listTransactionPages(from, to, signal),
    avataxCompanyId: (signal) => ctx.avatax.companyId(signal),
    getAvaTax: async (code, type, signal) => {
      try {
        return await ctx.avatax.getTransaction(code, type, signal);
      } catch (error) {
        if (error instanceof AvaTaxError && error.kind === 'not-found') return undefined;
        throw error;
      }
    },
  };
}

/** Where month-end files go, when they are asked for. */
export interface FilesTo {
  dir: string;
  delimiter: Delimiter;
  /** The language the files' words are in (the screens' at export time); absent: the saved or computer's. */
  locale?: string;
}

export interface MonthFiles {
  reconciliation: Reconciliation;
  files: WrittenFile[];
}

/** The reconciliation, and its two CSV files when asked (audited: who took what out of the app, when). */
export async function reconcileToFiles(ctx: RunContext, month: string, to?: FilesTo): Promise<MonthFiles> {
  const reconciliation = await reconcileMonth(ctx, month);
  if (!to) return { reconciliation, files: [] };
  const files = writeReconciliation(reconciliation, to.dir, to.delimiter, ctx.settings.ui.locale);
  audit(ctx, {
    action: 'exported',
    detail: reasonOf(reconciliation.clean ? 'month-reconciliation-exported-clean' : 'month-reconciliation-exported', {
      month: monthValue(month),
      counts: describe(reconciliation),
    }),
    data: { month, ...reconciliation.counts, clean: reconciliation.clean },
  });
  await ctx.store.checkpoint();
  return { reconciliation, files };
}

/** The VAT report the return is filed from, with its CSV files when asked (audited). */
export async function vatReport(
  ctx: RunContext,
  month: string,
  to?: FilesTo,
): Promise<{ report: VatReport; files: WrittenFile[] }> {
  const reconciliation = await reconcileMonth(ctx, month);
  const report = buildVatReport(reconciliation, ctx.settings.company.shipFrom.country, ctx.book);
  if (!to) return { report, files: [] };
  const files = writeVatReport(report, to.dir, to.delimiter, ctx.settings.ui.locale);
  audit(ctx, {
    action: 'exported',
    detail: vatReportExported(month, report),
    data: { month, clean: report.clean },
  });
  await ctx.store.checkpoint();
  return { report, files };
}

export async function reconcileMonth(
  ctx: RunContext,
  month: string,
  sources = sourcesOf(ctx),
): Promise<Reconciliation> {
  monthRange(month);
  await withVatBook(ctx);
  const read = await readMonth({
    month,
    sources,
    ledger: (key) => ctx.store.ledger.get(key),
    ledgerOfMonth: await ctx.store.ledger.inMonth(month),
    signal: ctx.signal,
    concurrency: ctx.settings.sync.concurrency,
  });
  return reconcile({
    ...read,
    mapping: ctx.mapping,
    tolerance: ctx.settings.sync.tolerance,
    baseCurrency: ctx.settings.company.baseCurrency,
    homeCountry: ctx.settings.company.shipFrom.country,
    now: ctx.now(),
    closed: ctx.store.state.closedMonth(month),
  });
}

export interface CloseResult {
  closed: boolean;
  reconciliation: Reconciliation;
  closing?: MonthClosing;
}

/**
 * Why a month cannot be closed whatever its documents say: it has not ended yet (a month still running, or one
 * in the future, would close before its documents are in), or it is closed already (closing again would clear its
 * "changed since close" list and who closed it: reopen it first).
 */
export function closeRefusal(ctx: Pick<RunContext, 'now' | 'store' | 'settings'>, month: string): Reason | undefined {
  monthRange(month);
  // The company's month (its time zone): at 00:30 on 1 December in Stockholm, November has ended.
  const current = localMonth(ctx.now(), companyTimeZone(ctx.settings));
  if (month >= current) return reasonOf('month-not-ended', { month: monthValue(month), current: monthValue(current) });
  const closing = ctx.store.state.closedMonth(month);
  if (closing)
    return reasonOf('month-already-closed', { month: monthValue(month), at: day(closing.closedAt), by: closing.by });
  return undefined;
}

/** Closes the month when the close check finds it complete with nothing blocking it; otherwise says what blocks it. */
export async function closeMonth(
  ctx: RunContext,
  month: string,
  by: string,
  note?: string,
  sources = sourcesOf(ctx),
): Promise<CloseResult> {
  const refused = closeRefusal(ctx, month);
  if (refused) throw new RefusedError(refused);
  if (note !== undefined && note.trim() !== '') {
    const problem = reasonProblem(note);
    if (problem) throw new RefusedError(reasonOf('month-close-note-refused', { problem: reasons([problem]) }));
  }
  const reconciliation = await reconcileMonth(ctx, month, sources);
  const blocking = reconciliation.documents.filter((d) => BLOCKING_BUCKETS.includes(d.bucket));
  if (!reconciliation.clean) {
    audit(ctx, {
      action: 'reconciled',
      detail: reasonOf(reconciliation.incomplete.length > 0 ? 'month-cannot-close-incomplete' : 'month-cannot-close', {
        month: monthValue(month),
        count: blocking.length,
        counts: describe(reconciliation),
        ...(reconciliation.incomplete.length > 0 ? { incomplete: reasons(reconciliation.incomplete) } : {}),
      }),
      data: { month, ...reconciliation.counts, clean: false, incomplete: reconciliation.incomplete.length },
    });
    await ctx.store.checkpoint();
    return { closed: false, reconciliation };
  }
  const vr = reconciliation.vatReturn;
  const closing: MonthClosing = {
    month,
    closedAt: ctx.now().toISOString(),
    by,
    counts: reconciliation.counts,
    vatBase: reconciliation.vatBase.visma,
    domesticVat: vr.domestic.vat,
    ossVat: vr.oss.vat,
    ...(note?.trim() ? { note: note.trim() } : {}),
  };
  const base = reconciliation.baseCurrency ?? '';
  // Written down first: a kill between the audit entry and state.json is finished at the next start.
  const rec = new Recorder(ctx);
  await rec.announceFor({ kind: 'close', month, what: `${month} closes`, why: closing.note, data: { closing } });
  await rec.closed(closing, {
    detail: reasonOf(closing.note ? 'month-closed-note' : 'month-closed', {
      month: monthValue(month),
      by,
      counts: describe(reconciliation),
      domesticVat: money(vr.domestic.vat, base),
      ossVat: money(vr.oss.vat, base),
      ...(closing.note ? { note: closing.note } : {}),
    }),
    data: {
      month,
      ...reconciliation.counts,
      vatBase: minorToDecimalString(closing.vatBase),
      domesticVat: minorToDecimalString(vr.domestic.vat),
      ossVat: minorToDecimalString(vr.oss.vat),
    },
  });
  await ctx.store.checkpoint();
  return { closed: true, reconciliation: { ...reconciliation, closed: closing }, closing };
}

export async function reopenMonth(ctx: RunContext, month: string, by: string, reason: string): Promise<void> {
  monthRange(month);
  const problem = reasonProblem(reason);
  if (problem) throw new RefusedError(reasonOf('month-reopen-reason-refused', { problem: reasons([problem]) }));
  const closing = ctx.store.state.closedMonth(month);
  if (!closing) throw new RefusedError(reasonOf('month-not-closed', { month: monthValue(month) }));
  audit(ctx, {
    action: 'month-reopened',
    detail: reasonOf('month-reopened', {
      month: monthValue(month),
      at: day(closing.closedAt),
      closedBy: closing.by,
      by,
      reason: reason.trim(),
    }),
    data: { month },
  });
  await ctx.store.checkpoint();
  await ctx.store.state.reopenMonth(month);
}

export interface VoidResult {
  code: string;
  status?: string;
  error?: Reason;
}

/**
 * Voids an AvaTax document the month's reconciliation found only in AvaTax, with a reason. Refused while Visma
 * still has the document live (reprocess it instead): a void must never unreport a sale Visma booked.
 */
export async function voidInAvaTax(
  ctx: RunContext,
  code: string,
  reason: string,
  sources = sourcesOf(ctx),
): Promise<VoidResult> {
  const problem = reasonProblem(reason);
  if (problem) return { code, error: reasonOf('month-void-reason-refused', { problem: reasons([problem]) }) };
  const parsed = parseDocumentCode(code);
  const type: TransactionType = parsed ? avataxTypeOf(parsed.type) : 'SalesInvoice';
  if (parsed) {
    const live = await sources.getVisma(parsed.type, parsed.referenceNumber, ctx.signal);
    if (live && live.status !== 'Voided')
      return {
        code,
        error: reasonOf('month-void-visma-live', { reference: parsed.referenceNumber, status: live.status }),
      };
  }
  const deleted = parsed !== undefined;
  const rec = new Recorder(ctx);
  await rec.announceFor({
    kind: 'void',
    code,
    ...(parsed ? { key: `${parsed.type}:${parsed.referenceNumber}`, referenceNumber: parsed.referenceNumber } : {}),
    what: `AvaTax voids ${code} (${deleted ? 'DocDeleted' : 'DocVoided'}) from Month-end`,
    why: reason.trim(),
  });
  const tx = await ctx.avatax.voidTransaction(code, type, deleted ? 'DocDeleted' : 'DocVoided', ctx.signal);
  const key = parsed ? `${parsed.type}:${parsed.referenceNumber}` : undefined;
  const by = reasons([reasonOf(`actor-${ctx.actor}`)]);
  const detail = reasonOf(deleted ? 'month-voided-deleted' : 'month-voided', { code, by, reason: reason.trim() });
  const record = async () =>
    rec.voidedFromMonthEnd({
      code,
      key,
      referenceNumber: parsed?.referenceNumber ?? code,
      row: key ? await ctx.store.ledger.get(key) : undefined,
      avataxStatus: tx.status,
      avataxMonth: monthOf(tx.date.slice(0, 10)),
      detail,
      reason: reasonOf('month-voided-reason', { by, reason: reason.trim() }),
    });
  // One writer per document: recorded under the document's lock, from its row as it is then.
  if (key) await documentLock(ctx.store).run(key, record);
  else await record();
  await ctx.store.checkpoint();
  return { code, status: tx.status };
}

/** The reconciliation's counts, as an audit entry says them. */
export function describe(r: Reconciliation): ReturnType<typeof reasons> {
  const c = r.counts;
  return reasons([
    reasonOf('month-counts', {
      matched: c.matched,
      differs: c.differs,
      onlyInVisma: c.onlyInVisma,
      onlyInAvatax: c.onlyInAvatax,
      uncommitted: c.uncommitted,
      accepted: c.accepted,
    }),
  ]);
}

/** The VAT report's export, as the trail says it: the figures in base currency, and whether it is clean. */
function vatReportExported(month: string, report: VatReport): Reason {
  const base = report.baseCurrency ?? '';
  const vr = report.vatReturn;
  return reasonOf(
    report.clean
      ? 'month-vat-report-exported'
      : report.notes.length > 0
        ? 'month-vat-report-exported-incomplete'
        : 'month-vat-report-exported-blocked',
    {
      month: monthValue(month),
      domesticVat: money(vr.domestic.vat, base),
      domesticTaxable: money(vr.domestic.taxable, base),
      ossVat: money(vr.oss.vat, base),
      countries: vr.oss.byCountry.length,
      count: report.total.documents,
      ...(report.clean ? {} : { blocking: report.blocking }),
    },
  );
}
