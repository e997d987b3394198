import type { Reason } from '../../shared/reasons.js';
import type { ListResult, VismaClient } from '../connectors/visma/client.js';
import { VismaError } from '../connectors/visma/errors.js';
import { DOCUMENT_KINDS, type VismaDocument, type VismaDocumentKind } from '../connectors/visma/types.js';
import type { VismaListing } from './completeness.js';
import { type DateRange, inRange } from './range.js';

/** Which Visma documents a month-end job reads: a range of document dates, a customer, some statuses. */
export interface Selection {
  range?: DateRange;
  customer?: string;
  /** Visma statuses to ask for, one listing each (Visma filters one status at a time); absent: every status. */
  statuses?: readonly string[];
}

export interface Selected {
  documents: VismaDocument[];
  /** Items Visma sent that could not be read: said, never dropped silently. */
  rejected: { kind: VismaDocumentKind; referenceNumber?: string; reason: Reason }[];
  /** What each listing said of itself (its totalCount) and how many items it gave, before the range's end cut. */
  listings: VismaListing[];
}

/** Month-end, the dry run, the backfill and the repair read every kind of document the sync takes. */
export const MONTH_KINDS: readonly VismaDocumentKind[] = DOCUMENT_KINDS;

/**
 * Documents of the selection (every kind unless `kinds` says), in document-date order. Visma takes
 * one condition per date, so a range is listed from its first day (`documentDate >= from`) and cut at its last
 * here.
 */
export async function listSelection(
  visma: VismaClient,
  sel: Selection,
  signal?: AbortSignal,
  kinds: readonly VismaDocumentKind[] = DOCUMENT_KINDS,
): Promise<Selected> {
  const out: Selected = { documents: [], rejected: [], listings: [] };
  for (const kind of kinds) {
    for (const status of sel.statuses ?? [undefined]) {
      const filter = { status, customer: sel.customer };
      const listed = await listKind(visma, kind, sel, filter, signal);
      if (!listed) continue;
      out.listings.push({
        kind,
        totalCount: listed.totalCount,
        received: listed.documents.length + listed.rejected.length,
      });
      out.rejected.push(...listed.rejected.map((r) => ({ ...r, kind })));
      out.documents.push(
        ...listed.documents.filter((d) => !sel.range || inRange(d.documentDate.slice(0, 10), sel.range)),
      );
    }
  }
  out.documents.sort(byDocumentOrder);
  return out;
}

/**
 * One kind's listing. A Visma without debit notes' endpoint (404 on the list itself) has none to list; any debit
 * note the ledger or AvaTax knows is still looked for one by one (read-month.ts).
 */
async function listKind(
  visma: VismaClient,
  kind: VismaDocumentKind,
  sel: Selection,
  filter: { status?: string; customer?: string },
  signal: AbortSignal | undefined,
): Promise<ListResult | undefined> {
  try {
    return sel.range
      ? await visma.listByDocumentDate(kind, sel.range.from, filter, { signal })
      : await visma.listDocuments(kind, filter, { signal });
  } catch (error) {
    if (kind === 'debit-note' && error instanceof VismaError && error.kind === 'not-found') return undefined;
    throw error;
  }
}

/** Document date, then invoices before credit notes, then number (260002 before 260010). */
export function byDocumentOrder(a: VismaDocument, b: VismaDocument): number {
  return compareOrderKeys(orderKey(a), orderKey(b));
}

export function compareOrderKeys(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The position of a document in that order, as text: a backfill remembers the last one it finished. */
export function orderKey(d: Pick<VismaDocument, 'documentDate' | 'kind' | 'referenceNumber'>): string {
  return `${d.documentDate.slice(0, 10)} ${d.kind === 'invoice' ? 0 : d.kind === 'credit-note' ? 1 : 2} ${d.referenceNumber}`;
}
