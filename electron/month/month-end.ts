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
import { formatReasons } from '../../shared/reason-format.js';
import { companyTimeZone } from '../../shared/settings.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import type { TransactionType } from '../connectors/avatax/types.js';
import { VismaError } from '../connectors/visma/errors.js';
import type { RunContext } from '../engine/context.js';
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
    detail: `Reconciliation of ${month} exported (${describe(reconciliation)}${reconciliation.clean ? '; clean' : ''})`,
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
    detail: `VAT report of ${month} exported: domestic VAT ${minorToDecimalString(report.vatReturn.domestic.vat)} ${report.baseCurrency ?? ''} on ${minorToDecimalString(report.vatReturn.domestic.taxable)}, OSS VAT ${minorToDecimalString(report.vatReturn.oss.vat)} ${report.baseCurrency ?? ''} (${report.vatReturn.oss.byCountry.length} countries), over ${report.total.documents} documents${report.clean ? '' : ` (not clean: ${report.blocking} documents block the month${report.notes.length > 0 ? ', or it is incomplete' : ''})`}`,
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
export function closeRefusal(ctx: Pick<RunContext, 'now' | 'store' | 'settings'>, month: string): string | undefined {
  monthRange(month);
  // The company's month (its time zone): at 00:30 on 1 December in Stockholm, November has ended.
  const current = localMonth(ctx.now(), companyTimeZone(ctx.settings));
  if (month >= current)
    return `${month} has not ended yet (it is ${current} now): a month is closed once all its documents are in`;
  const closing = ctx.store.state.closedMonth(month);
  if (closing)
    return `${month} is already closed (${closing.closedAt.slice(0, 10)} by ${closing.by}): reopen it first, with a reason`;
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
  if (refused) throw new RangeError(refused);
  if (note !== undefined && note.trim() !== '') {
    const problem = reasonProblem(note);
    if (problem) throw new RangeError(`The close note: ${problem}`);
  }
  const reconciliation = await reconcileMonth(ctx, month, sources);
  const blocking = reconciliation.documents.filter((d) => BLOCKING_BUCKETS.includes(d.bucket));
  if (!reconciliation.clean) {
    audit(ctx, {
      action: 'reconciled',
      detail: `${month} cannot be closed: ${blocking.length} documents block it (${describe(reconciliation)})${reconciliation.incomplete.length > 0 ? `; incomplete: ${formatReasons(reconciliation.incomplete, 'en')}` : ''}`,
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
  const base = reconciliation.baseCurrency ?? '(base currency)';
  // Written down first: a kill between the audit entry and state.json is finished at the next start.
  const rec = new Recorder(ctx);
  await rec.announceFor({ kind: 'close', month, what: `${month} closes`, why: closing.note, data: { closing } });
  await rec.closed(closing, {
    detail: `${month} closed by ${by}: ${describe(reconciliation)}; domestic VAT ${minorToDecimalString(vr.domestic.vat)} ${base}, OSS VAT ${minorToDecimalString(vr.oss.vat)} ${base}${closing.note ? `; ${closing.note}` : ''}`,
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
  if (problem) throw new RangeError(`Say why the month is reopened: ${problem}`);
  const closing = ctx.store.state.closedMonth(month);
  if (!closing) throw new RangeError(`${month} is not closed`);
  audit(ctx, {
    action: 'month-reopened',
    detail: `${month} (closed ${closing.closedAt.slice(0, 10)} by ${closing.by}) reopened by ${by}: ${reason.trim()}`,
    data: { month },
  });
  await ctx.store.checkpoint();
  await ctx.store.state.reopenMonth(month);
}

export interface VoidResult {
  code: string;
  status?: string;
  error?: string;
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
  if (problem) return { code, error: `Say why it is voided: ${problem}` };
  const parsed = parseDocumentCode(code);
  const type: TransactionType = parsed ? avataxTypeOf(parsed.type) : 'SalesInvoice';
  if (parsed) {
    const live = await sources.getVisma(parsed.type, parsed.referenceNumber, ctx.signal);
    if (live && live.status !== 'Voided')
      return {
        code,
        error: `Visma still has ${parsed.referenceNumber} (${live.status}): reprocess it instead of voiding its AvaTax document`,
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
  const detail = `${code} voided in AvaTax (${deleted ? 'DocDeleted' : 'DocVoided'}) by ${ctx.actor}: ${reason.trim()}`;
  const record = async () =>
    rec.voidedFromMonthEnd({
      code,
      key,
      referenceNumber: parsed?.referenceNumber ?? code,
      row: key ? await ctx.store.ledger.get(key) : undefined,
      avataxStatus: tx.status,
      avataxMonth: monthOf(tx.date.slice(0, 10)),
      detail,
      reason: `Voided in AvaTax by ${ctx.actor}: ${reason.trim()}`,
    });
  // One writer per document: recorded under the document's lock, from its row as it is then.
  if (key) await documentLock(ctx.store).run(key, record);
  else await record();
  await ctx.store.checkpoint();
  return { code, status: tx.status };
}

export function describe(r: Reconciliation): string {
  const c = r.counts;
  return `${c.matched} matched, ${c.differs} differ, ${c.onlyInVisma} only in Visma, ${c.onlyInAvatax} only in AvaTax, ${c.uncommitted} uncommitted, ${c.accepted} accepted`;
}
