import type { Acceptance } from './domain.js';
import { type Reason, reason } from './reasons.js';

/**
 * How an acceptance the sync derived is said (the audit's and the detail panel's words, in the reader's language);
 * undefined for one a person made.
 */
export function derivedAcceptanceReason(acceptance: Acceptance): Reason | undefined {
  const o = acceptance.origin;
  if (!o) return undefined;
  if (o.kind === 'correction') return reason('acceptance-corrected', { creditNote: o.creditNote });
  if (o.accepted)
    return reason('acceptance-carried-over', {
      by: o.accepted.by,
      invoice: o.invoice,
      at: { date: o.accepted.at.slice(0, 10) },
    });
  return reason('acceptance-reverses-invoice', { invoice: o.invoice });
}
