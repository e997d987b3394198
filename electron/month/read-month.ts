import { parseDocumentCode } from '../../shared/document-code.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { monthRange } from '../../shared/month.js';
import type { TransactionModel, TransactionType } from '../connectors/avatax/types.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';
import { runPool } from '../engine/pool.js';
import type { Selected } from './listing.js';
import { type DateRange, inRange } from './range.js';
import type { MonthInputs } from './reconcile.js';

/**
 * The edge of the reconciliation: reads one month from both systems. Visma's invoices and credit notes dated in
 * the month (with their tax details), AvaTax's transactions dated in the month (every page), then a lookup for
 * each document seen on one side only, so a document whose date differs between the two is matched as "differs
 * (date)" instead of showing twice.
 */
export interface MonthSources {
  /** Invoices and credit notes dated in the range (see listing.ts). */
  listVisma(range: DateRange, signal?: AbortSignal): Promise<Selected>;
  /** undefined: Visma has no such document. */
  getVisma(kind: VismaDocumentKind, referenceNumber: string, signal?: AbortSignal): Promise<VismaDocument | undefined>;
  listAvaTax(from: string, to: string, signal?: AbortSignal): Promise<TransactionModel[]>;
  /** undefined: AvaTax has no such document. */
  getAvaTax(code: string, type: TransactionType, signal?: AbortSignal): Promise<TransactionModel | undefined>;
}

export interface ReadMonthOptions {
  month: string;
  sources: MonthSources;
  /** The ledger's rows for the documents of the month (and any other it is asked for). */
  ledger: (key: string) => Promise<LedgerDocument | undefined>;
  ledgerOfMonth: LedgerDocument[];
  signal?: AbortSignal;
  concurrency?: number;
}

export async function readMonth(
  options: ReadMonthOptions,
): Promise<Pick<MonthInputs, 'month' | 'from' | 'to' | 'visma' | 'rejected' | 'avatax' | 'ledger'>> {
  const { month, sources, signal } = options;
  const { from, to } = monthRange(month);
  const listed = await sources.listVisma({ from, to }, signal);
  const visma: VismaDocument[] = listed.documents.filter((d) => inRange(d.documentDate.slice(0, 10), { from, to }));
  const rejected: MonthInputs['rejected'] = listed.rejected.map(({ referenceNumber, reason }) => ({
    referenceNumber,
    reason,
  }));
  const avatax = (await sources.listAvaTax(from, to, signal)).filter((t) => inRange(t.date.slice(0, 10), { from, to }));

  const ledger = new Map<string, LedgerDocument>(options.ledgerOfMonth.map((d) => [d.key, d]));
  const vismaKeys = new Set(visma.map((d) => `${d.kind}:${d.referenceNumber}`));
  const codes = new Set(avatax.map((t) => t.code));

  // AvaTax has it this month, Visma's list does not: Visma may date it elsewhere, or no longer have it.
  const vismaLookups = avatax
    .map((t) => parseDocumentCode(t.code))
    .filter((p): p is NonNullable<typeof p> => p !== undefined && p.type !== 'debit-note')
    .map((p) => ({ kind: p.type as VismaDocumentKind, referenceNumber: p.referenceNumber }))
    .filter((p) => !vismaKeys.has(`${p.kind}:${p.referenceNumber}`));
  // Visma has it this month and the ledger says AvaTax has it, but AvaTax's list does not: dated elsewhere.
  const avataxLookups = [...options.ledgerOfMonth, ...(await known(visma, ledger, options.ledger))]
    .filter((d) => d.avataxStatus && !codes.has(d.avataxCode))
    .map((d) => ({
      code: d.avataxCode,
      type: (d.documentType === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice') as TransactionType,
    }));
  const uniqueAvaTax = [...new Map(avataxLookups.map((l) => [l.code, l])).values()];

  await runPool(
    vismaLookups,
    options.concurrency ?? 4,
    async (l) => {
      const doc = await sources.getVisma(l.kind, l.referenceNumber, signal);
      if (doc) visma.push(doc);
      const row = await options.ledger(`${l.kind}:${l.referenceNumber}`);
      if (row) ledger.set(row.key, row);
    },
    () => signal?.aborted ?? false,
  );
  await runPool(
    uniqueAvaTax,
    options.concurrency ?? 4,
    async (l) => {
      const tx = await sources.getAvaTax(l.code, l.type, signal);
      if (tx) avatax.push(tx);
    },
    () => signal?.aborted ?? false,
  );
  signal?.throwIfAborted();
  return { month, from, to, visma, rejected, avatax, ledger };
}

/** The ledger rows of the month's Visma documents the month's ledger file does not hold (dated elsewhere before). */
async function known(
  visma: readonly VismaDocument[],
  ledger: Map<string, LedgerDocument>,
  read: (key: string) => Promise<LedgerDocument | undefined>,
): Promise<LedgerDocument[]> {
  const out: LedgerDocument[] = [];
  for (const d of visma) {
    const key = `${d.kind}:${d.referenceNumber}`;
    if (ledger.has(key)) continue;
    const row = await read(key);
    if (row) {
      ledger.set(key, row);
      out.push(row);
    }
  }
  return out;
}
