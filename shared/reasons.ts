import type { Minor } from './money.js';

/**
 * What the user reads about a document, a run or a month is carried as a **code with parameters**, never as a
 * sentence built in main: the ledger, the audit trail, IPC and the reconciliation keep `Reason`s, and the
 * renderer (and a CSV, in the export's language) renders them with `formatReason` from the catalogues in
 * `shared/i18n/reasons.*.json`, with the language's numbers, dates and currency.
 *
 * Adding a reason: a code (kebab-case, no dots) in all four catalogues with the same `{{placeholders}}`
 * (`test/shared/reasons.test.ts` checks), and `reason('the-code', { … })` where it is decided. A figure goes in as
 * a typed value (`money(…)`, `date(…)`, `rate(…)`) so each language formats it its own way.
 */

/** A figure inside a reason: formatted by the reader's language, never pre-formatted in main. */
export type ReasonValue =
  | string
  | number
  | boolean
  /** An amount in minor units with its currency: "9 451,25 SEK" in Swedish, "SEK 9,451.25" in English. */
  | { money: Minor; currency: string }
  /** A day (YYYY-MM-DD) or an instant (ISO 8601). */
  | { date: string }
  /** A month, YYYY-MM: "november 2026". */
  | { month: string }
  /** A rate as a fraction: 0.25 → "25 %". */
  | { rate: number }
  /** Other reasons, rendered one after another ("; "). */
  | { reasons: Reason[] }
  /** Plain values listed with the language's list format ("A, B and C"). */
  | { list: string[] };

export interface Reason {
  code: string;
  params?: Record<string, ReasonValue>;
}

/** A reason as stored by a version before codes: its English text, shown as it is. */
export type StoredReason = Reason | string;

export function reason(code: string, params?: Record<string, ReasonValue>): Reason {
  return params && Object.keys(params).length > 0 ? { code, params } : { code };
}

export const money = (minor: Minor, currency: string): ReasonValue => ({ money: minor, currency });
export const day = (iso: string): ReasonValue => ({ date: iso });
export const monthValue = (month: string): ReasonValue => ({ month });
export const rate = (fraction: number): ReasonValue => ({ rate: fraction });
export const reasons = (list: readonly Reason[]): ReasonValue => ({ reasons: [...list] });
export const list = (items: readonly string[]): ReasonValue => ({ list: [...items] });

/** AvaTax's document statuses the catalogues name (DocumentStatus in the AvaTax REST v2 reference). */
const AVATAX_STATUSES = ['Saved', 'Posted', 'Committed', 'Cancelled', 'Adjusted', 'Temporary'] as const;

/** An AvaTax document status in the reader's words ("bekräftad" for Committed); one we do not know, as it is. */
export function avataxStatus(status: string): ReasonValue {
  return (AVATAX_STATUSES as readonly string[]).includes(status)
    ? { reasons: [{ code: `avatax-status-${status.toLowerCase()}` }] }
    : status;
}

export function isReason(value: unknown): value is Reason {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Reason).code === 'string' &&
    ((value as Reason).params === undefined || typeof (value as Reason).params === 'object')
  );
}

/** A stored reason of either shape as a `Reason` (old English text keeps its words under the `text` code). */
export function asReason(stored: StoredReason): Reason {
  return typeof stored === 'string' ? { code: 'text', params: { text: stored } } : stored;
}
