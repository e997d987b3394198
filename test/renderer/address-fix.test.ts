import { describe, expect, it } from 'vitest';
import { addressDiff, isVatNumberReason, planFix } from '../../renderer/src/address-fix.js';

const visma = { line1: '1999 Marila Street', city: 'Dallas', region: 'TX', postalCode: '75201', country: 'US' };
const avatax = { line1: '1999 Marilla St', city: 'Dallas', region: 'TX', postalCode: '75201-1234', country: 'US' };

describe('correcting a flagged customer', () => {
  it('shows field by field what the suggestion changes', () => {
    expect(addressDiff(visma, avatax)).toEqual([
      { field: 'line1', from: '1999 Marila Street', to: '1999 Marilla St', changed: true },
      { field: 'postalCode', from: '75201', to: '75201-1234', changed: true },
      { field: 'city', from: 'Dallas', to: 'Dallas', changed: false },
      { field: 'region', from: 'TX', to: 'TX', changed: false },
      { field: 'country', from: 'US', to: 'US', changed: false },
    ]);
  });

  it('a flagged VAT number sends the VAT number only: the address nobody touched is not rewritten', () => {
    const de = { line1: 'Industriestraße 7', city: 'Stuttgart', postalCode: '70565', country: 'DE' };
    expect(isVatNumberReason('VAT number "DE12345" does not match the DE format (e.g. DE123456789)')).toBe(true);
    // As the address check now says it: a code, whatever the language the screen shows it in.
    expect(isVatNumberReason({ code: 'vat-number-format', params: { vatNumber: 'DE12345' } })).toBe(true);
    expect(isVatNumberReason({ code: 'address-city-missing' })).toBe(false);
    expect(
      planFix({
        current: de,
        form: { ...de },
        addressFlagged: false,
        vatOffered: true,
        currentVat: 'DE12345',
        vat: 'de 123456789',
      }),
    ).toEqual({ vatNumber: 'DE123456789', replacesStreet: false, nothing: false });
    expect(
      planFix({
        current: de,
        form: { ...de },
        addressFlagged: false,
        vatOffered: true,
        currentVat: 'DE12345',
        vat: 'DE12345',
      }).nothing,
    ).toBe(true);
  });

  it('a flagged address is sent whole; a new street is a replacement to confirm, a new postal code is not', () => {
    const street = planFix({ current: visma, form: avatax, addressFlagged: true, vatOffered: false, vat: '' });
    expect(street).toMatchObject({ address: avatax, replacesStreet: true, nothing: false });
    const postal = planFix({
      current: visma,
      form: { ...visma, postalCode: ' 75202 ' },
      addressFlagged: true,
      vatOffered: false,
      vat: '',
    });
    expect(postal).toMatchObject({ address: { ...visma, postalCode: '75202' }, replacesStreet: false });
    // An empty street in Visma is filled, not replaced.
    expect(
      planFix({ current: { ...visma, line1: '' }, form: visma, addressFlagged: true, vatOffered: false, vat: '' })
        .replacesStreet,
    ).toBe(false);
  });
});
