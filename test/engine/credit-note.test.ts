import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoiceTaxCode } from '../../electron/engine/tax-inputs.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

describe("a credit note's line takes the tax code of the invoice line it credits", () => {
  const invoice = {
    date: '2026-10-01',
    lines: [
      { lineNumber: 1, itemCode: 'KAFFE-500', taxCode: 'PF050000' },
      { lineNumber: 2, itemCode: '', taxCode: 'FR010000' },
      { lineNumber: 3, itemCode: 'MIX', taxCode: 'P0000000' },
      { lineNumber: 4, itemCode: 'MIX', taxCode: 'PB100000' },
      { lineNumber: 5, taxCode: 'PF050000' },
    ],
  };

  it('by item code, whatever the line number (case and spaces aside)', () => {
    expect(invoiceTaxCode({ number: 7, itemCode: 'KAFFE-500' }, invoice)).toBe('PF050000');
    expect(invoiceTaxCode({ number: 7, itemCode: ' kaffe-500 ' }, invoice)).toBe('PF050000');
  });

  it('an item on lines with different codes: the same line number decides, or nothing is taken', () => {
    expect(invoiceTaxCode({ number: 4, itemCode: 'MIX' }, invoice)).toBe('PB100000');
    expect(invoiceTaxCode({ number: 1, itemCode: 'MIX' }, invoice)).toBeUndefined();
  });

  it('a line without an item: the same line number, only when that line had no item either', () => {
    expect(invoiceTaxCode({ number: 2 }, invoice)).toBe('FR010000');
    expect(invoiceTaxCode({ number: 1 }, invoice)).toBeUndefined();
    // A row recorded before item codes were kept says nothing about the item: no guess.
    expect(invoiceTaxCode({ number: 5 }, invoice)).toBeUndefined();
  });

  it('an item the invoice did not have: Settings decide', () => {
    expect(invoiceTaxCode({ number: 1, itemCode: 'LAMPA-LED' }, invoice)).toBeUndefined();
    expect(invoiceTaxCode({ number: 1, itemCode: 'KAFFE-500' }, { date: '2026-10-01' })).toBeUndefined();
  });
});

describe('a credit note that names its invoice, against the sandboxes', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 4 });
  });
  afterEach(() => w.close());

  it("carries the invoice's tax date, buyer VAT number and tax codes, even after Settings changed", async () => {
    const visma = w.sandboxes.visma;
    // A Swedish B2B invoice, unreleased, with one coffee line (food, 12 %).
    const base = visma.state.documents.find(
      (d) =>
        d.kind === 'invoice' &&
        d.customerVatZoneId === '01' &&
        d.location?.id === 'MAIN' &&
        visma.state.customers.find((c) => c.number === d.customer.number)?.vatRegistrationId,
    )!;
    const coffee = {
      ...base.lines[0]!,
      lineNumber: 1,
      inventoryNumber: 'KAFFE-500',
      quantity: 10,
      unitPriceInCurrency: 89.5,
      amountInCurrency: 895,
      vatCode: { id: 'FOOD', description: 'FOOD' },
    };
    const invoice = visma.editDocument('invoice', base.referenceNumber, (x) => {
      x.status = 'Balanced';
      x.hold = false;
      x.documentDate = '2026-10-01';
      x.lines = [coffee];
    });
    await w.engine.reprocess([invoice.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${invoice.referenceNumber}`))!;
    expect(row.state).toBe('calculated');
    expect(row.lines).toMatchObject([{ lineNumber: 1, itemCode: 'KAFFE-500', taxCode: 'PF050000' }]);

    // Coffee is taxed as standard goods from now on: new invoices change, the credit note of the old one not.
    const { ['KAFFE-500']: _gone, ...codes } = w.settingsNow.itemTaxCodes;
    w.settingsNow = { ...w.settingsNow, itemTaxCodes: codes };
    const creditBase = visma.state.documents.find((d) => d.kind === 'credit-note')!;
    const credit: SandboxDocument = visma.editDocument('credit-note', creditBase.referenceNumber, (x) => {
      x.customer = { ...invoice.customer };
      x.location = invoice.location ? { ...invoice.location } : null;
      x.customerVatZoneId = invoice.customerVatZoneId;
      x.currencyId = invoice.currencyId;
      x.exchangeRate = invoice.exchangeRate;
      x.status = 'Balanced';
      x.hold = false;
      x.documentDate = '2026-11-03';
      x.origInvoiceDate = null;
      x.lines = [{ ...coffee, lineNumber: 1, quantity: 2, amountInCurrency: 179 }];
      x.applications = [
        {
          docType: 'Invoice',
          customerCd: invoice.customer.number,
          refNbr: invoice.referenceNumber,
          amountPaid: 0,
          balance: 0,
          released: false,
          status: 'Balanced',
          applicationDate: '2026-11-03',
        },
      ];
    });
    const [result] = await w.engine.reprocess([credit.referenceNumber], 'user');
    const sent = w.sandboxes.avatax.server.log
      .filter((e) => e.method === 'POST' && e.path.endsWith('/transactions/create'))
      .map((e) => JSON.parse(e.body))
      .find((m) => m.code === `VN-CRN-${credit.referenceNumber}`);
    expect(sent.lines).toMatchObject([{ itemCode: 'KAFFE-500', taxCode: 'PF050000', amount: -179 }]);
    expect(sent.taxOverride).toMatchObject({ type: 'TaxDate', taxDate: '2026-10-01' });
    expect(sent.businessIdentificationNo).toBe(row.vatNumber);
    // Taxed at 12 %, as the sale was and as Visma books the FOOD line: nothing to write, calculated.
    expect(result!.state).toBe('calculated');
    const creditRow = (await w.store.ledger.get(`credit-note:${credit.referenceNumber}`))!;
    expect([creditRow.bookedTax, creditRow.calculatedTax]).toEqual([-2148, -2148]);
  });

  it('names no invoice (no applications): taxed as of its origInvoiceDate, with the customer’s VAT number, said in the audit', async () => {
    const visma = w.sandboxes.visma;
    const creditBase = visma.state.documents.find((d) => d.kind === 'credit-note' && d.customerVatZoneId === '01')!;
    const credit = visma.editDocument('credit-note', creditBase.referenceNumber, (x) => {
      x.status = 'Balanced';
      x.hold = false;
      x.documentDate = '2026-11-03';
      x.origInvoiceDate = '2026-09-30';
      x.applications = [];
    });
    await w.engine.reprocess([credit.referenceNumber], 'user');
    const sent = w.sandboxes.avatax.server.log
      .filter((e) => e.method === 'POST' && /\/transactions\/create(oradjust)?$/.test(e.path))
      .map((e) => JSON.parse(e.body))
      .map((b) => b.createTransactionModel ?? b)
      .find((m) => m.code === `VN-CRN-${credit.referenceNumber}`);
    expect(sent.taxOverride).toMatchObject({ type: 'TaxDate', taxDate: '2026-09-30' });
    const audit = await w.store.audit.forDocument(`credit-note:${credit.referenceNumber}`, w.store.audit.months());
    expect(audit.map((e) => text(e.detail)).join('\n')).toMatch(
      /names no invoice.*tax date 30\/09\/2026 \(its origInvoiceDate\).*customer’s current VAT number.*Settings/,
    );
  });

  it('released: recorded as booked with line TaxAmount overrides only (AvaTax takes no mix), its invoice’s date kept in the reference', async () => {
    const visma = w.sandboxes.visma;
    const invoice = visma.state.documents.find((d) => d.kind === 'invoice' && d.customerVatZoneId === '01')!;
    const creditBase = visma.state.documents.find((d) => d.kind === 'credit-note')!;
    const credit = visma.editDocument('credit-note', creditBase.referenceNumber, (x) => {
      x.customer = { ...invoice.customer };
      x.location = invoice.location ? { ...invoice.location } : null;
      x.customerVatZoneId = '01';
      x.currencyId = invoice.currencyId;
      x.exchangeRate = invoice.exchangeRate;
      x.status = 'Open';
      x.hold = false;
      x.documentDate = '2026-11-03';
      x.origInvoiceDate = '2026-10-01';
      x.lines = structuredClone(invoice.lines);
      x.applications = [];
    });
    expect(w.sandboxes.avatax.overrideMix).toBe('refuse');
    await w.engine.reprocess([credit.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`credit-note:${credit.referenceNumber}`))!;
    expect(row.state, row.reasons.join('; ')).not.toBe('pending-retry');
    expect(row.recordedTax).toBe(row.bookedTax);
    const tx = w.sandboxes.avatax.find(`VN-CRN-${credit.referenceNumber}`, 'ReturnInvoice')!;
    expect(tx.status).toBe('Committed');
    expect(tx.request.taxOverride).toBeUndefined();
    for (const l of tx.request.lines as { taxOverride?: { type: string } }[])
      expect(l.taxOverride?.type).toBe('TaxAmount');
    expect(tx.model.referenceCode).toBe('Return (tax date 2026-10-01)');
    // The next run sees the same inputs in what AvaTax holds: nothing to do.
    await w.engine.run('scheduler');
    const runId = w.store.state.lastRun()!.runId;
    const audit = await w.store.audit.forDocument(row.key, w.store.audit.months());
    expect(audit.filter((e) => e.runId === runId).map((e) => e.detail)).toEqual([]);
    expect((await w.store.ledger.get(row.key))!.state).toBe(row.state);
  });
});
