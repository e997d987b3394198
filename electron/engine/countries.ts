/** ISO 3166-1 alpha-2 codes, postal-code formats and VAT-number formats for the local address rules. */

export const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
    'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT ' +
    'JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG ' +
    'NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH ' +
    'TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
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
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, example: 'SW1A 1AA' },
  IE: { pattern: /^[A-Z]\d{2} ?[A-Z\d]{4}$/, example: 'D02 X285' },
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '92614' },
  CA: { pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/, example: 'M5V 3L9' },
};

/** VAT registration numbers with their country prefix (EU VIES formats, plus NO and GB). */
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
  IE: { pattern: /^IE\d{7}[A-W][A-I]?$/, example: 'IE1234567T' },
  GB: { pattern: /^GB(\d{9}|\d{12})$/, example: 'GB123456789' },
};

/** Removes spaces, dots and dashes a user may type inside a VAT number. */
export function normaliseVatNumber(vat: string): string {
  return vat.toUpperCase().replace(/[\s.-]/g, '');
}
