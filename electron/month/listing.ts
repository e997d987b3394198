import type { VismaClient } from '../connectors/visma/client.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';
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
  rejected: { kind: VismaDocumentKind; referenceNumber?: string; reason: string }[];
}

const KINDS: VismaDocumentKind[] = ['invoice', 'credit-note'];

/**
 * Invoices and credit notes of the selection, in document-date order. Visma takes one condition per date, so a
 * range is listed from its first day (`documentDate >= from`) and cut at its last here.
 */
export async function listSelection(visma: VismaClient, sel: Selection, signal?: AbortSignal): Promise<Selected> {
  const out: Selected = { documents: [], rejected: [] };
  for (const kind of KINDS) {
    for (const status of sel.statuses ?? [undefined]) {
      const filter = { status, customer: sel.customer };
      const listed = sel.range
        ? await visma.listByDocumentDate(kind, sel.range.from, filter, { signal })
        : await visma.listDocuments(kind, filter, { signal });
      out.rejected.push(...listed.rejected.map((r) => ({ ...r, kind })));
      out.documents.push(
        ...listed.documents.filter((d) => !sel.range || inRange(d.documentDate.slice(0, 10), sel.range)),
      );
    }
  }
  out.documents.sort(byDocumentOrder);
  return out;
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
  return `${d.documentDate.slice(0, 10)} ${d.kind === 'invoice' ? 0 : 1} ${d.referenceNumber}`;
}
