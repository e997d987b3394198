import type { DocumentType } from './document-code.js';
import type { Minor } from './money.js';

export const DOCUMENT_STATES = [
  'pending',
  'flagged',
  'needs-attention',
  'pending-retry',
  'calculated',
  'posted',
  'already-posted',
] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

export const STATE_LABELS: Record<DocumentState, string> = {
  pending: 'Pending',
  flagged: 'Flagged address',
  'needs-attention': 'Needs attention',
  'pending-retry': 'Pending retry',
  calculated: 'Calculated, awaiting commit',
  posted: 'Posted',
  'already-posted': 'Already posted',
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

export interface LineResult {
  lineNumber: number;
  amount: Minor;
  taxableAmount: Minor;
  tax: Minor;
  rate: number;
  country: string;
  vatCategoryId?: string;
  vatId?: string;
  taxCode?: string;
}

/** One row of the ledger: what the app knows of a Visma document. */
export interface LedgerDocument {
  key: string;
  documentType: DocumentType;
  referenceNumber: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  currency: string;
  amount: Minor;
  totalTax: Minor;
  state: DocumentState;
  reasons: string[];
  fingerprint: string;
  vismaStatus: string;
  vismaTimeStamp: string;
  vismaLastModified: string;
  avataxCode: string;
  avataxId?: number;
  avataxStatus?: string;
  country: string;
  shipTo?: ShipTo;
  suggestedAddress?: ShipTo;
  lines: LineResult[];
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
  detail: string;
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
] as const;
export type RunCounts = Record<(typeof SUMMARY_KEYS)[number], number>;

export interface RunSummary extends RunCounts {
  runId: string;
  actor: Actor;
  startedAt: string;
  finishedAt: string;
  outcome: 'completed' | 'cancelled' | 'failed';
  error?: string;
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
  };
}
