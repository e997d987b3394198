import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';

/**
 * What a flow did with the workload, in the same words for every flow. The bench compares these before it
 * reports any ratio: flows that did different work are not compared.
 */
export interface Work {
  /** Documents taken and brought to an end (the flow's own count). */
  processed: number;
  /** Documents recorded in AvaTax (counted by the sandboxes). */
  posted: number;
  /** Documents left in front of a person: no address, an address that fails the check, VAT that differs. */
  flagged: number;
  /** Documents whose VAT Visma books changed (counted by the sandboxes). */
  written: number;
  /** Documents that ended in an error (to retry). */
  failed: number;
}

export const WORK_KEYS = ['processed', 'posted', 'flagged', 'written', 'failed'] as const;

/**
 * Why these runs cannot be compared, in words (none: every run did the same work, every document of the
 * workload was processed and none failed).
 */
export function differentWork(runs: readonly { flow: string; work: Work }[], documents: number): string[] {
  const reasons: string[] = [];
  for (const r of runs) {
    if (r.work.processed !== documents)
      reasons.push(`${r.flow} processed ${r.work.processed} of the ${documents} documents in the workload`);
    if (r.work.failed > 0) reasons.push(`${r.flow} failed ${r.work.failed} documents`);
  }
  const first = runs[0];
  if (first)
    for (const r of runs.slice(1))
      for (const key of WORK_KEYS) {
        if (key === 'processed' || key === 'failed' || r.work[key] === first.work[key]) continue;
        reasons.push(`${first.flow} ${key} ${first.work[key]} documents, ${r.flow} ${r.work[key]}`);
      }
  return [...new Set(reasons)];
}

/** What decides the VAT Visma books for a document: a write that changes none of it changed nothing. */
export function vatOf(d: SandboxDocument): string {
  return JSON.stringify([
    d.customerVatZoneId,
    d.lines.map((l) => l.vatCode?.id ?? null),
    d.taxDetails.map((t) => [t.taxId, t.taxableAmount, t.vatAmount]),
  ]);
}

export function vatByDocument(documents: readonly SandboxDocument[]): Map<string, string> {
  return new Map(documents.map((d) => [`${d.kind}:${d.referenceNumber}`, vatOf(d)]));
}

/** Documents whose VAT changed between two snapshots. */
export function writtenBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const [key, vat] of after) if (before.has(key) && before.get(key) !== vat) n++;
  return n;
}

/**
 * What our engine did, in the same words: processed and failed from its run summary, flagged from the ledger as
 * the run left it (a released invoice a later credit note corrects in the same run is counted in the summary as
 * needing attention, though it ends posted), posted and written from the sandboxes. For a run into an empty
 * data folder.
 */
export function engineWork(
  summary: Record<string, unknown>,
  ledger: Record<string, number>,
  counted: { posted: number; written: number },
): Work {
  const n = (key: string) => Number(summary[key] ?? 0);
  return {
    processed: n('fetched'),
    posted: counted.posted,
    flagged: (ledger.flagged ?? 0) + (ledger['needs-attention'] ?? 0),
    written: counted.written,
    failed: n('pendingRetry'),
  };
}
