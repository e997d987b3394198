import { fromMinor, taxOn, toMinor } from '../../shared/money.js';
import { DEFAULT_SYNC_STATUSES, type SettingsInput } from '../../shared/settings.js';
import { type AvaTaxSandboxState, emptyAvaTaxState, US_DIRECTORY } from './avatax-state.js';
import { type CustomerSeed, DEMO_CUSTOMERS } from './demo-customers.js';
import { DEMO_VAT_CATEGORIES, DEMO_VAT_ZONES, DEMO_VATS, demoVatMapping } from './demo-vat.js';
import {
  emptyVismaState,
  rowVersionToTimeStamp,
  type SandboxAddress,
  type SandboxCustomer,
  type SandboxDocument,
  type SandboxLine,
  type SandboxLocation,
  type VismaSandboxState,
  vismaDateTime,
} from './visma-state.js';
import { applyVismaVat } from './visma-vat.js';

export { DEMO_VAT_CATEGORIES, DEMO_VAT_ZONES, DEMO_VATS, demoVatMapping } from './demo-vat.js';

/**
 * Nordväst Handel AB, a Swedish distributor: ~40 customers in SE, DK, DE, FI, NO and the US (some with broken
 * addresses), a few hundred invoices, credit notes and debit notes in several statuses and currencies. Deterministic: the
 * same seed gives the same company.
 *
 * What Visma books wrong (the product must find it, AvaTax knows better), by rule:
 * - Bäckerei Weiß (German consumer, customer 10024) sits in zone 01: Visma books Swedish 25 % / 12 % / 6 %.
 * - US customers sit in zone EXP: Visma books no sales tax.
 * - About one book line in five carries category STD instead of BOOK: 25 % instead of 6 % (in Sweden).
 * And what the product must get right: customer 10001 ships about a third of its invoices to its location OSLO
 * (Norway, zone EXP); a handful of documents have no location (fall back to the customer's addresses); about
 * one document in eight has a user note; BYGG-MONT lines (reverse charge, category RC) on a few Swedish B2B
 * invoices; documents already released (Open / Closed) before the first sync.
 */

export const DEMO_CREDENTIALS = {
  visma: { clientId: 'nordvast-demo-client', clientSecret: 'demo-visma-secret-5f1c', tenantId: '7c2a5e0e-demo-tenant' },
  avalara: { accountId: '2001234567', licenseKey: 'DEMO4F1C9A7B2E6D', companyCode: 'NORDVAST' },
};

export const DEMO_SHIP_FROM = { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' };

export const DEMO_ITEMS = [
  { number: 'VERKTYG-100', description: 'Skiftnyckel 10"', price: 249, taxCode: 'P0000000', vatCategory: 'STD' },
  { number: 'VERKTYG-220', description: 'Borrmaskin 18 V', price: 1895, taxCode: 'P0000000', vatCategory: 'STD' },
  { number: 'KAFFE-500', description: 'Kaffe mellanrost 500 g', price: 89.5, taxCode: 'PF050000', vatCategory: 'FOOD' },
  { number: 'KNACKE-12', description: 'Knäckebröd 12-pack', price: 214.75, taxCode: 'PF050000', vatCategory: 'FOOD' },
  { number: 'BOK-HANDB', description: 'Handbok för lagerarbete', price: 349, taxCode: 'PB100000', vatCategory: 'BOOK' },
  { number: 'LAMPA-LED', description: 'LED-arbetslampa', price: 599, taxCode: 'P0000000', vatCategory: 'STD' },
  { number: 'FRAKT', description: 'Frakt', price: 150, taxCode: 'FR010000', vatCategory: 'STD' },
  {
    number: 'BYGG-MONT',
    description: 'Montagearbete (omvänd skattskyldighet)',
    price: 4500,
    taxCode: 'RC100000',
    vatCategory: 'RC',
  },
];

/** Items drawn at random onto lines; BYGG-MONT only goes onto a few Swedish B2B invoices. */
const GOODS = DEMO_ITEMS.filter((i) => i.number !== 'BYGG-MONT');
const MONTAGE = DEMO_ITEMS.find((i) => i.number === 'BYGG-MONT')!;

export function demoItemTaxCodes(): Record<string, string> {
  return Object.fromEntries(DEMO_ITEMS.filter((i) => i.taxCode !== 'P0000000').map((i) => [i.number, i.taxCode]));
}

/** Document currency -> SEK. */
export const DEMO_EXCHANGE_RATES: Record<string, number> = { SEK: 1, DKK: 1.52, EUR: 11.45, USD: 10.62 };
/** SEK list price -> document currency price (about 1 / exchange rate, as a price list would round it). */
const PRICE_FACTOR: Record<string, number> = { SEK: 1, DKK: 0.65, EUR: 0.087, USD: 0.094 };

/** The German consumer whose zone is wrongly Sverige (01). */
export const DEMO_WRONG_ZONE_CUSTOMER = 'Bäckerei Weiß';
export const DEMO_FOREIGN_LOCATION = { customerNumber: '10001', locationId: 'OSLO' };

const NOTES = [
  'Leverans via DHL, ring innan',
  'Faktura enligt avtal 2026-114',
  'Godsmärkning: projekt Hamnen, port 3',
  'Delleverans, resterande i vecka 49',
  'Kontakt på lagret: Anna Berg, 031-12 34 56',
  'Betalning enligt ramavtal, 30 dagar netto',
];
const NOTE_SHARE = 1 / 8;
const OSLO_SHARE = 1 / 3;
const NO_LOCATION_SHARE = 0.02;
const STD_BOOK_SHARE = 1 / 5;
const MONTAGE_SHARE = 0.2;

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function address(
  id: number,
  s: { line1: string; city: string; postalCode: string; country: string; region?: string },
): SandboxAddress {
  return {
    addressId: id,
    addressLine1: s.line1,
    addressLine2: null,
    addressLine3: null,
    postalCode: s.postalCode,
    city: s.city,
    country: { id: s.country, name: s.country },
    county: s.region ? { id: s.region, name: s.region } : null,
  };
}

const EU_OSS_ZONES: Record<string, string> = { DK: 'OSSDK', DE: 'OSSDE', FI: 'OSSFI' };

function customerZone(seed: CustomerSeed): string {
  if (seed.name === DEMO_WRONG_ZONE_CUSTOMER) return '01'; // wrong on purpose: a German consumer
  if (seed.country === 'SE') return '01';
  const oss = EU_OSS_ZONES[seed.country];
  if (!oss) return 'EXP'; // NO, and the US: wrong on purpose (Visma books no sales tax)
  return seed.vat ? 'EU' : oss;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface DemoSeed {
  visma: VismaSandboxState;
  avatax: AvaTaxSandboxState;
}

export function seedDemoCompany(options: {
  now: number;
  /**
   * The earliest instant a record is stamped with (default: 24 days before `now`). Every record lies in
   * [from, now − 1 minute], or at `from` when that span is empty: a month's first minutes give a month's records.
   */
  from?: number;
  invoices?: number;
  creditNotes?: number;
  /** Debit notes: drawn apart (their own random stream), so the invoices and credit notes stay as they were. */
  debitNotes?: number;
  seed?: number;
}): DemoSeed {
  const random = prng(options.seed ?? 20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const visma = emptyVismaState();
  visma.clients.push({ ...DEMO_CREDENTIALS.visma });
  visma.vats = structuredClone(DEMO_VATS);
  visma.vatCategories = structuredClone(DEMO_VAT_CATEGORIES);
  visma.vatZones = structuredClone(DEMO_VAT_ZONES);
  const start = Math.min(options.from ?? options.now - 24 * 86_400_000, options.now);
  let clock = start;
  const invoiceCount = options.invoices ?? 320;
  const creditCount = options.creditNotes ?? 40;
  // Spread customers, locations and documents over the 24 days, so dates and months look like a real ledger.
  const records = DEMO_CUSTOMERS.length * 2 + 1 + invoiceCount + creditCount;
  const step = Math.max(0, Math.floor((options.now - 120_000 - start) / records));
  const latest = Math.max(start, options.now - 60_000);
  const tick = () => {
    clock += Math.floor(random() * step) + Math.floor(step / 2);
    visma.rowVersion += 1;
    return { at: vismaDateTime(Math.min(clock, latest)), ts: rowVersionToTimeStamp(visma.rowVersion) };
  };
  const zoneRef = (id: string) => ({ id, description: visma.vatZones.find((z) => z.id === id)?.description ?? '' });
  const category = (id: string) => {
    const c = visma.vatCategories.find((x) => x.vatCategoryId === id)!;
    return { id: c.vatCategoryId, description: c.description };
  };

  DEMO_CUSTOMERS.forEach((seed, i) => {
    const number = String(10001 + i);
    const t = tick();
    const customer: SandboxCustomer = {
      internalId: 500 + i,
      number,
      name: seed.name,
      status: 'Active',
      mainAddress: address(1000 + i * 3, seed),
      invoiceAddress: address(1001 + i * 3, seed),
      deliveryAddress: seed.delivery ? address(1002 + i * 3, seed.delivery) : null,
      vatRegistrationId: seed.vat ?? null,
      corporateId: null,
      currencyId: seed.currency,
      vatZone: zoneRef(customerZone(seed)),
      lastModifiedDateTime: t.at,
      createdDateTime: t.at,
      timeStamp: t.ts,
    };
    visma.customers.push(customer);
    const l = tick();
    visma.locations.push({
      customerNumber: number,
      locationId: 'MAIN',
      locationName: seed.name,
      active: true,
      address: address(5000 + i * 2, seed.delivery ?? seed),
      vatRegistrationId: customer.vatRegistrationId,
      vatZoneId: customer.vatZone!.id,
      lastModifiedDateTime: l.at,
      timeStamp: l.ts,
    });
  });
  const oslo = tick();
  visma.locations.push({
    customerNumber: DEMO_FOREIGN_LOCATION.customerNumber,
    locationId: DEMO_FOREIGN_LOCATION.locationId,
    locationName: 'Lager Oslo',
    active: true,
    address: address(5001, { line1: 'Karl Johans gate 1', city: 'Oslo', postalCode: '0154', country: 'NO' }),
    vatRegistrationId: 'NO987654321MVA',
    vatZoneId: 'EXP',
    lastModifiedDateTime: oslo.at,
    timeStamp: oslo.ts,
  });
  const locationOf = (customerNumber: string, id: string) =>
    visma.locations.find((l) => l.customerNumber === customerNumber && l.locationId === id)!;

  const statuses: SandboxDocument['status'][] = [
    'Balanced',
    'Balanced',
    'Balanced',
    'Balanced',
    'Balanced',
    'Open',
    'Open',
    'Open',
    'Hold',
    'Closed',
  ];
  const invoices: SandboxDocument[] = [];
  for (let n = 0; n < invoiceCount; n++) {
    const customer = pick(visma.customers);
    const t = tick();
    let location: SandboxLocation | null = locationOf(customer.number, 'MAIN');
    if (customer.number === DEMO_FOREIGN_LOCATION.customerNumber && random() < OSLO_SHARE)
      location = locationOf(customer.number, DEMO_FOREIGN_LOCATION.locationId);
    if (random() < NO_LOCATION_SHARE) location = null;
    const zoneId = location ? location.vatZoneId : (customer.vatZone?.id ?? null);
    const factor = PRICE_FACTOR[customer.currencyId]!;
    const lines: SandboxLine[] = [];
    const addLine = (item: (typeof DEMO_ITEMS)[number], quantity: number, categoryId: string) => {
      const unit = taxOn(toMinor(item.price), factor);
      lines.push({
        lineNumber: lines.length + 1,
        inventoryNumber: item.number,
        description: item.description,
        quantity,
        unitPrice: 0,
        unitPriceInCurrency: fromMinor(unit),
        amount: 0,
        amountInCurrency: fromMinor(unit * quantity),
        vatCode: category(categoryId),
      });
    };
    const lineCount = 1 + Math.floor(random() * 4);
    for (let l = 1; l <= lineCount; l++) {
      const item = pick(GOODS);
      const quantity = 1 + Math.floor(random() * 12);
      const wrongBook = item.vatCategory === 'BOOK' && random() < STD_BOOK_SHARE; // Visma books 25 %, not 6 %
      addLine(item, quantity, wrongBook ? 'STD' : item.vatCategory);
    }
    const swedishB2B = customer.mainAddress.country?.id === 'SE' && customer.vatRegistrationId !== null;
    if (swedishB2B && zoneId === '01' && random() < MONTAGE_SHARE)
      addLine(MONTAGE, 1 + Math.floor(random() * 3), MONTAGE.vatCategory);
    const status = pick(statuses);
    const note = random() < NOTE_SHARE ? pick(NOTES) : null;
    const docDate = t.at.slice(0, 10);
    const doc: SandboxDocument = {
      kind: 'invoice',
      documentType: 'Invoice',
      referenceNumber: String(260001 + n),
      status,
      hold: status === 'Hold',
      customer: { number: customer.number, name: customer.name },
      documentDate: docDate,
      origInvoiceDate: null,
      documentDueDate: addDays(docDate, 30),
      cashDiscountDate: addDays(docDate, 10),
      currencyId: customer.currencyId,
      exchangeRate: DEMO_EXCHANGE_RATES[customer.currencyId]!,
      customerVatZoneId: zoneId,
      location: location
        ? { id: location.locationId, name: location.locationName, countryId: location.address.country!.id }
        : null,
      lines,
      taxDetails: [],
      note,
      applications: [],
      detailTotal: 0,
      detailTotalInCurrency: 0,
      vatTotal: 0,
      vatTotalInCurrency: 0,
      amount: 0,
      amountInCurrency: 0,
      lastModifiedDateTime: t.at,
      createdDateTime: t.at,
      timeStamp: t.ts,
    };
    applyVismaVat(doc, visma);
    invoices.push(doc);
  }
  const credits: SandboxDocument[] = [];
  for (let n = 0; n < creditCount; n++) {
    const original = pick(invoices);
    const t = tick();
    const lines = structuredClone(original.lines)
      .slice(0, 1 + Math.floor(random() * original.lines.length))
      .map((l, i) => ({ ...l, lineNumber: i + 1 }));
    const status = random() < 0.6 ? 'Balanced' : 'Open';
    const note = random() < NOTE_SHARE ? pick(NOTES) : null;
    const docDate = [original.documentDate, t.at.slice(0, 10)].sort().at(-1)!; // never before the invoice
    const doc: SandboxDocument = {
      ...structuredClone(original),
      kind: 'credit-note',
      documentType: 'CreditNote',
      referenceNumber: String(270001 + n),
      status,
      hold: false,
      origInvoiceDate: original.documentDate,
      documentDate: docDate,
      documentDueDate: addDays(docDate, 30),
      cashDiscountDate: addDays(docDate, 10),
      lines,
      taxDetails: [],
      note,
      applications: [],
      lastModifiedDateTime: t.at,
      createdDateTime: t.at,
      timeStamp: t.ts,
    };
    applyVismaVat(doc, visma);
    if (random() < 0.5) {
      const balance = Math.max(0, toMinor(original.amountInCurrency) - toMinor(doc.amountInCurrency));
      const released = status === 'Open';
      doc.applications.push({
        docType: 'Invoice',
        customerCd: original.customer.number,
        refNbr: original.referenceNumber,
        amountPaid: doc.amountInCurrency,
        balance: fromMinor(balance),
        released,
        status: released ? (balance === 0 ? 'Closed' : 'Open') : 'Balanced',
        applicationDate: docDate,
      });
    }
    credits.push(doc);
  }
  const debits = seedDebitNotes(visma, invoices, {
    count: options.debitNotes ?? Math.round(invoiceCount / 16),
    from: start,
    to: latest,
    random: prng((options.seed ?? 20261125) + 1),
  });
  visma.documents = [...invoices, ...credits, ...debits];

  const avatax = emptyAvaTaxState();
  avatax.accounts.push({
    accountId: DEMO_CREDENTIALS.avalara.accountId,
    licenseKey: DEMO_CREDENTIALS.avalara.licenseKey,
  });
  avatax.companies.push({
    companyCode: DEMO_CREDENTIALS.avalara.companyCode,
    companyId: 7_654_321,
    country: 'SE',
    vatNumber: 'SE556000111201',
  });
  avatax.directory = US_DIRECTORY.map((d) => ({ ...d }));
  return { visma, avatax };
}

/**
 * Debit notes: an extra charge to the customer of an invoice (freight charged afterwards, a price raised), in the
 * invoice's zone, location and currency, dated on or after it; mostly unreleased, some released. They name no
 * invoice (applications stay empty) and carry VAT like any sale.
 */
function seedDebitNotes(
  visma: VismaSandboxState,
  invoices: readonly SandboxDocument[],
  options: { count: number; from: number; to: number; random: () => number },
): SandboxDocument[] {
  const { random, count } = options;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const statuses: SandboxDocument['status'][] = ['Balanced', 'Balanced', 'Balanced', 'Open', 'Open', 'Hold', 'Closed'];
  const freight = DEMO_ITEMS.find((i) => i.number === 'FRAKT')!;
  const out: SandboxDocument[] = [];
  for (let n = 0; n < count && invoices.length > 0; n++) {
    const invoice = pick(invoices);
    const at = Math.floor(options.from + ((n + 1) * (options.to - options.from)) / (count + 1));
    const modified = vismaDateTime(Math.max(at, Date.parse(`${invoice.documentDate}T00:00:00Z`)));
    visma.rowVersion += 1;
    const source = invoice.lines[0]!;
    const factor = PRICE_FACTOR[invoice.currencyId]!;
    const surcharge = random() < 0.5;
    const unit = surcharge ? taxOn(toMinor(freight.price), factor) : taxOn(toMinor(source.unitPriceInCurrency), 0.1);
    const quantity = surcharge ? 1 : source.quantity;
    const line: SandboxLine = {
      ...structuredClone(source),
      lineNumber: 1,
      inventoryNumber: surcharge ? freight.number : source.inventoryNumber,
      description: surcharge ? `${freight.description} (efterdebitering)` : `Prisjustering: ${source.description}`,
      quantity,
      unitPrice: 0,
      unitPriceInCurrency: fromMinor(unit),
      amount: 0,
      amountInCurrency: fromMinor(unit * quantity),
      vatCode: surcharge ? { id: 'STD', description: 'STD' } : source.vatCode,
    };
    const status = pick(statuses);
    const docDate = modified.slice(0, 10);
    const doc: SandboxDocument = {
      ...structuredClone(invoice),
      kind: 'debit-note',
      documentType: 'DebitNote',
      referenceNumber: String(280001 + n),
      status,
      hold: status === 'Hold',
      origInvoiceDate: null,
      documentDate: docDate,
      documentDueDate: addDays(docDate, 30),
      cashDiscountDate: addDays(docDate, 10),
      lines: [line],
      taxDetails: [],
      note: null,
      applications: [],
      lastModifiedDateTime: modified,
      createdDateTime: modified,
      timeStamp: rowVersionToTimeStamp(visma.rowVersion),
    };
    const category = visma.vatCategories.find((c) => c.vatCategoryId === line.vatCode?.id);
    if (category) line.vatCode = { id: category.vatCategoryId, description: category.description };
    applyVismaVat(doc, visma);
    out.push(doc);
  }
  return out;
}

/** The demo company's settings, pointing at sandboxes listening on the given URLs. */
export function demoSettings(urls: { visma: string; avatax: string }, startFrom: string): SettingsInput {
  return {
    visma: {
      tokenUrl: `${urls.visma}/connect/token`,
      apiUrl: urls.visma,
      tenantId: DEMO_CREDENTIALS.visma.tenantId,
      clientId: DEMO_CREDENTIALS.visma.clientId,
    },
    avalara: {
      environment: 'custom',
      apiUrl: urls.avatax,
      accountId: DEMO_CREDENTIALS.avalara.accountId,
      companyCode: DEMO_CREDENTIALS.avalara.companyCode,
    },
    company: { shipFrom: DEMO_SHIP_FROM, baseCurrency: 'SEK' },
    vatMapping: demoVatMapping(),
    itemTaxCodes: demoItemTaxCodes(),
    defaultTaxCode: 'P0000000',
    sync: { statuses: DEFAULT_SYNC_STATUSES, commit: 'on-release', concurrency: 4, startFrom },
  };
}

export const DEMO_SECRETS = {
  vismaClientSecret: DEMO_CREDENTIALS.visma.clientSecret,
  avalaraLicenseKey: DEMO_CREDENTIALS.avalara.licenseKey,
};
