import { type DemoSeed, seedDemoCompany } from '../../electron/sandbox/demo-company.js';

/**
 * The generated workload: the demo company (Nordväst Handel AB, electron/sandbox/demo-company.ts) with `documents`
 * documents, nine invoices to one credit note, every document dated in the current month (so the ledger and
 * the audit trail each grow one month file: "bytes per document flat in one month"). Deterministic for a size.
 */
export function workload(documents: number, now = Date.now()): DemoSeed {
  const creditNotes = Math.round(documents / 10);
  const seed = seedDemoCompany({ now, invoices: documents - creditNotes, creditNotes, seed: 20261125 });
  const first = `${new Date(now).toISOString().slice(0, 7)}-01`;
  const clamp = (date: string | null) => (date && date < first ? first : date);
  for (const d of seed.visma.documents) {
    d.documentDate = clamp(d.documentDate)!;
    d.origInvoiceDate = clamp(d.origInvoiceDate);
    d.documentDueDate = clamp(d.documentDueDate)!;
    d.cashDiscountDate = clamp(d.cashDiscountDate);
    for (const a of d.applications) a.applicationDate = clamp(a.applicationDate)!;
  }
  return seed;
}

/** The month the workload's documents are dated in. */
export function workloadMonth(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 7);
}
