import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { avataxCreates, type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * A Swedish SE number saved for a German customer was accepted: the invoice went to AvaTax as intra-EU B2B under
 * it (0 %), and the number onto the EU sales list. A buyer VAT number must carry the customer's own country prefix.
 */
describe('a buyer VAT number of the wrong country', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 60, creditNotes: 0 });
  });
  afterEach(() => w.close());

  it('is refused with a reason: the invoice is flagged, nothing goes to AvaTax', async () => {
    const visma = w.sandboxes.visma;
    const customer = visma.state.customers.find((c) => c.name === 'Müller & Groß GmbH')!;
    visma.editCustomer(customer.number, (c) => {
      c.vatRegistrationId = 'SE556677889901';
    });
    for (const l of visma.state.locations.filter((x) => x.customerNumber === customer.number))
      l.vatRegistrationId = 'SE556677889901';
    const invoice = visma.state.documents.find(
      (d) => d.kind === 'invoice' && d.customer.number === customer.number && d.location?.id === 'MAIN',
    )!;
    visma.editDocument('invoice', invoice.referenceNumber, (d) => {
      d.status = 'Balanced';
      d.hold = false;
    });
    await w.engine.reprocess([invoice.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${invoice.referenceNumber}`))!;
    expect(row.state).toBe('flagged');
    expect(row.reasons.map(text)).toEqual([
      'VAT number SE556677889901 is a SE number, the seller’s own country’s: a customer in DE needs its own VAT number, starting with DE',
    ]);
    expect(avataxCreates(w).filter((c) => c.code === `VN-INV-${invoice.referenceNumber}`)).toEqual([]);
  });

  it('the customer’s own number is sent as the buyer’s (intra-EU B2B) and kept for the detail panel', async () => {
    const visma = w.sandboxes.visma;
    const customer = visma.state.customers.find((c) => c.name === 'Müller & Groß GmbH')!;
    const invoice = visma.state.documents.find(
      (d) => d.kind === 'invoice' && d.customer.number === customer.number && d.location?.id === 'MAIN',
    )!;
    await w.engine.reprocess([invoice.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${invoice.referenceNumber}`))!;
    expect(row.state).not.toBe('flagged');
    expect(row.vatNumber).toBe('DE123456789');
  });
});
