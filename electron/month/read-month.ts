import { type DocumentType, documentCode, parseDocumentCode } from '../../shared/document-code.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { monthRange } from '../../shared/month.js';
import { type Reason, reason } from '../../shared/reasons.js';
import type { TransactionModel, TransactionType } from '../connectors/avatax/types.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';
import { runPool } from '../engine/pool.js';
import { checkAvaTaxListing, checkVismaListing, currentVersions, type ListedPage } from './completeness.js';
import type { Selected } from './listing.js';
import { type DateRange, inRange } from './range.js';
import type { MonthInputs } from './reconcile.js';

/**
 * The edge of the reconciliation: reads one month from both systems and checks that it is the whole month.
 * Visma's documents dated in the month (with their tax details), AvaTax's transactions dated in the month (every
 * page, each listing checked against its own count, another company's refused), then each document one side (or
 * the ledger, the third witness) knows and the other side's listing left out is read by its number or code: one
 * dated elsewhere is paired with its other side (a date that differs), one dated in the month means the listing
 * was not the whole month, which is said as a doubt and keeps the month from being clean.
 */
export interface MonthSources {
  /** The documents dated in the range, every kind month-end reads (see listing.ts). */
  listVisma(range: DateRange, signal?: AbortSignal): Promise<Selected>;
  /** undefined: Visma has no such document. */
  getVisma(kind: VismaDocumentKind, referenceNumber: string, signal?: AbortSignal): Promise<VismaDocument | undefined>;
  /** AvaTax's listing of the range (both days included), page by page as AvaTax answered. */
  listAvaTax(from: string, to: string, signal?: AbortSignal): Promise<ListedPage[]>;
  /** The id of the AvaTax company the app works on (undefined: AvaTax has no company of that code). */
  avataxCompanyId(signal?: AbortSignal): Promise<number | undefined>;
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
  /**
   * At most this many documents left out of a listing are read one by one; more than that and the listing is
   * said to be incomplete at once (a listing that answers [] for a month of 50,000 documents is not read again
   * document by document).
   */
  lookupLimit?: number;
}

const LOOKUP_LIMIT = 50;

/** The AvaTax document type of one of our codes' kinds. */
export function avataxTypeOf(type: DocumentType): TransactionType {
  return type === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice';
}

export async function readMonth(
  options: ReadMonthOptions,
): Promise<Pick<MonthInputs, 'month' | 'from' | 'to' | 'visma' | 'rejected' | 'avatax' | 'ledger' | 'doubts'>> {
  const { month, sources, signal } = options;
  const limit = options.lookupLimit ?? LOOKUP_LIMIT;
  const range = monthRange(month);
  const { from, to } = range;
  const dated = (date: string) => inRange(date.slice(0, 10), range);
  const doubts: Reason[] = [];

  const listed = await sources.listVisma(range, signal);
  const visma: VismaDocument[] = listed.documents.filter((d) => dated(d.documentDate));
  doubts.push(...checkVismaListing(listed.listings, visma));
  const rejected: MonthInputs['rejected'] = listed.rejected.map(({ referenceNumber, reason: why }) => ({
    referenceNumber,
    reason: why,
  }));

  const [pages, companyId] = await Promise.all([sources.listAvaTax(from, to, signal), sources.avataxCompanyId(signal)]);
  const checked = checkAvaTaxListing(pages, companyId);
  doubts.push(...checked.doubts);
  const versions = currentVersions(checked.transactions.filter((t) => dated(t.date)));
  doubts.push(...versions.doubts);
  const avatax: TransactionModel[] = [...versions.current];

  const ledger = new Map<string, LedgerDocument>(options.ledgerOfMonth.map((d) => [d.key, d]));
  const vismaKeys = new Set(visma.map((d) => `${d.kind}:${d.referenceNumber}`));
  const liveCodes = new Set(versions.current.map((t) => t.code));

  // Visma's side of what AvaTax lists this month and of the ledger's rows of the month, where Visma's listing
  // left it out: Visma may date it elsewhere, or no longer have it.
  const vismaWanted = new Map<string, { kind: VismaDocumentKind; referenceNumber: string }>();
  for (const t of checked.transactions) {
    const p = parseDocumentCode(t.code);
    if (p) vismaWanted.set(`${p.type}:${p.referenceNumber}`, { kind: p.type, referenceNumber: p.referenceNumber });
  }
  const ledgerMissing = options.ledgerOfMonth.filter(
    (d) => d.state !== 'voided' && !vismaKeys.has(d.key) && dated(d.documentDate),
  );
  for (const d of ledgerMissing) vismaWanted.set(d.key, { kind: d.documentType, referenceNumber: d.referenceNumber });
  for (const key of vismaKeys) vismaWanted.delete(key);
  const vismaLeftOut: string[] = [];
  if (vismaWanted.size > limit) {
    doubts.push(
      reason('month-incomplete-visma-short-of-ledger', {
        listed: visma.length,
        missing: vismaWanted.size,
        ledger: options.ledgerOfMonth.length,
      }),
    );
  } else {
    await runPool(
      [...vismaWanted.values()],
      options.concurrency ?? 4,
      async (l) => {
        const doc = await sources.getVisma(l.kind, l.referenceNumber, signal);
        if (doc) {
          visma.push(doc);
          if (dated(doc.documentDate)) vismaLeftOut.push(doc.referenceNumber);
        }
        const key = `${l.kind}:${l.referenceNumber}`;
        if (!ledger.has(key)) {
          const row = await options.ledger(key);
          if (row) ledger.set(row.key, row);
        }
      },
      () => signal?.aborted ?? false,
    );
  }
  if (vismaLeftOut.length > 0)
    doubts.push(reason('month-incomplete-visma-left-out', { references: { list: vismaLeftOut.sort().slice(0, 10) } }));

  // AvaTax's side of the month's documents the ledger says AvaTax has, where AvaTax's listing left it out (or
  // listed only a superseded version): AvaTax may date it elsewhere, or no longer have it.
  await known(visma, ledger, options.ledger);
  const avataxWanted = new Map<string, { code: string; type: TransactionType }>();
  for (const tx of versions.lookUp) avataxWanted.set(tx.code, { code: tx.code, type: tx.type as TransactionType });
  for (const d of ledger.values()) {
    const code = d.avataxCode || safeCode(d);
    if (!d.avataxStatus || !code || liveCodes.has(code)) continue;
    const ours = dated(d.documentDate) || vismaKeys.has(d.key);
    if (ours) avataxWanted.set(code, { code, type: avataxTypeOf(d.documentType) });
  }
  const avataxLeftOut: string[] = [];
  if (avataxWanted.size > limit) {
    doubts.push(
      reason('month-incomplete-avatax-short-of-ledger', { listed: avatax.length, missing: avataxWanted.size }),
    );
  } else {
    await runPool(
      [...avataxWanted.values()],
      options.concurrency ?? 4,
      async (l) => {
        const tx = await sources.getAvaTax(l.code, l.type, signal);
        if (!tx) return;
        if (companyId !== undefined && tx.companyId !== companyId) return;
        avatax.push(tx);
        // Not listed live this month, yet AvaTax dates its live version in the month: the listing was short.
        if (dated(tx.date)) avataxLeftOut.push(tx.code);
      },
      () => signal?.aborted ?? false,
    );
  }
  if (avataxLeftOut.length > 0)
    doubts.push(reason('month-incomplete-avatax-left-out', { codes: { list: avataxLeftOut.sort().slice(0, 10) } }));
  signal?.throwIfAborted();
  return { month, from, to, visma, rejected, avatax, ledger, doubts };
}

function safeCode(d: LedgerDocument): string | undefined {
  try {
    return documentCode(d.documentType, d.referenceNumber);
  } catch {
    return undefined;
  }
}

/** The ledger rows of the month's Visma documents the month's ledger file does not hold (dated elsewhere before). */
async function known(
  visma: readonly VismaDocument[],
  ledger: Map<string, LedgerDocument>,
  read: (key: string) => Promise<LedgerDocument | undefined>,
): Promise<void> {
  for (const d of visma) {
    const key = `${d.kind}:${d.referenceNumber}`;
    if (ledger.has(key)) continue;
    const row = await read(key);
    if (row) ledger.set(key, row);
  }
}
