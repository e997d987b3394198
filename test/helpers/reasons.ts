import { formatReason } from '../../shared/reason-format.js';
import type { StoredReason } from '../../shared/reasons.js';

/** A stored reason (a code, or English text from before codes) in English words, for assertions. */
export function text(reason: StoredReason | undefined): string {
  return reason === undefined ? '' : formatReason(reason, 'en');
}
