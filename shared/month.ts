import { isRealDate } from './dates.js';
import type { DocumentType } from './document-code.js';
import type { DocumentState, VatLine } from './domain.js';
import type { Minor } from './money.js';
import { type Reason, reason, type StoredReason } from './reasons.js';

/**
 * Month-end: the reconciliation of what Visma booked with what AvaTax recorded for one month, the close check
 * and the VAT report. One definition for the engine, the CLI and the Month-end screen.
 */

/** Where a document of the month stands between the two systems. */
export const BUCKETS = ['matched', 'differs', 'onlyInVisma', 'onlyInAvatax', 'uncommitted', 'accepted'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** A month is clean when none of its documents is in one of these. */
export const BLOCKING_BUCKETS: readonly Bucket[] = ['differs', 'onlyInVisma', 'onlyInAvatax', 'uncommitted'];

export const BUCKET_LABELS: Record<Bucket, string> = {
  matched: 'Matched',
  differs: 'Differs',
  onlyInVisma: 'Only in Visma',
  onlyInAvatax: 'Only in AvaTax',
  uncommitted: 'Uncommitted at month end',
  accepted: 'Accepted difference',
};

/**
 * What fixes a blocking document: reprocess it (read again and sent), fix its flagged address, commit it in
 * AvaTax, void its AvaTax document, correct it in Visma (a released document's VAT cannot change there without
 * a credit note), release it in Visma, accept the difference with a reason, or adjust the committed AvaTax
 * document to what Visma now says.
 */
export const CLOSE_ACTIONS = [
  'reprocess',
  'fix-address',
  'commit',
  'void',
  'correct-in-visma',
  'release-in-visma',
  'accept',
  'adjust',
] as const;
export type CloseAction = (typeof CLOSE_ACTIONS)[number];

/** What differs between the two sides of a document. */
export type DifferenceKind =
  | 'amount'
  | 'tax'
  | 'vat-id'
  | 'status'
  | 'date'
  | 'currency'
  | 'vat-number'
  | 'exchange-rate'
  /** The sync holds it in front of the user (needs attention, flagged) or has not finished it. */
  | 'state';

/** Per VAT id, both in the document's currency and, when the exchange rate is known, in the base currency. */
export interface MonthVatLine extends VatLine {
  taxableBase?: Minor;
  vatBase?: Minor;
}

/** One side of a document: what Visma booked, or what AvaTax recorded. Amounts signed as sales. */
export interface DocumentSide {
  status: string;
  date: string;
  currency: string;
  /** Net (before VAT), VAT and gross, in the document's currency. */
  net: Minor;
  vat: Minor;
  gross: Minor;
  /**
   * This side's own rate to the base currency: Visma's on the document (1 in the base currency), AvaTax's as it
   * holds it (1.0 when it was sent none, as AvaTax documents). Base figures use it (`toBase`, shared/money.ts).
   */
  exchangeRate?: number;
  netBase?: Minor;
  vatBase?: Minor;
  grossBase?: Minor;
  /** Visma: the VAT it booked per VAT id. AvaTax: what it records per VAT id (its lines through the VAT mapping). */
  lines: MonthVatLine[];
  /** AvaTax only: its own calculation per VAT id (through the VAT mapping), what the promise is judged against. */
  calculated?: MonthVatLine[];
  /** AvaTax only: its own calculation's total, when it records a figure from elsewhere (Visma's VAT). */
  calculatedVat?: Minor;
  /** AvaTax only: it records TaxAmount overrides (its lines keep the VAT ids of its own calculation). */
  overridden?: boolean;
  vatNumber?: string;
  /** Counted in the VAT return: released in Visma, committed in AvaTax. */
  reported: boolean;
  /**
   * This side dates the document in the month reconciled, so its VAT belongs to this month's figures. A document
   * Visma dates 1 November and AvaTax 31 October shows in both months (the date differs), each side counted once.
   */
  inMonth: boolean;
}

export interface ReconciledDocument {
  /** The ledger's key (invoice:260001) when the code is one this app makes. */
  key?: string;
  code: string;
  documentType?: DocumentType;
  referenceNumber: string;
  customerNumber: string;
  customerName: string;
  /** Ship-to country and buyer VAT number, as the ledger, AvaTax or Visma know them. */
  country?: string;
  vatNumber?: string;
  /**
   * Neither the ledger nor AvaTax knows the document, so whether its buyer has a VAT number is not known: a supply
   * to another EU country is then neither OSS nor intra-EU B2B in the return figures, but unknown.
   */
  buyerUnknown?: boolean;
  exchangeRate?: number;
  bucket: Bucket;
  differences: DifferenceKind[];
  /** Why it is in its bucket: reason codes with their figures (shared/reasons.ts), rendered per language. */
  why: Reason[];
  actions: CloseAction[];
  state?: DocumentState;
  visma?: DocumentSide;
  avatax?: DocumentSide;
  /**
   * The variance the tables show for it, one sign everywhere: **Visma − AvaTax**. AvaTax's figure is what it
   * records, or, when that is Visma's VAT while its own calculation differs, that calculation (`avataxFigure`):
   * the difference that blocks. In the document's currency, and in base currency (each side at its own rate).
   */
  variance: DocumentVariance;
  acceptance?: { reason: string; by: string; at: string };
}

export interface DocumentVariance {
  visma: Minor;
  avatax: Minor;
  difference: Minor;
  vismaBase?: Minor;
  avataxBase?: Minor;
  differenceBase?: Minor;
  avataxFigure: 'recorded' | 'calculated';
}

/** Taxable amount and VAT in base currency, and how many documents. */
export interface SupplyAmounts {
  taxable: Minor;
  vat: Minor;
  documents: number;
}

/**
 * The figures the returns are filed from, apart (Visma's books: released documents dated in the month, base
 * currency, credit notes negative): domestic sales on the domestic VAT return, per VAT id; OSS VAT per country of
 * consumption, which is filed on the OSS return and **not** on the domestic one; intra-EU supplies to VAT-registered
 * buyers (the EU sales list) and exports, which carry no VAT.
 */
export interface VatReturn {
  homeCountry?: string;
  domestic: SupplyAmounts & { byVatId: (SupplyAmounts & { vatId: string; rate?: number })[] };
  oss: SupplyAmounts & { byCountry: (SupplyAmounts & { country: string })[] };
  intraEuB2b: SupplyAmounts & { byCountry: (SupplyAmounts & { country: string })[] };
  exports: SupplyAmounts & { byCountry: (SupplyAmounts & { country: string })[] };
  /** No ship-to country known: said, never guessed into a return. */
  unknown: SupplyAmounts;
}

/** One row of the totals: a (country, VAT id, rate, currency) group on both sides. */
export interface MonthTotal {
  country: string;
  vatId: string;
  /** Percent as Visma shows it, when known. */
  rate?: number;
  currency: string;
  visma: { taxable: Minor; vat: Minor; taxableBase: Minor; vatBase: Minor };
  avatax: { taxable: Minor; vat: Minor; taxableBase: Minor; vatBase: Minor };
  documents: number;
}

export interface Reconciliation {
  month: string;
  from: string;
  to: string;
  generatedAt: string;
  baseCurrency?: string;
  tolerance: Minor;
  counts: Record<Bucket, number>;
  clean: boolean;
  documents: ReconciledDocument[];
  totals: MonthTotal[];
  /**
   * Reported VAT in base currency on each side (released in Visma, committed in AvaTax, each side in the month it
   * dates the document), and their difference (Visma − AvaTax). All supplies: not the figure a return is filed
   * from (see `vatReturn`).
   */
  vatBase: { visma: Minor; avatax: Minor; difference: Minor };
  /** Visma's books of the month, apart per return: domestic, OSS per country, intra-EU B2B, exports. */
  vatReturn: VatReturn;
  /** Documents whose base-currency figures are missing (no exchange rate anywhere). */
  withoutRate: number;
  /** Things the reconciliation could not read (Visma rows it could not parse), each blocking. */
  problems: Reason[];
  /**
   * Why what the two systems listed may not be the whole month (a listing short of its own count, documents the
   * ledger or the other side knows that a listing left out, another company's transactions…): any doubt keeps
   * the month from being clean ("incomplete: …").
   */
  incomplete: Reason[];
  closed?: MonthClosing;
}

/** A month the accountant closed: when, by whom, and what the close check saw. */
export interface MonthClosing {
  month: string;
  closedAt: string;
  by: string;
  counts: Record<Bucket, number>;
  /** Visma's reported VAT of every supply, in base currency. */
  vatBase: Minor;
  /** The domestic return's VAT and the OSS return's, apart (closings since issue 15). */
  domesticVat?: Minor;
  ossVat?: Minor;
  note?: string;
}

/** A reason the audit trail keeps (reopen, void, accept, adjust, a close note): at most this many characters. */
export const REASON_MAX = 500;

/** The characters of a text a person can see: spaces, zero-width and direction marks and other controls do not count. */
export function visibleText(text: string): string {
  return text.replace(/[\s\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800]/gu, '');
}

/**
 * What is wrong with a reason, in words, or undefined when it is one: at least three visible characters (a reason
 * made of zero-width spaces says nothing), at most REASON_MAX characters. The one check for the CLI, the desk and
 * the engine.
 */
export function reasonProblem(text: string | undefined): Reason | undefined {
  const t = (text ?? '').trim();
  if ([...t].length > REASON_MAX) return reason('why-too-long', { max: REASON_MAX, length: [...t].length });
  if ([...visibleText(t)].length < 3) return reason('why-too-short');
  return undefined;
}

/** A change to a document of a closed month, kept until someone has looked at it. */
export interface ClosedMonthChange {
  month: string;
  key: string;
  referenceNumber: string;
  at: string;
  /** What changed, and that the month was closed (a code; English text in a state file from before codes). */
  detail: StoredReason;
}

/** One bucket's line of the summary: how many documents, and the VAT on each side in base currency. */
export interface BucketTotal {
  bucket: Bucket;
  documents: number;
  /** Visma's VAT of the bucket's documents Visma dates in the month. */
  vismaVat: Minor;
  /** AvaTax's figure (as the rows show it) of the bucket's documents AvaTax dates in the month. */
  avataxVat: Minor;
  /** Visma − AvaTax. */
  difference: Minor;
  /** Documents without base-currency figures (no exchange rate): not in the sums. */
  withoutRate: number;
}

/**
 * Per bucket, in integer minor units of the base currency: the same figures as the documents' rows (each side in
 * the month it dates the document), so a bucket's variance is the sum of its rows' variances in that month.
 */
export function bucketTotals(r: Pick<Reconciliation, 'documents'>): BucketTotal[] {
  return BUCKETS.map((bucket) => {
    const docs = r.documents.filter((d) => d.bucket === bucket);
    let vismaVat = 0;
    let avataxVat = 0;
    let withoutRate = 0;
    for (const d of docs) {
      const v = d.visma?.inMonth !== false ? d.variance.vismaBase : 0;
      const a = d.avatax ? (d.avatax.inMonth ? d.variance.avataxBase : 0) : 0;
      if (v === undefined || a === undefined) withoutRate++;
      vismaVat += v ?? 0;
      avataxVat += a ?? 0;
    }
    return { bucket, documents: docs.length, vismaVat, avataxVat, difference: vismaVat - avataxVat, withoutRate };
  });
}

export function emptyBucketCounts(): Record<Bucket, number> {
  return { matched: 0, differs: 0, onlyInVisma: 0, onlyInAvatax: 0, uncommitted: 0, accepted: 0 };
}

/** A month written YYYY-MM, of a year a company's books can hold (1900–9999: Visma refuses year 0000). */
export function isMonth(month: string): boolean {
  return /^(19|[2-9]\d)\d{2}-(0[1-9]|1[0-2])$/.test(month);
}

/** `2026-11` → first and last day. */
export function monthRange(month: string): { from: string; to: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`Month must look like 2026-11, not "${month}"`);
  const year = Number(m[1]);
  const index = Number(m[2]);
  const last = new Date(Date.UTC(year, index, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/* ---- The dry run, the backfill and their date ranges, as the desk and the CLI see them ---- */

/** Invoice or credit note: the kinds of document the dry run and the backfill read from Visma. */
export type DocumentKind = 'invoice' | 'credit-note' | 'debit-note';

/**
 * A range of document dates (YYYY-MM-DD, both ends included), as the dry run and the backfill take it. At most
 * two years: a longer one is nearly always a typo in the year, and would read years of documents from Visma.
 */
export interface DateRange {
  from: string;
  to: string;
}

export const MAX_RANGE_DAYS = 731;

/** The fastest pace a backfill may be given, in documents per minute. */
export const MAX_BACKFILL_PER_MINUTE = 1000;

/** What is wrong with a range, in words, or undefined when it is a good one. */
export function rangeProblem(from: string | undefined, to: string | undefined): string | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) return 'Give both ends of the range: --from YYYY-MM-DD --to YYYY-MM-DD';
  for (const [option, value] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (!isRealDate(value))
      return `${option} must be a date such as 2026-11-01, not ${JSON.stringify(value.slice(0, 40))}`;
  if (from > to) return `--from ${from} is after --to ${to}: the range must start before it ends`;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS)
    return `${from} to ${to} is ${days} days: take at most two years (${MAX_RANGE_DAYS} days) at a time`;
  return undefined;
}

/**
 * The dry run: what AvaTax would calculate for a set of documents, against the VAT Visma booked, per document
 * and per currency, for onboarding, a rate change or a new mapping row. Each document goes through the sync's
 * own reading (ship-to, tax inputs, address check) and AvaTax calculates it as an estimate (`SalesOrder`, a
 * credit note `ReturnOrder`): nothing is recorded in AvaTax, nothing is written to Visma, no ledger row changes.
 * The run leaves one audit entry with its counts.
 */
export interface DryRunSelection {
  range?: DateRange;
  customer?: string;
  /** Only documents not yet released in Visma (Hold, Balanced). */
  unreleased?: boolean;
}

/** One VAT id: what Visma booked and what AvaTax calculates (mapped through the VAT mapping), in minor units. */
export interface DryRunVatLine {
  vatId: string;
  bookedTaxable: Minor;
  bookedVat: Minor;
  calculatedTaxable: Minor;
  calculatedVat: Minor;
  /** bookedVat − calculatedVat: Visma − AvaTax, the one sign month-end uses everywhere. */
  difference: Minor;
}

export interface DryRunDocument {
  documentType: DocumentKind;
  referenceNumber: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  currency: string;
  /** Visma's status (Hold, Balanced, Open, Closed). */
  status: string;
  /** Where the ledger has it, when the sync has seen it. */
  ledgerState?: DocumentState;
  /** Signed as sales: a credit note's VAT is negative. Null when Visma's VAT could not be read. */
  bookedVat: Minor | null;
  /** AvaTax's total for the document; null when it was not calculated (see problems). */
  calculatedVat: Minor | null;
  /** bookedVat − calculatedVat (Visma − AvaTax); null unless both are known. */
  difference: Minor | null;
  /** AvaTax's VAT differs from Visma's, in total or on any VAT id (amount or taxable amount). */
  differs: boolean;
  lines: DryRunVatLine[];
  /** Each VAT id that differs, as a reason with both figures and its likely cause. */
  explanations: Reason[];
  /** Why it was not calculated, or what the sync would stop at (flagged address, unmapped line…). */
  problems: Reason[];
}

/** Per currency; the VAT sums cover the documents AvaTax calculated (`calculated` of them). */
export interface DryRunTotal {
  currency: string;
  documents: number;
  calculated: number;
  bookedVat: Minor;
  calculatedVat: Minor;
  difference: Minor;
  /** Documents whose VAT differs from what Visma booked. */
  differing: number;
  /** Documents with a problem. */
  withProblems: number;
}

export interface DryRunResult {
  runId: string;
  at: string;
  selection: DryRunSelection;
  documents: DryRunDocument[];
  totals: DryRunTotal[];
  /** About the run as a whole: VAT mapping rows refused, items Visma sent that could not be read. */
  notes: Reason[];
}

/** A backfill's progress while it runs. */
export interface BackfillProgress {
  done: number;
  total: number;
  /**
   * Documents left × the time a document has taken in this run: one sent takes at least the pace's interval, one
   * already recorded what it took, in the proportion seen so far (before the first: the interval).
   */
  etaSeconds: number;
  /** The document just finished. */
  reference?: string;
  /** The month (YYYY-MM) the backfill is in: the just finished document's, or before the first, the first's. */
  month?: string;
}

/** What the desk shows of a backfill: as the data folder keeps it, whether it runs, its progress while it does. */
export interface BackfillView {
  id: string;
  from: string;
  to: string;
  perMinute: number;
  status: 'running' | 'paused' | 'completed';
  startedAt: string;
  pausedAt?: string;
  finishedAt?: string;
  cursor?: string;
  done: number;
  total: number;
  counts: Record<string, number>;
  lastError?: string;
  running: boolean;
  progress?: BackfillProgress;
}
