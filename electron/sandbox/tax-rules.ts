import { EU_COUNTRIES } from '../../shared/countries.js';
import { type Minor, taxOn } from '../../shared/money.js';

/**
 * The VAT a Swedish seller really gets, and a few US sales-tax jurisdictions, for the AvaTax sandbox.
 * Rules (AvaTax VAT guidance, post-2021 OSS): domestic SE at 25 / 12 / 6 %; intra-EU B2B with the buyer's
 * VAT number at 0 % (intra-Community supply); intra-EU B2C at the destination rate (OSS); exports outside
 * the EU at 0 %; US ship-to at the state + local sales-tax rates of the ship-to ZIP.
 */

type RateClass = 'standard' | 'food' | 'books';

const VAT_RATES: Record<string, Partial<Record<RateClass, number>> & { standard: number }> = {
  SE: { standard: 0.25, food: 0.12, books: 0.06 },
  DK: { standard: 0.25 },
  DE: { standard: 0.19, food: 0.07, books: 0.07 },
  FI: { standard: 0.255, food: 0.14, books: 0.1 },
  NL: { standard: 0.21, food: 0.09, books: 0.09 },
  FR: { standard: 0.2, food: 0.055, books: 0.055 },
  PL: { standard: 0.23, food: 0.05, books: 0.05 },
  AT: { standard: 0.2, food: 0.1, books: 0.1 },
  IE: { standard: 0.23 },
  ES: { standard: 0.21, food: 0.1, books: 0.04 },
  IT: { standard: 0.22, food: 0.1, books: 0.04 },
  BE: { standard: 0.21, food: 0.06, books: 0.06 },
  EE: { standard: 0.24 },
  LT: { standard: 0.21 },
  LV: { standard: 0.21 },
};

/** Avalara-style tax codes: PF… food, PB… books, anything else standard goods. */
export function rateClass(taxCode: string | undefined): RateClass {
  const code = (taxCode ?? 'P0000000').toUpperCase();
  if (code.startsWith('PF')) return 'food';
  if (code.startsWith('PB')) return 'books';
  return 'standard';
}

interface UsJurisdiction {
  jurisType: 'State' | 'County' | 'City' | 'Special';
  jurisCode: string;
  jurisName: string;
  rate: number;
}

/** A few real combined rates (state + local) by ZIP prefix; an unknown ZIP gets the state rate only. */
const US_ZIP: Record<string, { region: string; jurisdictions: UsJurisdiction[] }> = {
  '926': {
    region: 'CA',
    jurisdictions: [
      { jurisType: 'State', jurisCode: '06', jurisName: 'CALIFORNIA', rate: 0.06 },
      { jurisType: 'County', jurisCode: '059', jurisName: 'ORANGE', rate: 0.0025 },
      { jurisType: 'Special', jurisCode: 'EMAZ', jurisName: 'ORANGE COUNTY DISTRICT TAX SP', rate: 0.005 },
      { jurisType: 'Special', jurisCode: 'EMTN', jurisName: 'ORANGE CO LOCAL TAX SL', rate: 0.01 },
    ],
  },
  '100': {
    region: 'NY',
    jurisdictions: [
      { jurisType: 'State', jurisCode: '36', jurisName: 'NEW YORK', rate: 0.04 },
      { jurisType: 'City', jurisCode: '51000', jurisName: 'NEW YORK CITY', rate: 0.045 },
      {
        jurisType: 'Special',
        jurisCode: 'MCTD',
        jurisName: 'METROPOLITAN COMMUTER TRANSPORTATION DISTRICT',
        rate: 0.00375,
      },
    ],
  },
  '981': {
    region: 'WA',
    jurisdictions: [
      { jurisType: 'State', jurisCode: '53', jurisName: 'WASHINGTON', rate: 0.065 },
      { jurisType: 'City', jurisCode: '63000', jurisName: 'SEATTLE', rate: 0.0385 },
    ],
  },
  '752': {
    region: 'TX',
    jurisdictions: [
      { jurisType: 'State', jurisCode: '48', jurisName: 'TEXAS', rate: 0.0625 },
      { jurisType: 'City', jurisCode: '19000', jurisName: 'DALLAS', rate: 0.01 },
      { jurisType: 'Special', jurisCode: 'DART', jurisName: 'DALLAS MTA', rate: 0.01 },
    ],
  },
};

const US_STATE_RATES: Record<string, number> = {
  CA: 0.06,
  NY: 0.04,
  WA: 0.065,
  TX: 0.0625,
  FL: 0.06,
  IL: 0.0625,
  MN: 0.06875,
};

export interface TaxDetail {
  country: string;
  region: string;
  jurisType: string;
  jurisCode: string;
  jurisName: string;
  taxType: 'Output' | 'Input' | 'Sales';
  taxName: string;
  rateTypeCode: 'Standard' | 'ReducedA' | 'ReducedB' | 'Zero' | 'General';
  rate: number;
  taxableAmount: Minor;
  tax: Minor;
}

export interface LineTax {
  details: TaxDetail[];
  tax: Minor;
  taxable: Minor;
  exempt: Minor;
  messages: string[];
}

/** Document types whose lines can be reverse charged (sales and returns, invoices and orders). */
const SALES_TYPES = new Set(['SalesInvoice', 'ReturnInvoice', 'SalesOrder', 'ReturnOrder']);

export function computeLineTax(input: {
  sellerCountry: string;
  shipToCountry: string;
  shipToRegion?: string;
  shipToPostalCode?: string;
  buyerVatNumber?: string;
  taxCode?: string;
  amount: Minor;
  /** The transaction's type; absent: a sale. */
  documentType?: string;
}): LineTax {
  const seller = input.sellerCountry.toUpperCase();
  const dest = input.shipToCountry.toUpperCase();
  const cls = rateClass(input.taxCode);
  if (
    (input.taxCode ?? '').toUpperCase().startsWith('RC') &&
    dest === seller &&
    input.buyerVatNumber &&
    (input.documentType === undefined || SALES_TYPES.has(input.documentType))
  ) {
    return reverseCharge(seller, input.amount);
  }
  const vat = (
    country: string,
    rate: number,
    rateTypeCode: TaxDetail['rateTypeCode'],
    messages: string[] = [],
  ): LineTax => {
    const tax = taxOn(input.amount, rate);
    return {
      details: [
        {
          country,
          region: country,
          jurisType: 'Country',
          jurisCode: country,
          jurisName: countryName(country),
          taxType: 'Output',
          taxName: `${country} VAT`,
          rateTypeCode,
          rate,
          taxableAmount: input.amount,
          tax,
        },
      ],
      tax,
      taxable: input.amount,
      exempt: 0,
      messages,
    };
  };

  if (dest === 'US') return usSalesTax(input.amount, input.shipToRegion, input.shipToPostalCode);
  if (dest === seller) {
    const table = VAT_RATES[seller] ?? { standard: 0.25 };
    const rate = table[cls] ?? table.standard;
    return vat(seller, rate, cls === 'standard' ? 'Standard' : cls === 'food' ? 'ReducedA' : 'ReducedB');
  }
  if (EU_COUNTRIES.has(seller) && EU_COUNTRIES.has(dest)) {
    if (input.buyerVatNumber) {
      return vat(seller, 0, 'Zero', [
        'Intra-Community supply of goods, exempt under Article 138 of Directive 2006/112/EC. VAT to be accounted for by the recipient.',
      ]);
    }
    const table = VAT_RATES[dest] ?? VAT_RATES[seller] ?? { standard: 0.25 };
    const rate = table[cls] ?? table.standard;
    return vat(dest, rate, cls === 'standard' ? 'Standard' : cls === 'food' ? 'ReducedA' : 'ReducedB');
  }
  return vat(seller, 0, 'Zero', ['Export of goods outside the EU, exempt under Article 146 of Directive 2006/112/EC.']);
}

/**
 * Domestic reverse charge (Swedish construction services, ML 1 kap. 2 § / Art. 199): the buyer accounts for the
 * VAT. AvaTax shows it as an Output detail of +rate × amount and an Input detail of -rate × amount, so the line
 * tax (and taxCalculated) is 0. No reverseCharge flag: that is not a field of the real detail model.
 */
function reverseCharge(country: string, amount: Minor): LineTax {
  const rate = (VAT_RATES[country] ?? { standard: 0.25 }).standard;
  const tax = taxOn(amount, rate);
  const detail = (taxType: 'Output' | 'Input', value: Minor): TaxDetail => ({
    country,
    region: country,
    jurisType: 'Country',
    jurisCode: country,
    jurisName: countryName(country),
    taxType,
    taxName: taxType === 'Output' ? `${country} VAT` : `${country} VAT (reverse charge)`,
    rateTypeCode: 'Standard',
    rate,
    taxableAmount: amount,
    tax: value,
  });
  return {
    details: [detail('Output', tax), detail('Input', -tax)],
    tax: 0,
    taxable: amount,
    exempt: 0,
    messages: ['Reverse charge: the buyer accounts for the VAT (Article 199 of Directive 2006/112/EC).'],
  };
}

/** New York City spans several 3-digit ZIP prefixes. */
const ZIP_ALIASES: Record<string, string> = { '101': '100', '102': '100' };

function usSalesTax(amount: Minor, region?: string, postalCode?: string): LineTax {
  const prefix = (postalCode ?? '').slice(0, 3);
  const known = US_ZIP[ZIP_ALIASES[prefix] ?? prefix];
  const state = (region ?? known?.region ?? '').toUpperCase();
  const jurisdictions: UsJurisdiction[] =
    known && known.region === state
      ? known.jurisdictions
      : US_STATE_RATES[state] !== undefined
        ? [{ jurisType: 'State', jurisCode: state, jurisName: state, rate: US_STATE_RATES[state]! }]
        : [];
  const details = jurisdictions.map<TaxDetail>((j) => ({
    country: 'US',
    region: state,
    jurisType: j.jurisType,
    jurisCode: j.jurisCode,
    jurisName: j.jurisName,
    taxType: 'Sales',
    taxName: `${state} ${j.jurisType.toUpperCase()} TAX`,
    rateTypeCode: 'General',
    rate: j.rate,
    taxableAmount: amount,
    tax: taxOn(amount, j.rate),
  }));
  const tax = details.reduce((s, d) => s + d.tax, 0);
  return {
    details,
    tax,
    taxable: details.length > 0 ? amount : 0,
    exempt: details.length > 0 ? 0 : amount,
    messages: details.length > 0 ? [] : [`No nexus in ${state || 'this state'}: no sales tax collected.`],
  };
}

const NAMES: Record<string, string> = {
  SE: 'SWEDEN',
  DK: 'DENMARK',
  DE: 'GERMANY',
  FI: 'FINLAND',
  NO: 'NORWAY',
  US: 'UNITED STATES',
  GB: 'UNITED KINGDOM',
};
function countryName(code: string): string {
  return NAMES[code] ?? code;
}
