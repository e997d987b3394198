import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AvaTaxError, parseAvaTaxError } from '../../electron/connectors/avatax/errors.js';
import type { CreateTransactionModel } from '../../electron/connectors/avatax/types.js';
import { RetryableHttpError } from '../../electron/connectors/http.js';
import { createConnectors } from '../../electron/connectors/index.js';
import { readApiFixture } from '../helpers/fixtures.js';
import { startWorld, type TestWorld } from '../helpers/sandboxes.js';

const example = (name: string) => readApiFixture<Record<string, unknown>>(`examples/${name}`);

function invoice(code: string, overrides: Partial<CreateTransactionModel> = {}): CreateTransactionModel {
  return {
    type: 'SalesInvoice',
    code,
    companyCode: 'NORDVAST',
    date: '2026-11-20',
    customerCode: '10001',
    currencyCode: 'SEK',
    commit: false,
    addresses: {
      shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' },
      shipTo: { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' },
    },
    lines: [
      { number: '1', quantity: 2, amount: 1000, taxCode: 'P0000000', itemCode: 'VERKTYG-100' },
      { number: '2', quantity: 1, amount: 89.5, taxCode: 'PF050000', itemCode: 'KAFFE-500' },
      { number: '3', quantity: 1, amount: 349, taxCode: 'PB100000', itemCode: 'BOK-HANDB' },
    ],
    ...overrides,
  };
}

describe('AvaTax client against the sandbox', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('pings: authenticated with the right key, not with a wrong one', async () => {
    expect((await world.connectors().avatax.ping()).authenticated).toBe(true);
    const wrong = createConnectors(world.settings, { ...world.secrets, avalaraLicenseKey: 'WRONGKEY0000' });
    expect((await wrong.avatax.ping()).authenticated).toBe(false);
  });

  it('sends Basic auth and X-Avalara-Client', async () => {
    await world.connectors().avatax.ping();
    const req = world.sandboxes.avatax.server.log[0]!;
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('2001234567:DEMO4F1C9A7B2E6D').toString('base64')}`);
    expect(String(req.headers['x-avalara-client']).split('; ')).toHaveLength(5);
  });

  it('calculates Swedish VAT at 25 / 12 / 6 % per line', async () => {
    const tx = await world.connectors().avatax.createTransaction(invoice('VN-INV-T1'));
    expect(tx.status).toBe('Saved');
    expect(tx.lines!.map((l) => [l.lineNumber, l.tax, l.details![0]!.rate])).toEqual([
      ['1', 250, 0.25],
      ['2', 10.74, 0.12],
      ['3', 20.94, 0.06],
    ]);
    expect(tx.totalTax).toBe(281.68);
  });

  it('zero-rates intra-EU B2B with a VAT number and charges destination VAT to consumers', async () => {
    const { avatax } = world.connectors();
    const shipTo = { line1: 'Vesterbrogade 98', city: 'København V', postalCode: '1620', country: 'DK' };
    const b2b = await avatax.createTransaction(
      invoice('VN-INV-T2', {
        addresses: { shipFrom: { country: 'SE' }, shipTo },
        businessIdentificationNo: 'DK12345678',
        currencyCode: 'DKK',
      }),
    );
    expect(b2b.totalTax).toBe(0);
    const b2c = await avatax.createTransaction(
      invoice('VN-INV-T3', { addresses: { shipFrom: { country: 'SE' }, shipTo }, currencyCode: 'DKK' }),
    );
    expect(b2c.lines![0]!.details![0]!.rate).toBe(0.25);
    const de = await avatax.createTransaction(
      invoice('VN-INV-T4', {
        addresses: {
          shipFrom: { country: 'SE' },
          shipTo: { line1: 'Hauptstraße 5', city: 'Heidelberg', postalCode: '69117', country: 'DE' },
        },
        currencyCode: 'EUR',
      }),
    );
    expect(de.lines!.map((l) => l.details![0]!.rate)).toEqual([0.19, 0.07, 0.07]);
  });

  it('computes US sales tax by jurisdiction', async () => {
    const tx = await world.connectors().avatax.createTransaction(
      invoice('VN-INV-T5', {
        currencyCode: 'USD',
        addresses: {
          shipFrom: { country: 'SE' },
          shipTo: { line1: '100 Main St', city: 'Irvine', region: 'CA', postalCode: '92614', country: 'US' },
        },
        lines: [{ number: '1', amount: 100 }],
      }),
    );
    expect(tx.totalTax).toBe(7.75);
    expect(tx.lines![0]!.details).toHaveLength(4);
  });

  it('an estimate (SalesOrder / ReturnOrder) is calculated and never saved: not gettable, listed, committed or voided', async () => {
    const { avatax } = world.connectors();
    const state = world.sandboxes.avatax.state;
    await avatax.createTransaction(invoice('VN-INV-E0'));
    const before = JSON.stringify(state);
    const order = await avatax.estimateTransaction(invoice('VN-INV-E1', { type: 'SalesOrder' }));
    expect([order.status, order.id, order.totalTax]).toEqual(['Temporary', 0, 281.68]);
    // The same code as a document AvaTax holds: still only an estimate beside it.
    const same = await avatax.estimateTransaction(invoice('VN-INV-E0', { type: 'SalesOrder' }));
    expect(same.status).toBe('Temporary');
    const ret = await avatax.estimateTransaction(
      invoice('VN-CRN-E2', {
        type: 'ReturnOrder',
        lines: [{ number: '1', amount: -100 }],
        taxOverride: { type: 'TaxDate', taxDate: '2026-10-01', reason: 'Return' },
      }),
    );
    expect([ret.status, ret.totalTax]).toEqual(['Temporary', -25]);
    expect(JSON.stringify(state)).toBe(before);
    for (const [code, type] of [
      ['VN-INV-E1', 'SalesOrder'],
      ['VN-CRN-E2', 'ReturnOrder'],
    ] as const) {
      for (const call of [
        () => avatax.getTransaction(code, type),
        () => avatax.commitTransaction(code, type),
        () => avatax.voidTransaction(code, type),
      ])
        expect(((await call().catch((e) => e)) as AvaTaxError).kind).toBe('not-found');
    }
    const listed = await avatax.listTransactionPages('2026-11-01', '2026-11-30');
    expect(listed.flatMap((p) => p.value).map((t) => t.code)).toEqual(['VN-INV-E0']);
  });

  it('lists a month with its last day, whichever way AvaTax reads between; every page with its count', async () => {
    const { avatax } = world.connectors();
    for (const [code, date] of [
      ['VN-INV-L1', '2026-10-31'],
      ['VN-INV-L2', '2026-11-01'],
      ['VN-INV-L3', '2026-11-30'],
      ['VN-INV-L4', '2026-12-01'],
    ] as const)
      await avatax.createTransaction(invoice(code, { date }));
    const codes = async () =>
      (await avatax.listTransactionPages('2026-11-01', '2026-11-30'))
        .flatMap((p) => p.value)
        .filter((t) => t.code.startsWith('VN-INV-L'))
        .map((t) => t.code);
    // A ≤ date < B, as Avalara documents it: the last day is in, the next month's first is not.
    expect(await codes()).toEqual(['VN-INV-L2', 'VN-INV-L3']);
    world.sandboxes.avatax.betweenEnd = 'inclusive';
    try {
      // B included: one day more, which the month cuts off (read-month.ts); the last day is never missed.
      expect(await codes()).toEqual(['VN-INV-L2', 'VN-INV-L3', 'VN-INV-L4']);
    } finally {
      world.sandboxes.avatax.betweenEnd = 'exclusive';
    }
    const pages = await avatax.listTransactionPages('2026-11-01', '2026-11-30');
    expect(pages[0]!.recordsetCount).toBe(pages.flatMap((p) => p.value).length);
  });

  it('knows its company’s id, to refuse another company’s transactions', async () => {
    const { avatax } = world.connectors();
    const company = world.sandboxes.avatax.state.companies.find(
      (c) => c.companyCode === world.settings.avalara.companyCode,
    )!;
    expect(await avatax.companyId()).toBe(company.companyId);
  });

  it('refuses to send anything but an uncommitted estimate as an estimate', async () => {
    const { avatax } = world.connectors();
    await expect(avatax.estimateTransaction(invoice('VN-INV-E3'))).rejects.toThrow(/Not an estimate/);
    await expect(
      avatax.estimateTransaction(invoice('VN-INV-E3', { type: 'SalesOrder', commit: true })),
    ).rejects.toThrow(/Not an estimate/);
    expect(world.sandboxes.avatax.server.log.filter((e) => e.method === 'POST')).toEqual([]);
  });

  it('replaces a Saved code on re-create, refuses a Committed one with a DocStatus error', async () => {
    const { avatax } = world.connectors();
    await avatax.createTransaction(invoice('VN-INV-T6'));
    const again = await avatax.createTransaction(invoice('VN-INV-T6', { lines: [{ number: '1', amount: 10 }] }));
    expect(again.totalAmount).toBe(10);
    expect(world.sandboxes.avatax.state.transactions.filter((t) => t.code === 'VN-INV-T6')).toHaveLength(1);
    await avatax.commitTransaction('VN-INV-T6', 'SalesInvoice');
    const error = await avatax.createTransaction(invoice('VN-INV-T6')).catch((e) => e);
    expect(error).toBeInstanceOf(AvaTaxError);
    expect(error.kind).toBe('already-posted');
    expect(error.code).toBe('GetTaxError');
    const fetched = await avatax.getTransaction('VN-INV-T6', 'SalesInvoice');
    expect(fetched.status).toBe('Committed');
  });

  it('createoradjust adjusts a committed document (new version, old one Adjusted)', async () => {
    const { avatax } = world.connectors();
    await avatax.createTransaction(invoice('VN-INV-T7', { commit: true }));
    const adjusted = await avatax.createOrAdjustTransaction(
      invoice('VN-INV-T7', { commit: true, lines: [{ number: '1', amount: 50 }] }),
    );
    expect(adjusted.version).toBe(2);
    expect(adjusted.totalAmount).toBe(50);
    expect(
      world.sandboxes.avatax.state.transactions.filter((t) => t.code === 'VN-INV-T7').map((t) => t.status),
    ).toEqual(['Adjusted', 'Committed']);
  });

  it('AdjustTransaction: a reason and the user’s words kept on each version; refused without them', async () => {
    const { avatax } = world.connectors();
    await avatax.createTransaction(invoice('VN-INV-T9', { commit: true }));
    const adjusted = await avatax.adjustTransaction(
      'VN-INV-T9',
      'SalesInvoice',
      'ReconciledWithGeneralLedger',
      'Price corrected before release',
      invoice('VN-INV-T9', { commit: true, lines: [{ number: '1', amount: 50 }] }),
    );
    expect([adjusted.version, adjusted.status, adjusted.totalAmount]).toEqual([2, 'Committed', 50]);
    expect(adjusted.adjustmentReason).toBe('ReconciledWithGeneralLedger');
    expect(adjusted.adjustmentDescription).toBe('Price corrected before release');
    const again = await avatax.adjustTransaction(
      'VN-INV-T9',
      'SalesInvoice',
      'Other',
      'Second thoughts',
      invoice('VN-INV-T9', { commit: true, lines: [{ number: '1', amount: 60 }] }),
    );
    expect(again.version).toBe(3);
    const versions = world.sandboxes.avatax.state.transactions.filter((t) => t.code === 'VN-INV-T9');
    expect(versions.map((t) => [t.status, t.model.adjustmentReason, t.model.adjustmentDescription ?? null])).toEqual([
      ['Adjusted', 'NotAdjusted', null],
      ['Adjusted', 'ReconciledWithGeneralLedger', 'Price corrected before release'],
      ['Committed', 'Other', 'Second thoughts'],
    ]);
    const adjust = world.sandboxes.avatax.server.log.filter((e) => e.path.endsWith('/VN-INV-T9/adjust'));
    expect(adjust).toHaveLength(2);
    expect(JSON.parse(adjust[0]!.body)).toMatchObject({
      adjustmentReason: 'ReconciledWithGeneralLedger',
      adjustmentDescription: 'Price corrected before release',
      newTransaction: { code: 'VN-INV-T9' },
    });
    // 'Other' needs words; a document AvaTax does not hold cannot be adjusted.
    const wordless = await avatax
      .adjustTransaction('VN-INV-T9', 'SalesInvoice', 'Other', ' ', invoice('VN-INV-T9', { commit: true }))
      .catch((e) => e);
    expect(wordless.status).toBe(400);
    const missing = await avatax
      .adjustTransaction('VN-INV-NONE', 'SalesInvoice', 'Other', 'x', invoice('VN-INV-NONE'))
      .catch((e) => e);
    expect(missing.kind).toBe('not-found');
  });

  it('DocDeleted deletes an uncommitted document (gone, its code free again); a committed one is cancelled', async () => {
    const { avatax } = world.connectors();
    await avatax.createTransaction(invoice('VN-INV-D1'));
    await avatax.voidTransaction('VN-INV-D1', 'SalesInvoice', 'DocDeleted');
    expect(((await avatax.getTransaction('VN-INV-D1', 'SalesInvoice').catch((e) => e)) as AvaTaxError).kind).toBe(
      'not-found',
    );
    expect(world.sandboxes.avatax.state.transactions.filter((t) => t.code === 'VN-INV-D1')).toEqual([]);
    expect((await avatax.createTransaction(invoice('VN-INV-D1'))).status).toBe('Saved');
    await avatax.createTransaction(invoice('VN-INV-D2', { commit: true }));
    const committed = await avatax.voidTransaction('VN-INV-D2', 'SalesInvoice', 'DocDeleted');
    expect(committed.status).toBe('Cancelled');
    expect((await avatax.getTransaction('VN-INV-D2', 'SalesInvoice')).status).toBe('Cancelled');
  });

  it('voids (status Cancelled) and re-create then refuses', async () => {
    const { avatax } = world.connectors();
    await avatax.createTransaction(invoice('VN-INV-T8'));
    const voided = await avatax.voidTransaction('VN-INV-T8', 'SalesInvoice');
    expect(voided.status).toBe('Cancelled');
    const error = await avatax.createTransaction(invoice('VN-INV-T8')).catch((e) => e);
    expect(error.kind).toBe('already-posted');
  });

  it('escapes codes with / and # in paths and finds them again', async () => {
    const { avatax } = world.connectors();
    await avatax.createTransaction(invoice('VN-INV-2026/11#7'));
    const got = await avatax.getTransaction('VN-INV-2026/11#7', 'SalesInvoice');
    expect(got.code).toBe('VN-INV-2026/11#7');
    const paths = world.sandboxes.avatax.server.log.map((e) => e.path);
    expect(paths).toContain('/api/v2/companies/NORDVAST/transactions/VN-INV-2026_-ava2f-_11_-ava23-_7');
  });

  it('reports a missing document as not-found', async () => {
    const error = await world
      .connectors()
      .avatax.getTransaction('VN-INV-NOPE', 'SalesInvoice')
      .catch((e) => e);
    expect([error.kind, error.status, error.code]).toEqual(['not-found', 404, 'EntityNotFoundError']);
  });

  it('classifies auth failures', async () => {
    const wrong = createConnectors(
      world.settings,
      { ...world.secrets, avalaraLicenseKey: 'WRONGKEY0000' },
      { retry: { maxAttempts: 1 } },
    );
    const error = await wrong.avatax.createTransaction(invoice('VN-INV-T9')).catch((e) => e);
    expect([error.kind, error.code]).toEqual(['auth', 'AuthenticationException']);
  });

  it('classifies data errors (duplicate line numbers) and does not retry them', async () => {
    const error = await world
      .connectors()
      .avatax.createTransaction(
        invoice('VN-INV-T10', {
          lines: [
            { number: '1', amount: 1 },
            { number: '1', amount: 2 },
          ],
        }),
      )
      .catch((e) => e);
    expect(error.kind).toBe('data');
    expect(world.sandboxes.avatax.server.log.filter((e) => e.path.endsWith('/create'))).toHaveLength(1);
  });

  it('creates in a single attempt (a lost answer is retried through createoradjust by the engine)', async () => {
    world.sandboxes.avatax.server.injectFault({
      path: /\/transactions\/create$/,
      fault: { kind: 'status', status: 503 },
    });
    const error = await world
      .connectors()
      .avatax.createTransaction(invoice('VN-INV-T11'))
      .catch((e) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error.attempts).toBe(1);
  });

  it('resolves US addresses: valid, out-of-range number with a suggestion, undeliverable, unsupported country', async () => {
    const { avatax } = world.connectors();
    const ok = await avatax.resolveAddress({
      line1: '100 Main St',
      city: 'Irvine',
      region: 'CA',
      postalCode: '92614',
      country: 'US',
    });
    expect(ok.messages ?? []).toHaveLength(0);
    expect(ok.validatedAddresses).toHaveLength(1);
    const range = await avatax.resolveAddress({
      line1: '9900 Marilla St',
      city: 'Dallas',
      region: 'TX',
      postalCode: '75201',
      country: 'US',
    });
    expect(range.messages![0]!.summary).toMatch(/out of range/);
    expect(range.validatedAddresses![0]!.line1).toBe('1999 Marilla St');
    const nowhere = await avatax.resolveAddress({
      line1: '55 Nowhere Rd',
      city: 'Irvine',
      region: 'CA',
      postalCode: '92614',
      country: 'US',
    });
    expect(nowhere.messages![0]!.summary).toBe('The address is not deliverable.');
    const se = await avatax.resolveAddress({
      line1: 'Storgatan 4',
      city: 'Malmö',
      postalCode: '211 34',
      country: 'SE',
    });
    expect(se.messages![0]!.summary).toMatch(/not supported/);
  });

  it('parses the documented error examples', () => {
    const docStatus = parseAvaTaxError(400, example('avatax-error-getTaxError-docstatus-committed.json'), '');
    expect(docStatus.kind).toBe('already-posted');
    expect(docStatus.message).toMatch(/DocStatus is invalid/);
    const auth = parseAvaTaxError(401, example('avatax-error-401-authentication-incomplete.json'), '');
    expect([auth.kind, auth.code]).toEqual(['auth', 'AuthenticationIncomplete']);
    const missing = parseAvaTaxError(404, example('avatax-error-entity-not-found.json'), '');
    expect(missing.kind).toBe('not-found');
    for (const code of ['DocumentCodeConflict', 'TransactionAlreadyExists']) {
      expect(parseAvaTaxError(400, { error: { code, message: 'x', details: [] } }, '').kind).toBe('already-posted');
    }
    expect(parseAvaTaxError(503, undefined, '').kind).toBe('retryable');
    expect(parseAvaTaxError(400, undefined, 'oops').message).toMatch(/oops/);
  });
});
