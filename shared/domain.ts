import type { DocumentType } from './document-code.js';
import type { Minor } from './money.js';
import type { StoredReason } from './reasons.js';

/**
 * Where a Visma document stands. `calculated`: AvaTax holds it uncommitted and Visma booked exactly that VAT,
 * waiting for Visma to release it. `posted`: committed in AvaTax with the VAT Visma booked (an accepted variance
 * is posted too, with its acceptance recorded). `voided`: voided or deleted in Visma, voided in AvaTax.
 */
export const DOCUMENT_STATES = [
  'pending',
  'flagged',
  'needs-attention',
  'pending-retry',
  'calculated',
  'posted',
  'voided',
] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

export const STATE_LABELS: Record<DocumentState, string> = {
  pending: 'Pending',
  flagged: 'Flagged address',
  'needs-attention': 'Needs attention',
  'pending-retry': 'Waiting to retry',
  calculated: 'Calculated, awaiting release',
  posted: 'Posted',
  voided: 'Voided',
};

export type Actor = 'scheduler' | 'user' | 'cli';

export interface ShipTo {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/** Where the ship-to address came from: the invoice's own location, or the customer's addresses. */
export type ShipToSource = 'location' | 'delivery-address' | 'main-address';

/** AvaTax's result for one line, mapped to Visma: what it recorded and what it calculated itself. */
export interface LineResult {
  lineNumber: number;
  amount: Minor;
  taxableAmount: Minor;
  /** The tax AvaTax recorded (its own figure, or the VAT Visma booked when that was recorded as an override). */
  tax: Minor;
  /** AvaTax's own calculation. */
  taxCalculated: Minor;
  rate: number;
  /** The country that taxes the line (AvaTax's details); `country` below is where it is shipped. */
  taxCountry: string;
  country: string;
  reverseCharge: boolean;
  vatZoneId?: string;
  vatCategoryId?: string;
  vatId?: string;
  taxCode?: string;
  /** The item code AvaTax recorded for the line: '' for none; absent in rows written before item codes were kept. */
  itemCode?: string;
}

/** VAT per Visma VAT id: what Visma booked, or what AvaTax calculated or recorded, in document currency. */
export interface VatLine {
  vatId: string;
  taxable: Minor;
  vat: Minor;
  /** Percent as Visma shows it, when known. */
  rate?: number;
}

/** A variance the user accepted as booked: the document is posted with Visma's VAT. */
export interface Acceptance {
  reason: string;
  /**
   * Who accepted it, in the audit trail's words: the person's name, 'schedule' or 'command line' (rows written
   * before names were kept say the actor: 'user', 'scheduler', 'cli').
   */
  by: string;
  at: string;
  bookedTax: Minor;
  calculatedTax: Minor;
  /** The tax inputs and booked VAT it was accepted for: a later change needs a new decision. */
  fingerprint: string;
  /**
   * Set when no one accepted this document by hand: the sync derived it. `reversal`: a credit note reversing an
   * invoice exactly as Visma booked it (with the invoice's own acceptance, when someone accepted that one, which
   * `by` and `reason` then repeat); `correction`: an invoice settled by the credit note that reverses it. Without
   * a person, `by` is 'Visma' (its correction settled it) and `reason` says so in English.
   */
  origin?: AcceptanceOrigin;
}

export type AcceptanceOrigin =
  | { kind: 'reversal'; invoice: string; accepted?: { by: string; at: string; reason: string } }
  | { kind: 'correction'; creditNote: string };

/** One row of the ledger: what the app knows of a Visma document. */
export interface LedgerDocument {
  key: string;
  documentType: DocumentType;
  referenceNumber: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  currency: string;
  /** The document's gross total in its currency (signed: a credit note is negative, as AvaTax signs it). */
  amount: Minor;
  /** Net of VAT, signed the same way. */
  netAmount?: Minor;
  /** Visma's exchange rate to the company's base currency (1 for the base currency itself). */
  exchangeRate?: number;
  state: DocumentState;
  /** Why it is in its state: codes with parameters (rows written before codes keep their English text). */
  reasons: StoredReason[];
  fingerprint: string;
  vismaStatus: string;
  vismaTimeStamp: string;
  vismaLastModified: string;
  vatZoneId?: string;
  avataxCode: string;
  avataxId?: number;
  avataxStatus?: string;
  /** The fingerprint of the tax inputs AvaTax's document was made from (what it committed, when committed). */
  avataxFingerprint?: string;
  country: string;
  shipTo?: ShipTo;
  shipToSource?: ShipToSource;
  locationId?: string;
  vatNumber?: string;
  suggestedAddress?: ShipTo;
  lines: LineResult[];
  /** The VAT Visma booked, per VAT id; absent until the document was read with its tax details. */
  booked?: VatLine[];
  bookedTax?: Minor;
  /** AvaTax's own calculation per VAT id (mapped), absent until AvaTax calculated it. */
  calculated?: VatLine[];
  calculatedTax?: Minor;
  /** What AvaTax recorded for the document (its totalTax). */
  recordedTax?: Minor;
  acceptance?: Acceptance;
  /** Already released in Visma when the sync first saw it: its VAT could not be set before it was booked. */
  seenReleased?: boolean;
  writtenBack: boolean;
  attempts: number;
  lastError?: { code: string; message: string; correlationId?: string };
  firstProcessedAt: string;
  lastProcessedAt: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  runId: string;
  actor: Actor;
  action: AuditAction;
  documentKey?: string;
  referenceNumber?: string;
  /** What happened, as a code with parameters (entries written before codes keep their English text). */
  detail: StoredReason;
  data?: Record<string, string | number | boolean | null>;
}

export const AUDIT_ACTIONS = [
  'run-started',
  'run-finished',
  'run-cancelled',
  'fetched',
  'address-checked',
  'flagged',
  'calculated',
  'written-back',
  'committed',
  'awaiting-release',
  'already-posted',
  'skipped',
  'retried',
  'failed',
  'needs-attention',
  'reprocessed',
  'address-fixed',
  'exported',
  'settings-changed',
  'credentials-changed',
  'watermark-advanced',
  'recovered',
  'data-file-damaged',
  'variance',
  'accepted',
  'adjusted',
  'voided',
  'released',
  'verified',
  'reconciled',
  'month-closed',
  'month-reopened',
  'closed-month-changed',
  'dry-run',
  'backfill',
  'repaired',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const SUMMARY_KEYS = [
  'fetched',
  'calculated',
  'posted',
  'alreadyPosted',
  'flagged',
  'needsAttention',
  'pendingRetry',
  'writtenBack',
  'skipped',
  'voided',
] as const;
export type RunCounts = Record<(typeof SUMMARY_KEYS)[number], number>;

/** What a job was: a sync run, or one of the user's actions on documents. */
export type JobKind =
  | 'sync'
  | 'reprocess'
  | 'accept'
  | 'adjust'
  | 'fix-address'
  | 'reconcile'
  | 'close-month'
  | 'void'
  | 'dry-run'
  | 'backfill'
  | 'repair';

export interface RunSummary extends RunCounts {
  runId: string;
  kind?: JobKind;
  actor: Actor;
  /**
   * Who ran it, in the audit trail's words: the person's name for a user, 'schedule', 'command line'. Absent in
   * runs recorded before names were kept: the actor says who.
   */
  by?: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'completed' | 'cancelled' | 'failed';
  error?: string;
  /** The run stopped because this service did not answer for several documents in a row. */
  unreachable?: { service: string; message: string };
}

export interface RunProgress {
  runId: string;
  done: number;
  total: number;
  step: string;
}

export function emptyCounts(): RunCounts {
  return {
    fetched: 0,
    calculated: 0,
    posted: 0,
    alreadyPosted: 0,
    flagged: 0,
    needsAttention: 0,
    pendingRetry: 0,
    writtenBack: 0,
    skipped: 0,
    voided: 0,
  };
}
