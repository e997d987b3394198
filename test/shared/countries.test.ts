import { describe, expect, it } from 'vitest';
import {
  checkPostalCode,
  checkVatNumber,
  countryProblem,
  ISO_COUNTRIES,
  ISO_CURRENCIES,
} from '../../shared/countries.js';
import { formatReason } from '../../shared/reason-format.js';

const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

describe('buyer VAT numbers: the customer’s country prefix, each EU country’s format', () => {
  it('refuses the seller’s own country’s number for a foreign customer, saying why in each language', () => {
    const [problem] = checkVatNumber('SE556677889901', { customerCountry: 'DE', sellerCountry: 'SE' });
    expect(problem).toMatchObject({
      code: 'vat-number-seller-country',
      params: { number: 'SE556677889901', prefix: 'SE', country: 'DE', expected: 'DE' },
    });
    expect(formatReason(problem!, 'en')).toBe(
      'VAT number SE556677889901 is a SE number, the seller’s own country’s: a customer in DE needs its own VAT number, starting with DE',
    );
    expect(formatReason(problem!, 'sv')).toMatch(/^Momsregistreringsnumret SE556677889901 är ett SE-nummer/);
    expect(formatReason(problem!, 'de')).toMatch(/^Die USt-IdNr\. SE556677889901/);
  });

  it('refuses another country’s number; takes the customer’s own (EL for Greece, XI beside GB)', () => {
    expect(codes(checkVatNumber('DK12345678', { customerCountry: 'DE', sellerCountry: 'SE' }))).toEqual([
      'vat-number-other-country',
    ]);
    expect(checkVatNumber('GR123456789', { customerCountry: 'GR' })[0]?.params?.expected).toBe('EL');
    expect(checkVatNumber('EL123456789', { customerCountry: 'GR' })).toEqual([]);
    expect(checkVatNumber('XI123456789', { customerCountry: 'GB' })).toEqual([]);
    // A Swedish customer's Swedish number at a Swedish seller: a domestic sale, nothing wrong.
    expect(checkVatNumber('SE556677889901', { customerCountry: 'SE', sellerCountry: 'SE' })).toEqual([]);
    expect(codes(checkVatNumber('123456789'))).toEqual(['vat-number-no-prefix']);
  });

  // The formats VIES checks, one valid number per member state (and a few second shapes), written out here.
  const valid = [
    'ATU12345678',
    'BE0123456789',
    'BE1234567890',
    'BG123456789',
    'BG1234567890',
    'CY12345678L',
    'CZ12345678',
    'CZ123456789',
    'CZ1234567890',
    'DE123456789',
    'DK12345678',
    'EE123456789',
    'EL123456789',
    'ESA1234567B',
    'ES12345678Z',
    'FI12345678',
    'FR12123456789',
    'FRXX123456789',
    'HR12345678901',
    'HU12345678',
    'IE1234567WA',
    'IE1234567T',
    'IE1A23456B',
    'IT12345678901',
    'LT123456789',
    'LT123456789012',
    'LU12345678',
    'LV12345678901',
    'MT12345678',
    'NL123456789B01',
    'PL1234567890',
    'PT123456789',
    'RO12',
    'RO1234567890',
    'SE123456789001',
    'SI12345678',
    'SK1234567890',
  ];
  it.each(valid)('%s has its country’s format', (vat) => {
    expect(checkVatNumber(vat)).toEqual([]);
  });

  const broken = [
    'ATU1234567',
    'BE2123456789',
    'BG12345678',
    'CY123456789',
    'CZ1234567',
    'DE12345678',
    'DK1234567',
    'EE12345678',
    'EL12345678',
    'ES12345678',
    'FI1234567',
    'FR1234567890',
    'HR1234567890',
    'HU1234567',
    'IE123456',
    'IT1234567890',
    'LT1234567890',
    'LU1234567',
    'LV1234567890',
    'MT1234567',
    'NL123456789001',
    'PL123456789',
    'PT12345678',
    'RO1',
    'SE1234567890',
    'SI1234567',
    'SK123456789',
  ];
  it.each(broken)('%s is refused with its country’s format and an example', (vat) => {
    const [problem] = checkVatNumber(vat);
    expect(problem?.code).toBe('vat-number-format');
    expect(problem?.params?.example).toEqual(expect.any(String));
  });
});

describe('postal codes, countries and currencies', () => {
  it('each EU country’s postal format', () => {
    expect(checkPostalCode('5463', 'SE')?.code).toBe('postal-code-format');
    for (const [code, country] of [
      ['1000-001', 'PT'],
      ['L-1118', 'LU'],
      ['VLT 1117', 'MT'],
      ['010011', 'RO'],
      ['110 00', 'CZ'],
      ['105 57', 'GR'],
    ])
      expect(checkPostalCode(code!, country!), `${country} ${code}`).toBeUndefined();
    expect(checkPostalCode('1000001', 'PT')?.params).toMatchObject({ country: 'PT', example: '1000-001' });
  });

  it('a country is an ISO 3166 code; one typed by name is refused with its code', () => {
    expect(ISO_COUNTRIES.has('SE')).toBe(true);
    expect(countryProblem('se')).toBeUndefined();
    expect(countryProblem('Sverige')).toMatchObject({
      code: 'country-by-name',
      params: { value: 'Sverige', code: 'SE' },
    });
    expect(countryProblem('Tyskland')?.params?.code).toBe('DE');
    expect(countryProblem('Dänemark')?.params?.code).toBe('DK');
    expect(countryProblem('XX')).toMatchObject({ code: 'country-not-iso', params: { value: 'XX' } });
  });

  it('currencies are ISO 4217 codes a company keeps books in', () => {
    for (const c of ['SEK', 'DKK', 'EUR', 'NOK', 'USD', 'GBP', 'CHF', 'ISK'])
      expect(ISO_CURRENCIES.has(c), c).toBe(true);
    for (const c of ['XYZ', 'XXX', 'XAU', 'HRK', 'SEKK']) expect(ISO_CURRENCIES.has(c), c).toBe(false);
  });
});
