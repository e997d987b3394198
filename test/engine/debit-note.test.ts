import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toMinor } from '../../shared/money.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { committedMismatches, watchPuts } from '../helpers/promise.js';

/**
 * Visma's customer debit notes (`/v1/customerDebitNote`) carry VAT like invoices: they are synced like invoices,
 * as AvaTax SalesInvoices with positive amounts under their own document code (VN-DBN-<number>).
 */
describe('debit notes, against the sandboxes', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 2, debitNotes: 12 });
  });
  afterEach(() => w.close());

  const debits = () => w.sandboxes.visma.state.documents.filter((d) => d.kind === 'debit-note');

  it('are synced like invoices: SalesInvoice, positive amounts, VN-DBN codes, debit-note ledger keys', async () => {
    const puts = watchPuts(w);
    await w.engine.run('user');
    const synced = debits().filter((d) => ['Hold', 'Balanced', 'Open', 'Closed'].includes(d.status));
    expect(synced.length).toBeGreaterThan(3);
    for (const d of synced) {
      const row = await w.store.ledger.get(`debit-note:${d.referenceNumber}`);
      expect(row, d.referenceNumber).toBeDefined();
      expect(row!.documentType).toBe('debit-note');
      expect(row!.avataxCode).toBe(`VN-DBN-${d.referenceNumber}`);
      expect(row!.amount).toBeGreaterThan(0);
      if (row!.state === 'flagged') continue;
      const tx = w.sandboxes.avatax.find(`VN-DBN-${d.referenceNumber}`, 'SalesInvoice');
      expect(tx, d.referenceNumber).toBeDefined();
      for (const l of tx!.request.lines as { amount: number }[]) expect(l.amount).toBeGreaterThanOrEqual(0);
      expect(toMinor(tx!.model.totalTax as number)).toBe(row!.recordedTax);
      if (d.status === 'Open' || d.status === 'Closed') expect(tx!.status).toBe('Committed');
    }
    expect(puts.released).toEqual([]);
    expect(committedMismatches(w)).toEqual([]);
    expect(await w.store.state.watermark('debit-note')).toBeDefined();
  });

  it('an unreleased one gets its VAT written back and read back, and is committed once released', async () => {
    const base = debits().find((d) => /^1000[2-9]$/.test(d.customer.number) && d.location?.id !== 'OSLO')!;
    const d = w.sandboxes.visma.editDocument('debit-note', base.referenceNumber, (x) => {
      x.status = 'Balanced';
      x.hold = false;
      x.customerVatZoneId = '01';
      for (const l of x.lines) {
        l.inventoryNumber = 'VERKTYG-100';
        l.vatCode = { id: 'BOOK', description: 'BOOK' };
      }
    });
    const [result] = await w.engine.reprocess([d.referenceNumber], 'user');
    expect(result).toMatchObject({ documentType: 'debit-note', state: 'calculated' });
    const row = (await w.store.ledger.get(`debit-note:${d.referenceNumber}`))!;
    expect(row.writtenBack).toBe(true);
    expect(row.bookedTax).toBe(row.calculatedTax);
    expect(row.bookedTax).toBeGreaterThan(0);
    expect(w.sandboxes.visma.find('debit-note', d.referenceNumber)!.lines[0]!.vatCode?.id).toBe('STD');
    const puts = w.sandboxes.visma.server.log.filter((e) => e.method === 'PUT').map((e) => e.path);
    expect(puts).toContain(`/v1/customerDebitNote/${d.referenceNumber}`);
    w.sandboxes.visma.releaseDocument('debit-note', d.referenceNumber);
    await w.engine.run('user');
    expect((await w.store.ledger.get(`debit-note:${d.referenceNumber}`))!.state).toBe('posted');
    expect(w.sandboxes.avatax.find(`VN-DBN-${d.referenceNumber}`)!.status).toBe('Committed');
    expect(committedMismatches(w)).toEqual([]);
  });
});
