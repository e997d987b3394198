import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toRow } from '../../electron/app/document-row.js';
import { exportView } from '../../electron/report/view-export.js';
import { openStore } from '../../electron/store/index.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { ledgerDoc } from '../helpers/ledger.js';

/** Issue 15 #10: two exports of the Transactions view in the same second each keep their own file. */
describe('the Transactions view export', () => {
  it('never overwrites an earlier export of the same second', async () => {
    const clock = testClock();
    const store = await openStore(tempDir(), { now: clock.now });
    const out = tempDir('taxsync-view-');
    const view = (ref: string) => ({
      rows: [toRow(ledgerDoc(ref, '2026-11-10'))],
      sort: { column: 'ref', direction: 'asc' } as const,
      columns: ['ref', 'amount'] as const,
      filters: 'test',
    });
    const now = new Date('2026-11-28T12:00:00.000Z');
    const first = await exportView(store, out, ',', { ...view('260001'), columns: ['ref', 'amount'] }, now);
    const second = await exportView(store, out, ',', { ...view('260002'), columns: ['ref', 'amount'] }, now);
    expect(second.documentsFile).not.toBe(first.documentsFile);
    expect(readFileSync(first.documentsFile, 'utf8')).toContain('260001');
    expect(readFileSync(second.documentsFile, 'utf8')).toContain('260002');
    expect(readdirSync(out).sort()).toEqual([
      'transactions-2026-11-28-120000-2.csv',
      'transactions-2026-11-28-120000.csv',
    ]);
    await store.close();
  });
});
