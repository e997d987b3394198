import type { LedgerDocument } from '../../shared/domain.js';
import type { StoredReason } from '../../shared/reasons.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';
import { parseServerTime } from './watermark.js';

/** One kind's listing as the run read it: how far it lets the watermark move, and whether something blocks it. */
export interface KindListing {
  kind: VismaDocumentKind;
  /** The newest change the listing proves it read (listingEnd), if any. */
  end?: string;
  /** Why the listing cannot be trusted to be whole (the watermark then stays). */
  unproven?: StoredReason;
  /** Documents Visma sent that cannot be read: the watermark stays until they are fixed. */
  rejected: number;
  /** The ledger's watermark of the kind before the run. */
  current?: string;
}

export type WorkItem = VismaDocument | { retryKey: string } | { deletedRow: LedgerDocument };

export interface RunPlan {
  /** What the run processes, in this order: listed, read again, waiting for a retry, deleted in Visma. */
  items: WorkItem[];
  /** Where each kind's watermark goes once every item is processed (a kind left out stays where it was). */
  advance: Partial<Record<VismaDocumentKind, string>>;
  /** Kinds whose watermark stays, with why. */
  held: { kind: VismaDocumentKind; why: 'unproven' | 'rejected' }[];
  counts: { changed: number; readAgain: number; waiting: number; deleted: number; total: number };
}

/**
 * The run's own choices, decided before any document is processed and tested without a server: which documents
 * it takes (each once: one listed is not also retried or read again) and where each watermark may go when the run
 * ends well (forward only, never past a listing that is unproven or that carried an unreadable document).
 */
export function planRun(input: {
  listings: readonly KindListing[];
  documents: readonly VismaDocument[];
  /** Ledger keys waiting for a retry or still pending. */
  waiting: readonly string[];
  /** Calculated documents the listing did not bring, found again in Visma, and those deleted there. */
  calculated: { found: readonly VismaDocument[]; deleted: readonly LedgerDocument[] };
  keyOf: (d: VismaDocument) => string;
}): RunPlan {
  const listed = new Set(input.documents.map(input.keyOf));
  const readAgain = input.calculated.found.filter((d) => !listed.has(input.keyOf(d)));
  const seen = new Set([...listed, ...readAgain.map(input.keyOf)]);
  const waiting = [...new Set(input.waiting)].filter((k) => !seen.has(k));
  for (const k of waiting) seen.add(k);
  const deleted = input.calculated.deleted.filter((r) => !seen.has(r.key));
  const advance: RunPlan['advance'] = {};
  const held: RunPlan['held'] = [];
  for (const l of input.listings) {
    if (l.rejected > 0) held.push({ kind: l.kind, why: 'rejected' });
    else if (l.unproven) held.push({ kind: l.kind, why: 'unproven' });
    else if (l.end && (!l.current || parseServerTime(l.end) > parseServerTime(l.current))) advance[l.kind] = l.end;
  }
  const items: WorkItem[] = [
    ...input.documents,
    ...readAgain,
    ...waiting.map((retryKey) => ({ retryKey })),
    ...deleted.map((deletedRow) => ({ deletedRow })),
  ];
  return {
    items,
    advance,
    held,
    counts: {
      changed: input.documents.length,
      readAgain: readAgain.length,
      waiting: waiting.length,
      deleted: deleted.length,
      total: items.length,
    },
  };
}
