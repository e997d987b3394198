import { type Reason, reason, reasons } from '../../shared/reasons.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';

/**
 * Is what the two systems listed for a month the whole month? A month is clean only when nothing gives a reason
 * to doubt it; each doubt is said ("incomplete: …") and blocks the close. Pure: the checks of each listing against
 * itself. The third witness, the ledger's rows of the month, is asked in read-month.ts.
 */

/** One page of AvaTax's listing as it came. */
export interface ListedPage {
  recordsetCount?: number;
  value: TransactionModel[];
}

/**
 * AvaTax's listing against its own count: every page says the same `@recordsetCount` and the pages hold exactly
 * that many transactions, none twice; a transaction of another company (`companyId`) is refused, not merged.
 */
export function checkAvaTaxListing(
  pages: readonly ListedPage[],
  companyId: number | undefined,
): { transactions: TransactionModel[]; doubts: Reason[] } {
  const doubts: Reason[] = [];
  if (companyId === undefined) doubts.push(reason('month-incomplete-avatax-company-unknown'));
  const counts = [...new Set(pages.map((p) => p.recordsetCount))];
  const listed = pages.reduce((s, p) => s + p.value.length, 0);
  const count = pages[0]?.recordsetCount;
  if (counts.length > 1)
    doubts.push(
      reason('month-incomplete-avatax-count-moved', {
        counts: counts.map((c) => (c === undefined ? '—' : String(c))).join(', '),
      }),
    );
  else if (count === undefined) doubts.push(reason('month-incomplete-avatax-no-count', { listed }));
  else if (listed !== count) doubts.push(reason('month-incomplete-avatax-count', { listed, count }));

  const byId = new Map<number, TransactionModel>();
  let twice = 0;
  const others = new Map<string, number>();
  for (const tx of pages.flatMap((p) => p.value)) {
    if (byId.has(tx.id)) {
      twice++;
      continue;
    }
    byId.set(tx.id, tx);
  }
  if (twice > 0) doubts.push(reason('month-incomplete-avatax-twice', { count: twice }));
  const transactions: TransactionModel[] = [];
  for (const tx of byId.values()) {
    if (companyId !== undefined && tx.companyId !== companyId) {
      const id = tx.companyId === undefined ? '—' : String(tx.companyId);
      others.set(id, (others.get(id) ?? 0) + 1);
      continue;
    }
    transactions.push(tx);
  }
  for (const [other, n] of others)
    doubts.push(reason('month-incomplete-avatax-other-company', { count: n, companyId: other, ours: companyId! }));
  return { transactions, doubts };
}

/** What one of Visma's listings of the month said of itself. */
export interface VismaListing {
  kind: VismaDocumentKind;
  /** `metadata.totalCount`, when Visma sent it. */
  totalCount?: number;
  /** Items received: read, and those that could not be read. */
  received: number;
}

/**
 * Visma's listings against their own counts, and each document of the month once: a document listed twice (the
 * same number with two versions, from a listing read again while it moved) cannot be counted, so it is a doubt.
 */
export function checkVismaListing(listings: readonly VismaListing[], documents: readonly VismaDocument[]): Reason[] {
  const doubts: Reason[] = [];
  for (const l of listings)
    if (l.totalCount !== undefined && l.received < l.totalCount)
      doubts.push(
        reason('month-incomplete-visma-count', {
          kind: reasons([reason(`kind-${l.kind}`)]),
          listed: l.received,
          count: l.totalCount,
        }),
      );
  const seen = new Map<string, number>();
  for (const d of documents)
    seen.set(`${d.kind}:${d.referenceNumber}`, (seen.get(`${d.kind}:${d.referenceNumber}`) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([key]) => key.slice(key.indexOf(':') + 1));
  if (twice.length > 0)
    doubts.push(reason('month-incomplete-visma-twice', { references: { list: twice.slice(0, 10) } }));
  return doubts;
}

/**
 * The live version of each AvaTax code, whatever order the versions were listed in: AvaTax keeps a superseded
 * version (`Adjusted`) beside the live one. Two live versions of one code is a doubt (the later one is taken);
 * a code listed only in superseded versions has its live one elsewhere (`lookUp`: to be read by code).
 */
export function currentVersions(transactions: readonly TransactionModel[]): {
  current: TransactionModel[];
  lookUp: TransactionModel[];
  doubts: Reason[];
} {
  const byCode = new Map<string, TransactionModel[]>();
  for (const tx of transactions) byCode.set(tx.code, [...(byCode.get(tx.code) ?? []), tx]);
  const current: TransactionModel[] = [];
  const lookUp: TransactionModel[] = [];
  const doubts: Reason[] = [];
  for (const [code, versions] of byCode) {
    const live = versions.filter((v) => v.status !== 'Adjusted').sort(newerLast);
    if (live.length === 0) lookUp.push(versions.sort(newerLast).at(-1)!);
    else {
      if (live.length > 1) doubts.push(reason('month-incomplete-avatax-two-live', { code, count: live.length }));
      current.push(live.at(-1)!);
    }
  }
  return { current, lookUp, doubts };
}

function newerLast(a: TransactionModel, b: TransactionModel): number {
  return (a.version ?? 0) - (b.version ?? 0) || a.id - b.id;
}
