import { describe, expect, it } from 'vitest';
import { DEMO_EXCHANGE_RATES, DEMO_ITEMS, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import { computeLineTax } from '../../electron/sandbox/tax-rules.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { computeVismaVat } from '../../electron/sandbox/visma-vat.js';
import { toMinor } from '../../shared/money.js';

const { visma } = seedDemoCompany({ now: Date.parse('2026-11-25T12:00:00Z') });
const docs = visma.documents;
const invoices = docs.filter((d) => d.kind === 'invoice');
const customer = (d: SandboxDocument) => visma.customers.find((c) => c.number === d.customer.number)!;
const country = (d: SandboxDocument) => customer(d).mainAddress.country!.id;
const taxCode = (item: string) => DEMO_ITEMS.find((i) => i.number === item)!.taxCode;
const vismaVat = (d: SandboxDocument) => d.taxDetails.reduce((s, t) => s + toMinor(t.vatAmount), 0);

/** What AvaTax would charge on the document (ship-to = the location's country, else the customer's). */
function avataxVat(d: SandboxDocument): number {
  const c = customer(d);
  return d.lines.reduce(
    (s, l) =>
      s +
      computeLineTax({
        sellerCountry: 'SE',
        shipToCountry: d.location?.countryId ?? c.mainAddress.country!.id,
        shipToRegion: c.mainAddress.county?.id,
        shipToPostalCode: c.mainAddress.postalCode ?? undefined,
        buyerVatNumber: c.vatRegistrationId ?? undefined,
        taxCode: taxCode(l.inventoryNumber),
        amount: toMinor(l.amountInCurrency),
      }).tax,
    0,
  );
}

describe('the seeded company: VAT master data', () => {
  it('VAT ids, categories and zones as the contract lists them', () => {
    const zonesOf = Object.fromEntries(visma.vats.map((v) => [v.vatId, v.zones]));
    expect(zonesOf).toMatchObject({ MP1: ['01'], EUVF: ['EU'], 'OSS-FI255': ['OSSFI'], 'US-SALESTAX': ['USMAN'] });
    expect(visma.vats.find((v) => v.vatId === 'OSS-FI255')!.rate).toBe(25.5);
    const std = visma.vatCategories.find((c) => c.vatCategoryId === 'STD')!;
    expect(std.vatIds).toEqual(['MP1', 'OSS-DK25', 'OSS-DE19', 'OSS-FI255', 'EUVF', 'EXPORT', 'US-SALESTAX']);
    // Zone ∩ category picks at most one VAT id, for every active category and zone.
    for (const c of visma.vatCategories.filter((x) => x.active))
      for (const z of visma.vatZones)
        expect(
          visma.vats.filter((v) => c.vatIds.includes(v.vatId) && v.zones.includes(z.id)).length,
        ).toBeLessThanOrEqual(1);
    expect(visma.vatZones.filter((z) => z.manualVatEntry).map((z) => z.id)).toEqual(['USMAN']);
  });

  it('customers’ zones by rule; every customer has a MAIN location with its VAT number and zone', () => {
    for (const c of visma.customers) {
      const main = visma.locations.find((l) => l.customerNumber === c.number && l.locationId === 'MAIN')!;
      expect(main.vatZoneId).toBe(c.vatZone!.id);
      expect(main.vatRegistrationId).toBe(c.vatRegistrationId);
      expect(main.address.addressLine1).toBe((c.deliveryAddress ?? c.mainAddress).addressLine1);
    }
    const zone = (name: string) => visma.customers.find((c) => c.name === name)!.vatZone!.id;
    expect(zone('Bäckerei Weiß')).toBe('01');
    expect(zone('Grüne Küche Hamburg')).toBe('OSSDE');
    expect(zone('Müller & Groß GmbH')).toBe('EU');
    expect(zone('Hygge Hjem ApS')).toBe('OSSDK');
    expect(zone('Pohjoinen Kauppa Oy')).toBe('OSSFI');
    expect(zone('Hudson Hardware LLC')).toBe('EXP');
    expect(visma.locations.filter((l) => l.locationId !== 'MAIN')).toMatchObject([
      { customerNumber: '10001', locationId: 'OSLO', vatZoneId: 'EXP', vatRegistrationId: 'NO987654321MVA' },
    ]);
  });
});

describe('the seeded company: documents', () => {
  it('tax details and totals are what computeVismaVat gives; no document sits in the manual US zone', () => {
    for (const d of docs) {
      expect(d.taxDetails.map(({ recordId: _, ...t }) => t)).toEqual(
        computeVismaVat(d, visma).map(({ recordId: _, ...t }) => t),
      );
      expect(toMinor(d.amountInCurrency)).toBe(toMinor(d.detailTotalInCurrency) + vismaVat(d));
      expect(d.exchangeRate).toBe(DEMO_EXCHANGE_RATES[d.currencyId]);
      expect(d.customerVatZoneId).not.toBe('USMAN');
    }
    expect(new Set(docs.flatMap((d) => d.taxDetails.map((t) => t.recordId))).size).toBe(
      docs.reduce((s, d) => s + d.taxDetails.length, 0),
    );
  });

  it('is booked wrong in the three ways: German consumer in zone 01, US without sales tax, books at 25 %', () => {
    const weiss = invoices.filter((d) => d.customer.name === 'Bäckerei Weiß' && d.location !== null);
    expect(weiss.length).toBeGreaterThan(0);
    for (const d of weiss) {
      expect(d.taxDetails.every((t) => ['MP1', 'MP2', 'MP3'].includes(t.taxId))).toBe(true);
      expect(vismaVat(d)).not.toBe(avataxVat(d));
    }
    const us = invoices.filter((d) => country(d) === 'US');
    expect(us.length).toBeGreaterThan(0);
    for (const d of us) {
      expect(vismaVat(d)).toBe(0);
      expect(d.taxDetails.map((t) => t.taxId)).toEqual(['EXPORT']);
    }
    expect(us.some((d) => avataxVat(d) > 0)).toBe(true);
    const wrongBooks = invoices.filter(
      (d) =>
        d.customerVatZoneId === '01' &&
        d.lines.some((l) => l.inventoryNumber === 'BOK-HANDB' && l.vatCode?.id === 'STD'),
    );
    expect(wrongBooks.length).toBeGreaterThan(0);
    for (const d of wrongBooks) expect(vismaVat(d)).toBeGreaterThan(avataxVat(d));
    const bookLines = docs.flatMap((d) => d.lines).filter((l) => l.inventoryNumber === 'BOK-HANDB');
    const std = bookLines.filter((l) => l.vatCode?.id === 'STD').length;
    expect(std / bookLines.length).toBeGreaterThan(0.08);
    expect(std / bookLines.length).toBeLessThan(0.35);
  });

  it('customer 10001 ships about a third of its invoices to OSLO; a handful of documents have no location', () => {
    const akesson = invoices.filter((d) => d.customer.number === '10001');
    const oslo = akesson.filter((d) => d.location?.id === 'OSLO');
    expect(oslo.length).toBeGreaterThan(0);
    expect(oslo.length).toBeLessThan(akesson.length);
    for (const d of oslo) expect([d.customerVatZoneId, d.location!.countryId]).toEqual(['EXP', 'NO']);
    for (const d of docs.filter((x) => x.location?.id === 'MAIN'))
      expect(d.customerVatZoneId).toBe(customer(d).vatZone!.id);
    const none = docs.filter((d) => d.location === null).length;
    expect(none).toBeGreaterThanOrEqual(3);
    expect(none).toBeLessThanOrEqual(15);
  });

  it('has released documents, notes on about one in eight, reverse-charge lines on a few Swedish B2B invoices', () => {
    expect(docs.filter((d) => d.status === 'Open').length).toBeGreaterThan(50);
    expect(docs.filter((d) => d.status === 'Closed').length).toBeGreaterThan(10);
    const notes = docs.filter((d) => d.note !== null).length / docs.length;
    expect(notes).toBeGreaterThan(0.07);
    expect(notes).toBeLessThan(0.2);
    const montage = docs.filter((d) => d.lines.some((l) => l.inventoryNumber === 'BYGG-MONT'));
    expect(montage.length).toBeGreaterThanOrEqual(3);
    for (const d of montage) {
      expect([country(d), customer(d).vatRegistrationId !== null, d.customerVatZoneId]).toEqual(['SE', true, '01']);
      expect(d.lines.find((l) => l.inventoryNumber === 'BYGG-MONT')!.vatCode?.id).toBe('RC');
      expect(d.taxDetails.find((t) => t.taxId === 'RC-SE')!.vatAmount).toBe(0);
    }
  });

  it('credit notes copy their invoice’s zone and location; about half name it in applications', () => {
    const credits = docs.filter((d) => d.kind === 'credit-note');
    const named = credits.filter((d) => d.applications.length > 0);
    expect(named.length / credits.length).toBeGreaterThan(0.25);
    expect(named.length / credits.length).toBeLessThan(0.75);
    for (const c of named) {
      const inv = invoices.find((i) => i.referenceNumber === c.applications[0]!.refNbr)!;
      expect(c.applications[0]).toMatchObject({ docType: 'Invoice', customerCd: inv.customer.number });
      expect([c.customerVatZoneId, c.location, c.origInvoiceDate]).toEqual([
        inv.customerVatZoneId,
        inv.location,
        inv.documentDate,
      ]);
    }
  });

  it('has debit notes: extra charges to a customer of an invoice, numbered 28xxxx, in every status a sale is in', () => {
    const debits = docs.filter((d) => d.kind === 'debit-note');
    expect(debits.length).toBeGreaterThanOrEqual(10);
    const statuses = new Set(debits.map((d) => d.status));
    for (const s of ['Balanced', 'Open']) expect(statuses.has(s as never), s).toBe(true);
    for (const d of debits) {
      expect(d.documentType).toBe('DebitNote');
      expect(d.referenceNumber).toMatch(/^28\d{4}$/);
      expect(d.applications).toEqual([]);
      expect(toMinor(d.amountInCurrency)).toBeGreaterThan(0);
    }
    expect(debits.some((d) => vismaVat(d) > 0)).toBe(true);
  });

  it('the invoices and credit notes are the same with or without debit notes (the seed draws them apart)', () => {
    const without = seedDemoCompany({ now: Date.parse('2026-11-25T12:00:00Z'), debitNotes: 0 }).visma.documents;
    expect(without).toEqual(docs.filter((d) => d.kind !== 'debit-note'));
  });
});
