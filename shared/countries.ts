import { type Reason, reason } from './reasons.js';

/**
 * Countries and currencies, one table for every side (the address rules, Settings and its pickers, the VAT
 * report): ISO 3166-1 alpha-2 codes, ISO 4217 currency codes, the EU, postal-code formats and VAT-number formats.
 * Hand-kept rather than a dependency: a few kilobytes of codes that change once in years, and the formats the
 * company ships to (the EU's, its Nordic and other neighbours', the US and Canada) checked against each country's
 * own rules. Refusals are reason codes (shared/i18n/reasons.*.json), said in the reader's language.
 */

export const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
    'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT ' +
    'JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG ' +
    'NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH ' +
    'TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/**
 * ISO 4217 currency codes a company keeps its books in (the active list without funds, precious metals and test
 * codes: no BOV, CHE, XAU, XTS, XXX…). HRK left on 2023-01-01 when Croatia took the euro.
 */
export const ISO_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF ' +
    'CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD ' +
    'HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL ' +
    'LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR ' +
    'PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND ' +
    'TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** The EU's member states (ISO codes; Greece is GR here, EL only in VAT numbers). */
export const EU_COUNTRIES: ReadonlySet<string> = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '),
);

/** Postal-code formats (upper-cased input); countries not listed only need a non-empty code. */
export const POSTAL_FORMATS: Record<string, { pattern: RegExp; example: string }> = {
  SE: { pattern: /^\d{3} ?\d{2}$/, example: '411 24' },
  DK: { pattern: /^\d{4}$/, example: '1620' },
  DE: { pattern: /^\d{5}$/, example: '70173' },
  FI: { pattern: /^\d{5}$/, example: '00100' },
  NO: { pattern: /^\d{4}$/, example: '0159' },
  IS: { pattern: /^\d{3}$/, example: '101' },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/, example: '1012 AB' },
  BE: { pattern: /^\d{4}$/, example: '1000' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  AT: { pattern: /^\d{4}$/, example: '1010' },
  CH: { pattern: /^\d{4}$/, example: '8001' },
  PL: { pattern: /^\d{2}-\d{3}$/, example: '00-950' },
  ES: { pattern: /^\d{5}$/, example: '28001' },
  IT: { pattern: /^\d{5}$/, example: '00118' },
  EE: { pattern: /^\d{5}$/, example: '10111' },
  LV: { pattern: /^LV-\d{4}$/, example: 'LV-1050' },
  LT: { pattern: /^(LT-)?\d{5}$/, example: 'LT-01100' },
  BG: { pattern: /^\d{4}$/, example: '1000' },
  HR: { pattern: /^\d{5}$/, example: '10000' },
  CY: { pattern: /^\d{4}$/, example: '1010' },
  CZ: { pattern: /^\d{3} ?\d{2}$/, example: '110 00' },
  GR: { pattern: /^\d{3} ?\d{2}$/, example: '105 57' },
  HU: { pattern: /^\d{4}$/, example: '1051' },
  LU: { pattern: /^(L-)?\d{4}$/, example: 'L-1118' },
  MT: { pattern: /^[A-Z]{3} ?\d{2,4}$/, example: 'VLT 1117' },
  PT: { pattern: /^\d{4}-\d{3}$/, example: '1000-001' },
  RO: { pattern: /^\d{6}$/, example: '010011' },
  SK: { pattern: /^\d{3} ?\d{2}$/, example: '811 01' },
  SI: { pattern: /^(SI-)?\d{4}$/, example: '1000' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, example: 'SW1A 1AA' },
  IE: { pattern: /^[A-Z]\d{2} ?[A-Z\d]{4}$/, example: 'D02 X285' },
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '92614' },
  CA: { pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/, example: 'M5V 3L9' },
};

/**
 * VAT registration numbers with their prefix, by the prefix: every EU member state's (the formats the EU's VIES
 * checks; Greece's prefix is EL), Northern Ireland's XI, and NO, GB and CH.
 */
export const VAT_FORMATS: Record<string, { pattern: RegExp; example: string }> = {
  SE: { pattern: /^SE\d{10}01$/, example: 'SE556677889901' },
  DK: { pattern: /^DK\d{8}$/, example: 'DK12345678' },
  DE: { pattern: /^DE\d{9}$/, example: 'DE123456789' },
  FI: { pattern: /^FI\d{8}$/, example: 'FI12345678' },
  NO: { pattern: /^NO\d{9}(MVA)?$/, example: 'NO123456789MVA' },
  NL: { pattern: /^NL\d{9}B\d{2}$/, example: 'NL123456789B01' },
  BE: { pattern: /^BE[01]\d{9}$/, example: 'BE0123456789' },
  FR: { pattern: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, example: 'FR12345678901' },
  AT: { pattern: /^ATU\d{8}$/, example: 'ATU12345678' },
  PL: { pattern: /^PL\d{10}$/, example: 'PL1234567890' },
  ES: { pattern: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, example: 'ESX1234567X' },
  IT: { pattern: /^IT\d{11}$/, example: 'IT12345678901' },
  EE: { pattern: /^EE\d{9}$/, example: 'EE123456789' },
  LV: { pattern: /^LV\d{11}$/, example: 'LV12345678901' },
  LT: { pattern: /^LT(\d{9}|\d{12})$/, example: 'LT123456789' },
  IE: { pattern: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, example: 'IE1234567T' },
  GB: { pattern: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: 'GB123456789' },
  XI: { pattern: /^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: 'XI123456789' },
  BG: { pattern: /^BG\d{9,10}$/, example: 'BG123456789' },
  HR: { pattern: /^HR\d{11}$/, example: 'HR12345678901' },
  CY: { pattern: /^CY\d{8}[A-Z]$/, example: 'CY12345678X' },
  CZ: { pattern: /^CZ\d{8,10}$/, example: 'CZ12345678' },
  EL: { pattern: /^EL\d{9}$/, example: 'EL123456789' },
  HU: { pattern: /^HU\d{8}$/, example: 'HU12345678' },
  LU: { pattern: /^LU\d{8}$/, example: 'LU12345678' },
  MT: { pattern: /^MT\d{8}$/, example: 'MT12345678' },
  PT: { pattern: /^PT\d{9}$/, example: 'PT123456789' },
  RO: { pattern: /^RO\d{2,10}$/, example: 'RO1234567890' },
  SI: { pattern: /^SI\d{8}$/, example: 'SI12345678' },
  SK: { pattern: /^SK\d{10}$/, example: 'SK1234567890' },
  CH: { pattern: /^CHE\d{9}(MWST|TVA|IVA)?$/, example: 'CHE123456789MWST' },
};

/** The prefixes a country's VAT numbers carry: its ISO code, but EL for Greece, and XI beside GB. */
export function vatPrefixes(country: string): string[] {
  const c = country.trim().toUpperCase();
  if (c === 'GR') return ['EL'];
  if (c === 'GB') return ['GB', 'XI'];
  if (c === 'CH') return ['CH'];
  return [c];
}

/** Removes spaces, dots and dashes a user may type inside a VAT number. */
export function normaliseVatNumber(vat: string): string {
  return vat.toUpperCase().replace(/[\s.-]/g, '');
}

/**
 * A buyer's VAT number as the sale takes it (B2B, intra-EU zero rate, the EU sales list), checked against the
 * customer's country and the seller's: it must carry the customer's country prefix (a Swedish SE number saved for
 * a German customer would post the sale at 0 % as intra-EU B2B under the seller's own country's number), and it
 * must have that country's format. Each refusal is a reason with the number and the countries in it.
 */
export function checkVatNumber(
  vatNumber: string,
  countries: { customerCountry?: string; sellerCountry?: string } = {},
): Reason[] {
  const vat = normaliseVatNumber(vatNumber);
  if (!/^[A-Z]{2}/.test(vat)) return [reason('vat-number-no-prefix', { number: vatNumber.trim() })];
  const prefix = vat.slice(0, 2);
  const customer = countries.customerCountry?.trim().toUpperCase();
  const seller = countries.sellerCountry?.trim().toUpperCase();
  if (customer && ISO_COUNTRIES.has(customer) && !vatPrefixes(customer).includes(prefix) && !vat.startsWith('CHE')) {
    const expected = vatPrefixes(customer).join('/');
    if (seller && customer !== seller && vatPrefixes(seller).includes(prefix))
      return [reason('vat-number-seller-country', { number: vat, prefix, country: customer, expected })];
    return [reason('vat-number-other-country', { number: vat, prefix, country: customer, expected })];
  }
  const format = VAT_FORMATS[vat.startsWith('CHE') ? 'CH' : prefix];
  if (format && !format.pattern.test(vat))
    return [reason('vat-number-format', { number: vat, prefix, example: format.example })];
  return [];
}

/** A postal code against its country's format, when the table has one. */
export function checkPostalCode(postalCode: string, country: string): Reason | undefined {
  const format = POSTAL_FORMATS[country.trim().toUpperCase()];
  const code = postalCode.trim().toUpperCase();
  if (!format || format.pattern.test(code)) return undefined;
  return reason('postal-code-format', {
    postalCode: postalCode.trim(),
    country: country.trim().toUpperCase(),
    example: format.example,
  });
}

/**
 * A country typed by name ("Sverige", "Germany", "Tyskland", "Dänemark") as its ISO code, from the names Intl
 * gives in the app's four languages; undefined when nothing matches.
 */
export function countryFromName(text: string): string | undefined {
  const wanted = fold(text);
  if (wanted.length < 3) return undefined;
  for (const lang of ['en', 'sv', 'da', 'de']) {
    let names: Intl.DisplayNames;
    try {
      names = new Intl.DisplayNames([lang], { type: 'region' });
    } catch {
      continue;
    }
    for (const code of ISO_COUNTRIES) if (fold(names.of(code) ?? '') === wanted) return code;
  }
  return undefined;
}

/** Why a typed country is refused: a name gets its code suggested ("Sverige" → SE), anything else is not ISO. */
export function countryProblem(value: string): Reason | undefined {
  const code = value.trim().toUpperCase();
  if (ISO_COUNTRIES.has(code)) return undefined;
  const named = countryFromName(value);
  if (named) return reason('country-by-name', { value: value.trim(), code: named });
  return reason('country-not-iso', { value: value.trim() });
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();
}
