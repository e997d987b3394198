import { bench, describe } from 'vitest';
import { openStore, type Store } from '../../electron/store/index.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Speed targets live here, not in unit tests: the cost of a checkpoint must not grow with the age of the
 * installation. Compare a store holding one month with one holding two years of history (2,000 documents
 * and their audit entries per month): writing 20 new documents of the current month should cost the same.
 */

function doc(i: number, month: string): LedgerDocument {
  const date = `${month}-${String((i % 28) + 1).padStart(2, '0')}`;
  return {
    key: `invoice:${month}-${i}`,
    documentType: 'invoice',
    referenceNumber: `${month.replace('-', '')}${i}`,
    customerNumber: '10001',
    customerName: 'Åkesson & Söner AB',
    documentDate: date,
    currency: 'SEK',
    amount: 100_000 + i,
    recordedTax: 25_000,
    bookedTax: 25_000,
    state: 'posted',
    reasons: [],
    fingerprint: 'f'.repeat(32),
    vismaStatus: 'Open',
    vismaTimeStamp: 'AAAAAE0YIiI=',
    vismaLastModified: `${date}T10:00:00.000`,
    avataxCode: `VN-INV-${i}`,
    avataxStatus: 'Committed',
    country: 'SE',
    lines: [
      {
        lineNumber: 1,
        amount: 100_000,
        taxableAmount: 100_000,
        tax: 25_000,
        taxCalculated: 25_000,
        rate: 0.25,
        taxCountry: 'SE',
        country: 'SE',
        reverseCharge: false,
        vatCategoryId: '01',
        vatId: 'MP1',
      },
    ],
    writtenBack: true,
    attempts: 1,
    firstProcessedAt: `${date}T10:00:00.000Z`,
    lastProcessedAt: `${date}T10:00:00.000Z`,
  };
}

async function storeWithHistory(months: number): Promise<Store> {
  const store = await openStore(tempDir('taxsync-bench-'), { now: testClock().now });
  for (let m = 0; m < months; m++) {
    const d = new Date(Date.UTC(2026, 9 - m, 1)); // October 2026 and back; the benchmark writes November
    const month = d.toISOString().slice(0, 7);
    for (let i = 0; i < 2000; i++) await store.ledger.put(doc(i, month));
    await store.checkpoint();
  }
  return store;
}

const fresh = await storeWithHistory(1);
const aged = await storeWithHistory(24);
let n = 0;

async function checkpointTwenty(store: Store): Promise<void> {
  for (let i = 0; i < 20; i++) await store.ledger.put(doc(100_000 + n++, '2026-11'));
  await store.audit.append({ runId: 'bench', actor: 'scheduler', action: 'run-finished', detail: 'bench' });
  await store.checkpoint();
}

describe('checkpoint cost does not grow with the installation’s age', () => {
  bench('1 month of history', () => checkpointTwenty(fresh), { iterations: 50 });
  bench('24 months of history', () => checkpointTwenty(aged), { iterations: 50 });
});
