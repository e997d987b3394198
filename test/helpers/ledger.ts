import type { LedgerDocument } from '../../shared/domain.js';

/** A posted Swedish invoice as the ledger holds it, for store and report tests. */
export function ledgerDoc(ref: string, date: string, overrides: Partial<LedgerDocument> = {}): LedgerDocument {
  return {
    key: `invoice:${ref}`,
    documentType: 'invoice',
    referenceNumber: ref,
    customerNumber: '10001',
    customerName: 'Åkesson & Söner AB',
    documentDate: date,
    currency: 'SEK',
    amount: 10000,
    recordedTax: 2500,
    bookedTax: 2500,
    state: 'posted',
    reasons: [],
    fingerprint: 'f',
    vismaStatus: 'Open',
    vismaTimeStamp: 'AAAA',
    vismaLastModified: `${date}T10:00:00.000`,
    avataxCode: `VN-INV-${ref}`,
    country: 'SE',
    lines: [],
    writtenBack: true,
    attempts: 1,
    firstProcessedAt: `${date}T10:00:00.000Z`,
    lastProcessedAt: `${date}T10:00:00.000Z`,
    ...overrides,
  };
}
