import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

/** A document of the kind asked for, to a Swedish customer whose address is fine (customers 10001–10009). */
function documentOf(w: EngineWorld, kind: SandboxDocument['kind']): SandboxDocument {
  const good = /^1000[1-9]$/;
  return w.sandboxes.visma.state.documents.find((d) => d.kind === kind && good.test(d.customer.number))!;
}

function setLines(w: EngineWorld, doc: SandboxDocument, amounts: number[]): void {
  w.sandboxes.visma.editDocument(doc.kind, doc.referenceNumber, (d) => {
    d.status = 'Balanced';
    d.lines = amounts.map((amount, i) => ({
      ...d.lines[0]!,
      lineNumber: i + 1,
      inventoryNumber: 'VERKTYG-100',
      quantity: 1,
      unitPrice: amount,
      unitPriceInCurrency: amount,
      amount,
      amountInCurrency: amount,
      vatCode: null,
    }));
  });
}

function sentLines(w: EngineWorld, code: string): number[] {
  const create = w.sandboxes.avatax.server.log
    .filter((e) => e.method === 'POST' && /\/transactions\/create(oradjust)?$/.test(e.path))
    .map((e) => JSON.parse(e.body))
    .map((b) => b.createTransactionModel ?? b)
    .filter((m) => m.code === code)
    .at(-1);
  return create.lines.map((l: { amount: number }) => l.amount);
}

/** Defect: every line was sent as sign * |amount|, so discounts were added instead of taken off. */
describe('line amounts keep their own sign', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 20, creditNotes: 6 });
  });
  afterEach(() => w.close());

  it('an invoice with a discount line sends 1000 and -400: tax on 600, not on 1400', async () => {
    const doc = documentOf(w, 'invoice');
    setLines(w, doc, [1000, -400]);
    await w.engine.reprocess([doc.referenceNumber], 'user');
    expect(sentLines(w, `VN-INV-${doc.referenceNumber}`)).toEqual([1000, -400]);
    const tx = w.sandboxes.avatax.find(`VN-INV-${doc.referenceNumber}`)!;
    expect(tx.model.totalTax).toBe(150);
  });

  it('an invoice that totals -500 goes as -500', async () => {
    const doc = documentOf(w, 'invoice');
    setLines(w, doc, [-500]);
    await w.engine.reprocess([doc.referenceNumber], 'user');
    expect(sentLines(w, `VN-INV-${doc.referenceNumber}`)).toEqual([-500]);
  });

  it('a credit note negates its lines as they are', async () => {
    const doc = documentOf(w, 'credit-note');
    setLines(w, doc, [300, -100]);
    await w.engine.reprocess([doc.referenceNumber], 'user');
    expect(sentLines(w, `VN-CRN-${doc.referenceNumber}`)).toEqual([-300, 100]);
  });
});
