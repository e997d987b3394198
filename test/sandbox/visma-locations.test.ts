import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVisma, type VismaWorld } from './http.js';

let w: VismaWorld;
beforeAll(async () => {
  w = await startVisma({ invoices: 40, creditNotes: 4 });
});
afterAll(() => w.close());

const address = (fields: Record<string, string | null>) => ({
  value: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: v }])),
});

describe('customer locations', () => {
  it('GET list (paged) and one (with ETag); bAccountId is the customer number, the internal id is a 404', async () => {
    const list = await w.get('/v1/location/10001');
    expect(list.status).toBe(200);
    expect(list.body.map((l: { locationId: string }) => l.locationId)).toEqual(['MAIN', 'OSLO']);
    expect(list.body[0].metadata.totalCount).toBe(2);
    const oslo = await w.get('/v1/location/10001/OSLO');
    expect(oslo.headers.get('etag')).toBe(`"${oslo.body.timeStamp}"`);
    expect(oslo.body).toMatchObject({
      baccount: { internalId: 500, number: '10001', name: 'Åkesson & Söner AB' },
      locationId: 'OSLO',
      active: true,
      address: {
        addressLine1: 'Karl Johans gate 1',
        postalCode: '0154',
        city: 'Oslo',
        country: { id: 'NO', name: 'NO' },
        county: null,
      },
      vatRegistrationId: 'NO987654321MVA',
      vatZone: { id: 'EXP', description: 'Export', defaultVatCategory: 'STD' },
    });
    expect(oslo.body.internalId).toEqual(expect.any(Number));
    expect((await w.get('/v1/location/500')).status).toBe(404);
    expect((await w.get('/v1/location/500/MAIN')).status).toBe(404);
    expect((await w.get('/v1/location/10001/NOPE')).status).toBe(404);
  });

  it('MAIN carries the delivery address when there is one, and the customer’s VAT number and zone', async () => {
    const customer = w.visma.state.customers.find((c) => c.deliveryAddress)!;
    const main = await w.get(`/v1/location/${customer.number}/MAIN`);
    expect(main.body.address.addressLine1).toBe(customer.deliveryAddress!.addressLine1);
    expect(main.body.vatZone.id).toBe(customer.vatZone!.id);
    expect(main.body.vatRegistrationId).toBe(customer.vatRegistrationId);
  });

  it('PUT address (county required), VAT number and zone; 204 + new ETag; documents are not bumped', async () => {
    const docs = () =>
      w.visma.state.documents.filter((d) => d.customer.number === '10001').map((d) => d.lastModifiedDateTime);
    const before = docs();
    const current = await w.get('/v1/location/10001/OSLO');
    const noCounty = await w.put('/v1/location/10001/OSLO', {
      address: address({ addressLine1: 'Karl Johans gate 2', city: 'Oslo', postalCode: '0154', countryId: 'NO' }),
    });
    expect(noCounty.status).toBe(400);
    expect(noCounty.body.ExceptionMessage).toMatch(/field County: Object reference not set/);
    const ok = await w.put(
      '/v1/location/10001/OSLO',
      {
        address: address({
          addressLine1: 'Karl Johans gate 2',
          addressLine2: null,
          city: 'Oslo',
          postalCode: '0154',
          countryId: 'NO',
          county: null,
        }),
        vatRegistrationId: { value: 'NO987654322MVA' },
        vatZone: { value: 'EU' },
      },
      { 'if-match': current.headers.get('etag')! },
    );
    expect(ok.status).toBe(204);
    const after = await w.get('/v1/location/10001/OSLO');
    expect(ok.headers.get('etag')).toBe(after.headers.get('etag'));
    expect(after.headers.get('etag')).not.toBe(current.headers.get('etag'));
    expect(after.body.address.addressLine1).toBe('Karl Johans gate 2');
    expect(after.body.vatRegistrationId).toBe('NO987654322MVA');
    expect(after.body.vatZone.id).toBe('EU');
    expect(after.body.lastModifiedDateTime > current.body.lastModifiedDateTime).toBe(true);
    expect(docs()).toEqual(before);
  });

  it('PUT refuses a stale If-Match (412), an unknown zone, and fields it does not support', async () => {
    const stale = await w.put(
      '/v1/location/10002/MAIN',
      { vatRegistrationId: { value: 'x' } },
      { 'if-match': '"AAAA"' },
    );
    expect(stale.status).toBe(412);
    const zone = await w.put('/v1/location/10002/MAIN', { vatZone: { value: 'NOPE' } });
    expect(zone.status).toBe(400);
    expect(zone.body.ExceptionMessage).toMatch(/VatZone/);
    const other = await w.put('/v1/location/10002/MAIN', { locationName: { value: 'x' } });
    expect(other.status).toBe(400);
    expect(other.body.ExceptionMessage).toMatch(/not supported by this sandbox/);
  });
});

describe('customer PUT: VAT number and zone', () => {
  it('accepts vatRegistrationId and vatZoneId; an unknown zone is a 400', async () => {
    const r = await w.put('/v1/customer/10024', {
      vatRegistrationId: { value: 'DE111222333' },
      vatZoneId: { value: 'OSSDE' },
    });
    expect(r.status).toBe(204);
    const c = await w.get('/v1/customer/10024');
    expect(c.body.vatRegistrationId).toBe('DE111222333');
    expect(c.body.vatZone).toEqual({ id: 'OSSDE', description: 'OSS Tyskland' });
    expect((await w.put('/v1/customer/10024', { vatZoneId: { value: 'NOPE' } })).status).toBe(400);
  });
});
