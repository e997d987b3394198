import type { DocumentState, LedgerDocument } from '../../shared/domain.js';
import type { Store } from '../store/index.js';

const STATES: DocumentState[] = [
  'posted',
  'posted',
  'posted',
  'calculated',
  'flagged',
  'needs-attention',
  'pending-retry',
  'voided',
];
const CUSTOMERS = [
  'Åkesson & Söner AB',
  'Ørsted Værktøj ApS',
  'Müller & Groß GmbH',
  'Kärnhuset Göteborg AB',
  'Hudson Hardware LLC',
  'Blåbær Ægir A/S',
];
const COUNTRIES = ['SE', 'DK', 'DE', 'SE', 'US', 'DK'];
const CURRENCIES = ['SEK', 'DKK', 'EUR', 'SEK', 'USD', 'DKK'];

/**
 * Fills a store with `count` plausible ledger documents (the 50,000-document performance fixture for the
 * virtualised table). Written through the real ledger, partitioned by month like any other data.
 */
export async function addBulkDocuments(store: Store, count: number, now: Date): Promise<void> {
  for (let i = 0; i < count; i++) {
    const c = i % CUSTOMERS.length;
    const date = new Date(now.getTime() - (i % 365) * 86_400_000).toISOString().slice(0, 10);
    const ref = String(900000 + i);
    const amount = 10_000 + ((i * 7919) % 500_000);
    const state = STATES[i % STATES.length]!;
    const doc: LedgerDocument = {
      key: `invoice:${ref}`,
      documentType: 'invoice',
      referenceNumber: ref,
      customerNumber: String(20000 + c),
      customerName: CUSTOMERS[c]!,
      documentDate: date,
      currency: CURRENCIES[c]!,
      amount,
      recordedTax: Math.round(amount * 0.25),
      bookedTax: Math.round(amount * 0.25),
      state,
      reasons: state === 'flagged' ? ['Postal code "5463" does not match the SE format (e.g. 411 24)'] : [],
      fingerprint: `bulk-${i}`,
      vismaStatus: 'Open',
      vismaTimeStamp: '',
      vismaLastModified: `${date}T12:00:00.000`,
      avataxCode: `VN-INV-${ref}`,
      country: COUNTRIES[c]!,
      lines: [],
      writtenBack: state === 'posted',
      attempts: 1,
      firstProcessedAt: `${date}T12:00:00.000Z`,
      lastProcessedAt: `${date}T12:00:00.000Z`,
    };
    await store.ledger.put(doc);
  }
  await store.checkpoint();
}
