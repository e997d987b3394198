import { type DemoSeed, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import { DEMO_CUSTOMERS } from '../../electron/sandbox/demo-customers.js';
import { TEST_NOW } from '../../test/helpers/clock.js';

/**
 * The instant every bench run is set at, whatever the calendar says: the tests' own (mid-month, noon UTC). The
 * bench's processes start their clocks there and let them run with the time the work really takes
 * (test/helpers/clock.ts); `npm run bench -- --at <ISO instant>` sets another.
 */
export const BENCH_NOW = TEST_NOW;

/**
 * The generated workload: the demo company (Nordväst Handel AB, electron/sandbox/demo-company.ts) with `documents`
 * documents, nine invoices to one credit note, every one created, last modified and dated in the month of `now`,
 * from its first midnight (UTC) to a minute before `now`: inside the window every flow lists (documents modified
 * since the first of the month), and in one ledger month and one audit month ("bytes per document flat in one
 * month"). The same documents (customers, lines, statuses) for a size at any instant; only their times move.
 *
 * `months`: spread over that many whole months before the month of `now` instead (a backfill's year). The demo
 * company's customers are created first, so the span starts that much earlier and documents dated before the
 * first month are left out: what remains covers every month.
 */
export function workload(documents: number, now: number, months?: number): DemoSeed {
  const creditNotes = Math.round(documents / 10);
  const start = Date.parse(`${workloadMonth(now)}-01T00:00:00.000Z`);
  // No debit notes: the mix the bench has always measured (the scripts know invoices and credit notes).
  const options = { invoices: documents - creditNotes, creditNotes, debitNotes: 0, seed: 20261125 };
  if (!months) return seedDemoCompany({ ...options, now, from: start });
  const first = monthsBefore(start, months);
  const records = DEMO_CUSTOMERS.length * 2 + 1 + documents;
  const seed = seedDemoCompany({ ...options, now: start, from: start - ((start - first) * records) / documents });
  const from = new Date(first).toISOString().slice(0, 10);
  seed.visma.documents = seed.visma.documents.filter((d) => d.documentDate >= from);
  return seed;
}

/** The first instant of the month `months` before the month starting at `start`. */
export function monthsBefore(start: number, months: number): number {
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1);
}

/** The whole months before the month of `now`, as a range of dates (a backfill's). */
export function monthsRange(now: number, months: number): { from: string; to: string } {
  const start = Date.parse(`${workloadMonth(now)}-01T00:00:00.000Z`);
  return {
    from: new Date(monthsBefore(start, months)).toISOString().slice(0, 10),
    to: new Date(start - 86_400_000).toISOString().slice(0, 10),
  };
}

/** The month (UTC) the workload's documents are dated in: the month of `now`. */
export function workloadMonth(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** The first day of that month: where every flow starts listing (`sync.startFrom`). */
export function firstOfMonth(now: number): string {
  return `${workloadMonth(now)}-01`;
}
