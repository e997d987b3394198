import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAvaTaxError } from '../../electron/connectors/avatax/errors.js';
import { addressResolutionSchema, transactionSchema } from '../../electron/connectors/avatax/types.js';
import { parseVismaError } from '../../electron/connectors/visma/errors.js';
import { customerInvoiceSchema, customerSchema, toVismaDocument } from '../../electron/connectors/visma/types.js';
import { readApiFixture } from '../helpers/fixtures.js';
import { startWorld, type TestWorld } from '../helpers/sandboxes.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON fixtures are navigated freely in these assertions
const read = (path: string): any => readApiFixture(path);

/** The official Swagger definitions, made strict: a property we send that AvaTax does not know fails. */
function strictAvaTaxValidator() {
  const swagger = read('avatax-19.6-definitions.json');
  const definitions = structuredClone(swagger.definitions) as Record<string, Record<string, unknown>>;
  for (const def of Object.values(definitions)) {
    if (def.type === 'object' || def.properties) def.additionalProperties = false;
  }
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'avatax', definitions }, 'avatax');
  return (name: string, value: unknown) => {
    const validate = ajv.getSchema(`avatax#/definitions/${name}`)!;
    const ok = validate(value);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

describe('official examples parse with our types', () => {
  it('Visma: invoice, customer and error examples', () => {
    const invoice = customerInvoiceSchema.parse(read('examples/customer-invoice.get-response.schema-example.json'));
    const doc = toVismaDocument('invoice', invoice);
    expect(doc.lines[0]!.vatCode?.id).toBe('string');
    expect(doc.taxDetails).toHaveLength(1);
    expect(customerSchema.parse(read('examples/customer.get-response.schema-example.json')).number).toBeTypeOf(
      'string',
    );
    const error = parseVismaError(400, read('examples/error-response.ipp-exception.example.json'), '');
    expect(error.faultCode).toBe('12027');
    const put = read('examples/customer-invoice.put-request.docs-example.json');
    expect(put.invoiceLines[0].lineNumber).toEqual({ value: 1 });
  });

  it('AvaTax: transaction, address resolution and error examples', () => {
    const tx = transactionSchema.parse(read('examples/avatax-create-transaction-response.json'));
    expect(tx.totalTax).toBe(7.75);
    expect(
      addressResolutionSchema.parse(read('examples/avatax-resolve-address-response.json')).validatedAddresses,
    ).toHaveLength(1);
    expect(
      addressResolutionSchema.parse(read('examples/avatax-resolve-address-response-notcoded.json')).resolutionQuality,
    ).toBe('NotCoded');
    expect(
      addressResolutionSchema.parse(read('examples/avatax-resolve-address-messages-undeliverable.json')).messages![0]!
        .severity,
    ).toBe('Error');
    expect(parseAvaTaxError(400, read('examples/avatax-error-getTaxError-docstatus-committed.json'), '').kind).toBe(
      'already-posted',
    );
  });

  it('the strict validator rejects what AvaTax would not know (the check can fail)', () => {
    const check = strictAvaTaxValidator();
    expect(
      check('CreateTransactionModel', {
        date: '2026-11-01',
        customerCode: 'C',
        lines: [{ amount: 1 }],
        taxDetailLines: [],
      }),
    ).not.toEqual([]);
    expect(
      check('CreateTransactionModel', {
        date: '2026-11-01',
        customerCode: 'C',
        lines: [{ amount: 1 }],
        type: 'Invoice',
      }),
    ).not.toEqual([]);
    expect(
      check(
        'CreateTransactionModel',
        read('examples/avatax-create-transaction-request.json').lines
          ? {
              ...read('examples/avatax-create-transaction-request.json'),
              addresses: {
                singleLocation: read('examples/avatax-create-transaction-request.json').addresses.SingleLocation,
              },
            }
          : {},
      ),
    ).toEqual([]);
  });
});

describe('what our clients send validates against the AvaTax request schemas', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.close());

  it('create, createoradjust, commit, adjust, void and resolve bodies', async () => {
    const { avatax } = world.connectors();
    const model = {
      type: 'ReturnInvoice' as const,
      code: 'VN-CRN-1',
      companyCode: 'NORDVAST',
      date: '2026-11-20',
      customerCode: '10015',
      currencyCode: 'DKK',
      businessIdentificationNo: 'DK12345678',
      commit: false,
      addresses: {
        shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' },
        shipTo: { line1: 'Vesterbrogade 98', city: 'København V', postalCode: '1620', country: 'DK' },
      },
      lines: [
        {
          number: '1',
          quantity: 2,
          amount: -100,
          taxCode: 'P0000000',
          itemCode: 'VERKTYG-100',
          description: 'Skiftnyckel',
        },
      ],
      taxOverride: { type: 'TaxDate' as const, taxDate: '2026-11-02', reason: 'Return' },
    };
    await avatax.createTransaction(model);
    await avatax.createOrAdjustTransaction(model);
    await avatax.commitTransaction('VN-CRN-1', 'ReturnInvoice');
    const { taxOverride: _date, ...recorded } = model;
    await avatax.adjustTransaction('VN-CRN-1', 'ReturnInvoice', 'ReconciledWithGeneralLedger', 'Price corrected', {
      ...recorded,
      commit: true,
      referenceCode: 'Return of invoice 260001 (tax date 2026-11-02)',
      lines: recorded.lines.map((l) => ({
        ...l,
        taxOverride: { type: 'TaxAmount' as const, taxAmount: -25, reason: 'VAT booked in Visma.net' },
      })),
    });
    await avatax.voidTransaction('VN-CRN-1', 'ReturnInvoice');
    await avatax.resolveAddress({
      line1: '100 Main St',
      city: 'Irvine',
      region: 'CA',
      postalCode: '92614',
      country: 'US',
    });
    const check = strictAvaTaxValidator();
    const sent = (suffix: string) =>
      JSON.parse(world.sandboxes.avatax.server.log.find((e) => e.path.endsWith(suffix))!.body);
    expect(check('CreateTransactionModel', sent('/transactions/create'))).toEqual([]);
    expect(check('CreateOrAdjustTransactionModel', sent('/transactions/createoradjust'))).toEqual([]);
    expect(check('CommitTransactionModel', sent('/commit'))).toEqual([]);
    expect(check('AdjustTransactionModel', sent('/adjust'))).toEqual([]);
    expect(check('VoidTransactionModel', sent('/void'))).toEqual([]);
    expect(check('AddressValidationInfo', sent('/addresses/resolve'))).toEqual([]);
  });
});
