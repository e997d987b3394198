import { parseDocumentCode } from '../../shared/document-code.js';
import { minorToDecimalString } from '../../shared/money.js';
import { type MonthClosing, monthRange, type Reconciliation } from '../../shared/month.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import type { TransactionType } from '../connectors/avatax/types.js';
import { VismaError } from '../connectors/visma/errors.js';
import { audit, type RunContext } from '../engine/context.js';
import { withVatBook } from '../engine/sync-run.js';
import type { Delimiter } from '../report/csv.js';
import { type WrittenFile, writeReconciliation, writeVatReport } from '../report/month-end-csv.js';
import { listSelection } from './listing.js';
import { type MonthSources, readMonth } from './read-month.js';
import { reconcile } from './reconcile.js';
import { buildVatReport, type VatReport } from './vat-report.js';

/**
 * Month-end against the live systems: reconcile a month, close it when it is clean, reopen it with a reason,
 * and void in AvaTax what Visma no longer has. Each writes its audit entry; the decisions are in reconcile.ts
 * and classify.ts.
 */

export function sourcesOf(ctx: RunContext): MonthSources {
  return {
    listVisma: (range, signal) => listSelection(ctx.visma, { range }, signal),
    getVisma: async (kind, ref, signal) => {
      try {
        return (await ctx.visma.getDocument(kind, ref, signal)).document;
      } catch (error) {
        if (error instanceof VismaError && error.kind === 'not-found') return undefined;
        throw error;
      }
    },
    listAvaTax: (from, to, signal) => ctx.avatax.listTransactions(from, to, signal),
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
}

export interface MonthFiles {
  reconciliation: Reconciliation;
  files: WrittenFile[];
}

/** The reconciliation, and its two CSV files when asked (audited: who took what out of the app, when). */
export async function reconcileToFiles(ctx: RunContext, month: string, to?: FilesTo): Promise<MonthFiles> {
  const reconciliation = await reconcileMonth(ctx, month);
  if (!to) return { reconciliation, files: [] };
  const files = writeReconciliation(reconciliation, to.dir, to.delimiter);
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
  const files = writeVatReport(report, to.dir, to.delimiter);
  audit(ctx, {
    action: 'exported',
    detail: `VAT report of ${month} exported: VAT ${minorToDecimalString(report.total.vat)} ${report.baseCurrency ?? ''} on ${minorToDecimalString(report.total.taxable)} over ${report.total.documents} documents${report.clean ? '' : ` (${report.blocking} documents block the month)`}`,
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
    now: ctx.now(),
    closed: ctx.store.state.closedMonth(month),
  });
}

export interface CloseResult {
  closed: boolean;
  reconciliation: Reconciliation;
  closing?: MonthClosing;
}

/** Closes the month when the close check finds nothing blocking it; otherwise says what blocks it. */
export async function closeMonth(
  ctx: RunContext,
  month: string,
  by: string,
  note?: string,
  sources = sourcesOf(ctx),
): Promise<CloseResult> {
  const reconciliation = await reconcileMonth(ctx, month, sources);
  const blocking = reconciliation.documents.filter((d) => !['matched', 'accepted'].includes(d.bucket));
  if (!reconciliation.clean) {
    audit(ctx, {
      action: 'reconciled',
      detail: `${month} cannot be closed: ${blocking.length} documents block it (${describe(reconciliation)})`,
      data: { month, ...reconciliation.counts, clean: false },
    });
    await ctx.store.checkpoint();
    return { closed: false, reconciliation };
  }
  const closing: MonthClosing = {
    month,
    closedAt: ctx.now().toISOString(),
    by,
    counts: reconciliation.counts,
    vatBase: reconciliation.vatBase.visma,
    ...(note ? { note } : {}),
  };
  audit(ctx, {
    action: 'month-closed',
    detail: `${month} closed by ${by}: ${describe(reconciliation)}; VAT ${minorToDecimalString(closing.vatBase)} ${reconciliation.baseCurrency ?? '(base currency)'}${note ? `; ${note}` : ''}`,
    data: { month, ...reconciliation.counts, vatBase: minorToDecimalString(closing.vatBase) },
  });
  await ctx.store.checkpoint();
  await ctx.store.state.closeMonth(closing);
  return { closed: true, reconciliation: { ...reconciliation, closed: closing }, closing };
}

export async function reopenMonth(ctx: RunContext, month: string, by: string, reason: string): Promise<void> {
  monthRange(month);
  if (!reason.trim()) throw new RangeError('Say why the month is reopened');
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
  if (!reason.trim()) return { code, error: 'Say why it is voided' };
  const parsed = parseDocumentCode(code);
  const type: TransactionType = parsed?.type === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice';
  if (parsed && parsed.type !== 'debit-note') {
    const live = await sources.getVisma(parsed.type, parsed.referenceNumber, ctx.signal);
    if (live && live.status !== 'Voided')
      return {
        code,
        error: `Visma still has ${parsed.referenceNumber} (${live.status}): reprocess it instead of voiding its AvaTax document`,
      };
  }
  const deleted = parsed !== undefined;
  const tx = await ctx.avatax.voidTransaction(code, type, deleted ? 'DocDeleted' : 'DocVoided', ctx.signal);
  const key = parsed && parsed.type !== 'debit-note' ? `${parsed.type}:${parsed.referenceNumber}` : undefined;
  const row = key ? await ctx.store.ledger.get(key) : undefined;
  if (row)
    await ctx.store.ledger.put({
      ...row,
      state: 'voided',
      avataxStatus: tx.status,
      reasons: [`Voided in AvaTax by ${ctx.actor}: ${reason.trim()}`],
      lastProcessedAt: ctx.now().toISOString(),
    });
  audit(ctx, {
    action: 'voided',
    documentKey: key,
    referenceNumber: parsed?.referenceNumber ?? code,
    detail: `${code} voided in AvaTax (${deleted ? 'DocDeleted' : 'DocVoided'}) by ${ctx.actor}: ${reason.trim()}`,
    data: { avataxCode: code, state: 'voided' },
  });
  await ctx.store.checkpoint();
  return { code, status: tx.status };
}

export function describe(r: Reconciliation): string {
  const c = r.counts;
  return `${c.matched} matched, ${c.differs} differ, ${c.onlyInVisma} only in Visma, ${c.onlyInAvatax} only in AvaTax, ${c.uncommitted} uncommitted, ${c.accepted} accepted`;
}
