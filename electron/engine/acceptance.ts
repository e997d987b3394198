import type { Acceptance, LedgerDocument } from '../../shared/domain.js';
import type { Minor } from '../../shared/money.js';

export { derivedAcceptanceReason } from '../../shared/acceptance.js';

/** Who an acceptance no person made is in the name of: Visma's correction settled it. */
export const SETTLED_BY_VISMA = 'Visma';

/**
 * A credit note that reverses its invoice exactly as Visma booked it. When someone accepted the invoice's
 * variance, the credit note carries that acceptance over (their name, their words, when); otherwise it is Visma's
 * correction, in no one's name.
 */
export function reversalAcceptance(
  invoice: Pick<LedgerDocument, 'referenceNumber' | 'acceptance'>,
  figures: { bookedTax: Minor; calculatedTax: Minor; fingerprint: string },
): Acceptance {
  const accepted = invoice.acceptance && !invoice.acceptance.origin ? invoice.acceptance : undefined;
  return {
    reason:
      accepted?.reason ??
      `Reverses invoice ${invoice.referenceNumber} exactly as Visma booked it (a correction in Visma)`,
    by: accepted?.by ?? SETTLED_BY_VISMA,
    at: '',
    ...figures,
    origin: {
      kind: 'reversal',
      invoice: invoice.referenceNumber,
      ...(accepted ? { accepted: { by: accepted.by, at: accepted.at, reason: accepted.reason } } : {}),
    },
  };
}

/** An invoice whose variance the credit note correcting it in Visma settled. */
export function correctionAcceptance(
  creditNote: string,
  figures: { bookedTax: Minor; calculatedTax: Minor; fingerprint: string; at: string },
): Acceptance {
  return {
    reason: `Corrected in Visma: credit note ${creditNote} reverses it as it was booked`,
    by: SETTLED_BY_VISMA,
    ...figures,
    origin: { kind: 'correction', creditNote },
  };
}
