import type { SettingsInput } from '../../shared/settings.js';
import { type AvaTaxSandboxState, emptyAvaTaxState, US_DIRECTORY } from './avatax-state.js';
import { recomputeTotals } from './visma-server.js';
import {
  emptyVismaState,
  rowVersionToTimeStamp,
  type SandboxAddress,
  type SandboxCustomer,
  type SandboxDocument,
  type SandboxLine,
  type VismaSandboxState,
  vismaDateTime,
} from './visma-state.js';

/**
 * Nordväst Handel AB, a Swedish distributor: ~40 customers in SE, DK, DE, FI, NO and the US (some with broken
 * addresses), a few hundred invoices and credit notes in several statuses and currencies. Deterministic: the
 * same seed gives the same company.
 */

export const DEMO_CREDENTIALS = {
  visma: { clientId: 'nordvast-demo-client', clientSecret: 'demo-visma-secret-5f1c', tenantId: '7c2a5e0e-demo-tenant' },
  avalara: { accountId: '2001234567', licenseKey: 'DEMO4F1C9A7B2E6D', companyCode: 'NORDVAST' },
};

export const DEMO_SHIP_FROM = { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' };

export const DEMO_VAT_CATEGORIES = [
  { id: '01', description: 'Moms 25 %', rate: 0.25, country: 'SE', vatId: 'MP1' },
  { id: '02', description: 'Moms 12 %', rate: 0.12, country: 'SE', vatId: 'MP2' },
  { id: '03', description: 'Moms 6 %', rate: 0.06, country: 'SE', vatId: 'MP3' },
  { id: 'EU', description: 'EU-försäljning varor 0 %', rate: 0, country: 'DK', vatId: 'EUVF' },
  { id: 'EU', description: 'EU-försäljning varor 0 %', rate: 0, country: 'DE', vatId: 'EUVF' },
  { id: 'EU', description: 'EU-försäljning varor 0 %', rate: 0, country: 'FI', vatId: 'EUVF' },
  { id: 'OSSDK', description: 'OSS Danmark 25 %', rate: 0.25, country: 'DK', vatId: 'OSS-DK25' },
  { id: 'OSSDE', description: 'OSS Tyskland 19 %', rate: 0.19, country: 'DE', vatId: 'OSS-DE19' },
  { id: 'OSSDE7', description: 'OSS Tyskland 7 %', rate: 0.07, country: 'DE', vatId: 'OSS-DE7' },
  { id: 'EXP', description: 'Export 0 %', rate: 0, country: 'NO', vatId: 'EXPORT' },
  { id: 'USST', description: 'US sales tax (Avalara)', rate: -1, country: 'US', vatId: 'US-SALESTAX' },
] as const;

export function demoVatMapping(): SettingsInput['vatMapping'] {
  return DEMO_VAT_CATEGORIES.map((c) =>
    c.rate < 0
      ? { country: c.country, vatCategoryId: c.id, vatId: c.vatId }
      : { country: c.country, rate: c.rate, vatCategoryId: c.id, vatId: c.vatId },
  );
}

export const DEMO_ITEMS = [
  { number: 'VERKTYG-100', description: 'Skiftnyckel 10"', price: 249, taxCode: 'P0000000' },
  { number: 'VERKTYG-220', description: 'Borrmaskin 18 V', price: 1895, taxCode: 'P0000000' },
  { number: 'KAFFE-500', description: 'Kaffe mellanrost 500 g', price: 89.5, taxCode: 'PF050000' },
  { number: 'KNACKE-12', description: 'Knäckebröd 12-pack', price: 214.75, taxCode: 'PF050000' },
  { number: 'BOK-HANDB', description: 'Handbok för lagerarbete', price: 349, taxCode: 'PB100000' },
  { number: 'LAMPA-LED', description: 'LED-arbetslampa', price: 599, taxCode: 'P0000000' },
  { number: 'FRAKT', description: 'Frakt', price: 150, taxCode: 'FR010000' },
];

export function demoItemTaxCodes(): Record<string, string> {
  return Object.fromEntries(DEMO_ITEMS.filter((i) => i.taxCode !== 'P0000000').map((i) => [i.number, i.taxCode]));
}

interface CustomerSeed {
  name: string;
  country: string;
  line1: string;
  city: string;
  postalCode: string;
  region?: string;
  vat?: string;
  currency: string;
  delivery?: { line1: string; city: string; postalCode: string; country: string; region?: string };
}

const CUSTOMERS: CustomerSeed[] = [
  {
    name: 'Åkesson & Söner AB',
    country: 'SE',
    line1: 'Storgatan 4',
    city: 'Malmö',
    postalCode: '211 34',
    vat: 'SE556677889901',
    currency: 'SEK',
  },
  {
    name: 'Kärnhuset Göteborg AB',
    country: 'SE',
    line1: 'Vasagatan 17',
    city: 'Göteborg',
    postalCode: '411 24',
    vat: 'SE556012345601',
    currency: 'SEK',
  },
  {
    name: 'Öresunds Järn AB',
    country: 'SE',
    line1: 'Hamngatan 2',
    city: 'Helsingborg',
    postalCode: '252 21',
    currency: 'SEK',
  },
  {
    name: 'Lindqvist Bygg & Trä AB',
    country: 'SE',
    line1: 'Sågverksvägen 9',
    city: 'Umeå',
    postalCode: '903 25',
    vat: 'SE556998877601',
    currency: 'SEK',
  },
  {
    name: 'Café Blåbär HB',
    country: 'SE',
    line1: 'Drottninggatan 55',
    city: 'Stockholm',
    postalCode: '111 21',
    currency: 'SEK',
  },
  {
    name: 'Norrlands Livs AB',
    country: 'SE',
    line1: 'Köpmangatan 8',
    city: 'Luleå',
    postalCode: '972 31',
    vat: 'SE556443322101',
    currency: 'SEK',
  },
  {
    name: 'Ståhlberg Verktyg AB',
    country: 'SE',
    line1: 'Verkstadsgatan 3',
    city: 'Västerås',
    postalCode: '722 12',
    vat: 'SE556112233401',
    currency: 'SEK',
  },
  {
    name: 'Björkängens Förskola',
    country: 'SE',
    line1: 'Björkvägen 21',
    city: 'Uppsala',
    postalCode: '752 36',
    currency: 'SEK',
  },
  {
    name: 'Gränsö Marin AB',
    country: 'SE',
    line1: 'Båtvarvet 1',
    city: 'Västervik',
    postalCode: '593 92',
    vat: 'SE556771199201',
    currency: 'EUR',
  },
  {
    name: 'Ängsbacka Gård',
    country: 'SE',
    line1: 'Ängsbacka 1',
    city: 'Mölltorp',
    postalCode: '5463',
    currency: 'SEK',
  },
  {
    name: 'Fjällräven Outlet Östersund',
    country: 'SE',
    line1: 'Prästgatan 40',
    city: 'Östersund',
    postalCode: '831 31',
    vat: 'SE556321654901',
    currency: 'SEK',
  },
  {
    name: 'Hälsokosten i Lund',
    country: 'SE',
    line1: 'Klostergatan 12',
    city: 'Lund',
    postalCode: '222 22',
    currency: 'SEK',
  },
  {
    name: 'Sjöberg El & Data',
    country: 'SE',
    line1: 'Elvägen 7',
    city: 'Karlstad',
    postalCode: '652 21',
    vat: 'SE556888777601',
    currency: 'SEK',
  },
  {
    name: 'Tågbolaget i Dalarna AB',
    country: 'SE',
    line1: 'Stationsgatan 1',
    city: 'Falun',
    postalCode: '791 71',
    vat: 'SE556345345301',
    currency: 'SEK',
  },
  {
    name: 'Ørsted Værktøj ApS',
    country: 'DK',
    line1: 'Vesterbrogade 98',
    city: 'København V',
    postalCode: '1620',
    vat: 'DK12345678',
    currency: 'DKK',
  },
  {
    name: 'Blåbær Ægir A/S',
    country: 'DK',
    line1: 'Havnegade 3',
    city: 'Aarhus C',
    postalCode: '8000',
    vat: 'DK87654321',
    currency: 'DKK',
  },
  {
    name: 'Søren Møller Byg',
    country: 'DK',
    line1: 'Østergade 14',
    city: 'Odense C',
    postalCode: '5000',
    currency: 'DKK',
  },
  {
    name: 'Kære Kaffe ApS',
    country: 'DK',
    line1: 'Nørrebrogade 200',
    city: 'København N',
    postalCode: '2200',
    currency: 'DKK',
  },
  { name: 'Fyns Æblehave', country: 'DK', line1: 'Æblevej 5', city: 'Svendborg', postalCode: '5700', currency: 'DKK' },
  {
    name: 'Jørgensen & Ko',
    country: 'DK',
    line1: 'Algade 31',
    city: '',
    postalCode: '9000',
    vat: 'DK11223344',
    currency: 'DKK',
  },
  {
    name: 'Ålborg Lager A/S',
    country: 'DK',
    line1: 'Vesterbro 60',
    city: 'Aalborg',
    postalCode: '9000',
    vat: 'DK44332211',
    currency: 'EUR',
  },
  {
    name: 'Hygge Hjem ApS',
    country: 'DK',
    line1: 'Strøget 2',
    city: 'København K',
    postalCode: '1160',
    currency: 'DKK',
  },
  {
    name: 'Müller & Groß GmbH',
    country: 'DE',
    line1: 'Königstraße 28',
    city: 'Stuttgart',
    postalCode: '70173',
    vat: 'DE123456789',
    currency: 'EUR',
  },
  {
    name: 'Bäckerei Weiß',
    country: 'DE',
    line1: 'Hauptstraße 5',
    city: 'Heidelberg',
    postalCode: '69117',
    currency: 'EUR',
  },
  {
    name: 'Straßenbau Köhler KG',
    country: 'DE',
    line1: 'Industriestraße 44',
    city: 'Köln',
    postalCode: '50735',
    vat: 'DE987654321',
    currency: 'EUR',
  },
  {
    name: 'Grüne Küche Hamburg',
    country: 'DE',
    line1: 'Große Elbstraße 145',
    city: 'Hamburg',
    postalCode: '22767',
    currency: 'EUR',
  },
  {
    name: 'Schröder Maschinenbau AG',
    country: 'DE',
    line1: 'Werkstraße 1',
    city: 'München',
    postalCode: '80331',
    vat: 'DE12345',
    currency: 'EUR',
  },
  {
    name: 'Fleißige Hände e.K.',
    country: 'DE',
    line1: 'Bahnhofstraße 9',
    city: 'Leipzig',
    postalCode: '04109',
    currency: 'EUR',
  },
  {
    name: 'Süßwaren Günther GmbH',
    country: 'DE',
    line1: 'Zuckerweg 3',
    city: 'Dresden',
    postalCode: '01067',
    vat: 'DE246813579',
    currency: 'EUR',
  },
  {
    name: 'Buchhandlung Fröhlich',
    country: 'DE',
    line1: 'Marktplatz 7',
    city: 'Göttingen',
    postalCode: '37073',
    currency: 'EUR',
  },
  {
    name: 'Übersee Logistik GmbH',
    country: 'DE',
    line1: 'Am Sandtorkai 50',
    city: 'Hamburg',
    postalCode: '20457',
    vat: 'DE135792468',
    currency: 'EUR',
  },
  {
    name: 'Pohjoinen Kauppa Oy',
    country: 'FI',
    line1: 'Aleksanterinkatu 15',
    city: 'Helsinki',
    postalCode: '00100',
    currency: 'EUR',
  },
  {
    name: 'Kuopion Työkalu Oy',
    country: 'FI',
    line1: 'Kauppakatu 20',
    city: 'Kuopio',
    postalCode: '70100',
    vat: 'FI12345678',
    currency: 'EUR',
  },
  {
    name: 'Nordlys Handel AS',
    country: 'NO',
    line1: 'Karl Johans gate 22',
    city: 'Oslo',
    postalCode: '0159',
    vat: 'NO123456789MVA',
    currency: 'SEK',
  },
  {
    name: 'Pacific Outdoor Supply Inc.',
    country: 'US',
    region: 'CA',
    line1: '100 Main St',
    city: 'Irvine',
    postalCode: '92614',
    currency: 'USD',
  },
  {
    name: 'Hudson Hardware LLC',
    country: 'US',
    region: 'NY',
    line1: '350 5th Ave',
    city: 'New York',
    postalCode: '10118',
    currency: 'USD',
  },
  {
    name: 'Emerald City Tools',
    country: 'US',
    region: 'WA',
    line1: '400 Broad St',
    city: 'Seattle',
    postalCode: '98109',
    currency: 'USD',
  },
  {
    name: 'Lone Star Fika Co.',
    country: 'US',
    region: 'TX',
    line1: '9900 Marilla St',
    city: 'Dallas',
    postalCode: '75201',
    currency: 'USD',
  },
  {
    name: 'Irvine Nordic Imports',
    country: 'US',
    region: 'CA',
    line1: '55 Nowhere Rd',
    city: 'Irvine',
    postalCode: '92614',
    currency: 'USD',
  },
  {
    name: 'Åsa Lindgren (privat)',
    country: 'SE',
    line1: 'Gårdsvägen 3',
    city: 'Kiruna',
    postalCode: '981 31',
    currency: 'SEK',
    delivery: { line1: 'Lappgatan 1', city: 'Kiruna', postalCode: '981 32', country: 'SE' },
  },
];

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

const FX: Record<string, number> = { SEK: 1, DKK: 0.65, EUR: 0.087, USD: 0.094 };

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

export interface DemoSeed {
  visma: VismaSandboxState;
  avatax: AvaTaxSandboxState;
}

export function seedDemoCompany(options: {
  now: number;
  invoices?: number;
  creditNotes?: number;
  seed?: number;
}): DemoSeed {
  const random = prng(options.seed ?? 20261125);
  const visma = emptyVismaState();
  visma.clients.push({ ...DEMO_CREDENTIALS.visma });
  const categories = new Map<string, { id: string; description: string; rate: number }>();
  for (const c of DEMO_VAT_CATEGORIES) categories.set(c.id, { id: c.id, description: c.description, rate: c.rate });
  visma.vatCategories = [...categories.values()];
  const start = options.now - 24 * 86_400_000;
  let clock = start;
  const invoiceCount = options.invoices ?? 320;
  const creditCount = options.creditNotes ?? 40;
  // Spread customers and documents over the 24 days, so dates and months look like a real ledger.
  const step = Math.floor((options.now - 120_000 - start) / (CUSTOMERS.length + invoiceCount + creditCount));
  const tick = () => {
    clock += Math.floor(random() * step) + Math.floor(step / 2);
    visma.rowVersion += 1;
    return { at: vismaDateTime(Math.min(clock, options.now - 60_000)), ts: rowVersionToTimeStamp(visma.rowVersion) };
  };

  CUSTOMERS.forEach((seed, i) => {
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
      vatZone: {
        id:
          seed.country === 'SE'
            ? '01'
            : seed.country === 'US' || seed.country === 'NO'
              ? 'EXP'
              : seed.vat
                ? 'EU'
                : 'OSS',
        description: '',
      },
      lastModifiedDateTime: t.at,
      createdDateTime: t.at,
      timeStamp: t.ts,
    };
    visma.customers.push(customer);
  });

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
    const customer = visma.customers[Math.floor(random() * visma.customers.length)]!;
    const t = tick();
    const lineCount = 1 + Math.floor(random() * 4);
    const lines: SandboxLine[] = [];
    for (let l = 1; l <= lineCount; l++) {
      const item = DEMO_ITEMS[Math.floor(random() * DEMO_ITEMS.length)]!;
      const quantity = 1 + Math.floor(random() * 12);
      const unit = Math.round(item.price * FX[customer.currencyId]! * 100) / 100;
      const amount = Math.round(unit * quantity * 100) / 100;
      lines.push({
        lineNumber: l,
        inventoryNumber: item.number,
        description: item.description,
        quantity,
        unitPrice: unit,
        unitPriceInCurrency: unit,
        amount,
        amountInCurrency: amount,
        vatCode: null,
      });
    }
    const docDate = t.at.slice(0, 10);
    const doc: SandboxDocument = {
      kind: 'invoice',
      documentType: 'Invoice',
      referenceNumber: String(260001 + n),
      status: statuses[Math.floor(random() * statuses.length)]!,
      hold: false,
      customer: { number: customer.number, name: customer.name },
      documentDate: docDate,
      origInvoiceDate: null,
      currencyId: customer.currencyId,
      lines,
      taxDetails: [],
      note: null,
      detailTotal: 0,
      vatTotal: 0,
      amount: 0,
      lastModifiedDateTime: t.at,
      createdDateTime: t.at,
      timeStamp: t.ts,
    };
    doc.hold = doc.status === 'Hold';
    recomputeTotals(doc);
    invoices.push(doc);
  }
  const credits: SandboxDocument[] = [];
  for (let n = 0; n < creditCount; n++) {
    const original = invoices[Math.floor(random() * invoices.length)]!;
    const t = tick();
    const lines = original.lines
      .slice(0, 1 + Math.floor(random() * original.lines.length))
      .map((l, i) => ({ ...l, lineNumber: i + 1, vatCode: null }));
    const doc: SandboxDocument = {
      ...original,
      kind: 'credit-note',
      documentType: 'CreditNote',
      referenceNumber: String(270001 + n),
      status: random() < 0.6 ? 'Balanced' : 'Open',
      hold: false,
      origInvoiceDate: original.documentDate,
      documentDate: [original.documentDate, t.at.slice(0, 10)].sort().at(-1)!, // never before the invoice
      lines,
      taxDetails: [],
      note: null,
      lastModifiedDateTime: t.at,
      createdDateTime: t.at,
      timeStamp: t.ts,
    };
    recomputeTotals(doc);
    credits.push(doc);
  }
  visma.documents = [...invoices, ...credits];

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
    company: { shipFrom: DEMO_SHIP_FROM },
    vatMapping: demoVatMapping(),
    itemTaxCodes: demoItemTaxCodes(),
    defaultTaxCode: 'P0000000',
    sync: { statuses: ['Balanced', 'Open'], commit: 'on-release', concurrency: 4, startFrom },
  };
}

export const DEMO_SECRETS = {
  vismaClientSecret: DEMO_CREDENTIALS.visma.clientSecret,
  avalaraLicenseKey: DEMO_CREDENTIALS.avalara.licenseKey,
};
