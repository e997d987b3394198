import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApiFixture } from '../helpers/fixtures.js';
import { startVisma, type VismaWorld } from './http.js';

/** Every field the sandbox answers with is a field of the real DTO (Pionect/visma-php-sdk, kept in fixtures). */
const dtos = readApiFixture<{ dtos: Record<string, { name: string; jsonName?: string }[]> }>('visma-dtos.json').dtos;
const names = (dto: string) => new Set(dtos[dto]!.map((f) => f.jsonName ?? f.name));
const unknown = (value: Record<string, unknown>, dto: string) =>
  Object.keys(value).filter((k) => k !== 'metadata' && !names(dto).has(k));

let w: VismaWorld;
beforeAll(async () => {
  w = await startVisma({ invoices: 10, creditNotes: 4 });
});
afterAll(() => w.close());

describe('sandbox DTOs use Visma’s field names', () => {
  it('invoices, credit notes, tax details', async () => {
    const invoice = (await w.get('/v1/customerinvoice?expandTaxDetails=true')).body[0];
    expect(unknown(invoice, 'CustomerInvoiceDto')).toEqual([]);
    expect(unknown(invoice.taxDetails[0], 'TaxDetailDto')).toEqual([]);
    if (invoice.location) expect(unknown(invoice.location, 'LocationInCustomerInvoiceDto')).toEqual([]);
    const credit = (await w.get('/v1/customerCreditNote?expandTaxDetails=true')).body[0];
    expect(unknown(credit, 'CustomerCreditNoteDto')).toEqual([]);
  });

  it('VAT ids, categories, zones, locations', async () => {
    expect(unknown((await w.get('/v1/vat')).body[0], 'VatInformationDto')).toEqual([]);
    const category = (await w.get('/v1/vatCategory/STD')).body;
    expect(unknown(category, 'VatCategoryDto')).toEqual([]);
    expect(unknown(category.vatCategoryLines[0], 'VatCategoryLineDto')).toEqual([]);
    expect(unknown(category.vatCategoryLines[0].vatRates[0], 'VatRateLineDto')).toEqual([]);
    expect(unknown((await w.get('/v1/vatZone/01')).body, 'VatZoneDto')).toEqual([]);
    const location = (await w.get('/v1/location/10001/MAIN')).body;
    expect(unknown(location, 'LocationDto').filter((k) => k !== 'timeStamp')).toEqual([]);
  });

  it('the background API and the release action result', async () => {
    const invoice = w.visma.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Balanced')!;
    const path = `/v1/customerinvoice/${invoice.referenceNumber}`;
    const accepted = (await w.put(path, { note: { value: 'x' } }, { 'erp-api-background': 'none' })).body;
    expect(unknown(accepted, 'BackgroundApiAcceptedDto')).toEqual([]);
    const state = (await w.get(`/v1/background/${accepted.id}`)).body;
    expect(unknown(state, 'BackgroundRequestStateDto')).toEqual([]);
    const release = (await w.post(`${path}/action/release`)).body;
    expect(unknown(release, 'ReleaseInvoiceActionResultDto')).toEqual([]);
    const results = dtos.ReleaseInvoiceActionResultDto!.find((f) => f.name === 'actionResult') as { enum?: string[] };
    expect(results.enum).toContain(release.actionResult);
  });
});
