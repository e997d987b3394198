import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { promiseKept } from '../helpers/invariants.js';

/** Product bugs the soak (scripts/soak.ts) found, each replayed here one step at a time. */
describe('found by the soak', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 3 });
  });
  afterEach(() => w.close());

  /**
   * Was a bug (recorder.ts `corrected`, fixed by decide.ts `correctionResolves`): a credit note that reverses an invoice "as it was booked"
   * turns the invoice from needs attention into posted, whatever it was waiting for. When it waited because it
   * was changed in Visma after AvaTax committed it, AvaTax still records the VAT of before the change, while the
   * credit note reverses the VAT of after it: AvaTax's month is off by the difference and the invoice is hidden as
   * posted. `reverses` compares the credit note with what Visma booked (`invoice.booked`), not with what AvaTax
   * recorded (`invoice.recordedTax`). Found by `npm run soak -- --short --seed 1`.
   */
  it('an invoice changed after its commit and then corrected in Visma stays in front of the user', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, commit: 'immediately' } };
    const visma = w.sandboxes.visma;
    const source = visma.state.documents.find(
      (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number) && x.location?.id !== 'OSLO',
    )!;
    const ref = source.referenceNumber;
    visma.editDocument('invoice', ref, (x) => {
      x.status = 'Balanced';
      x.hold = false;
      x.customerVatZoneId = '01';
      for (const l of x.lines) l.vatCode = { id: 'STD', description: 'STD' };
    });
    await w.engine.reprocess([ref], 'user');
    expect((await w.store.ledger.get(`invoice:${ref}`))?.state).toBe('posted');
    // Changed after the commit, then released: the invoice waits for Adjust.
    visma.editDocument('invoice', ref, (x) => {
      x.lines[0]!.quantity += 2;
      x.lines[0]!.amount = x.lines[0]!.unitPrice * x.lines[0]!.quantity;
      x.lines[0]!.amountInCurrency = x.lines[0]!.unitPriceInCurrency * x.lines[0]!.quantity;
      x.status = 'Open';
    });
    await w.engine.run('user');
    expect((await w.store.ledger.get(`invoice:${ref}`))?.state).toBe('needs-attention');
    // Someone corrects it in Visma instead: the credit note reverses the changed VAT.
    visma.correctDocument(ref);
    await w.engine.run('user');
    expect((await w.store.ledger.get(`invoice:${ref}`))?.state).toBe('needs-attention');
    const rows = await w.store.ledger.all();
    expect(
      promiseKept({ sandboxes: w.sandboxes, store: w.store, statuses: w.settingsNow.sync.statuses }, rows),
    ).toEqual([]);
  });
});
