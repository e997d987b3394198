import { describe, expect, it } from 'vitest';
import { addressLine } from '../../shared/address.js';

describe('an address on one line', () => {
  it('says only the parts there are: no "9000 , DK" when the city is missing', () => {
    expect(addressLine({ line1: 'Algade 31', postalCode: '9000', city: '', country: 'DK' })).toBe(
      'Algade 31, 9000, DK',
    );
    expect(addressLine({ line1: 'Storgatan 1', postalCode: '411 24', city: 'Göteborg', country: 'SE' })).toBe(
      'Storgatan 1, 411 24 Göteborg, SE',
    );
    expect(addressLine({ line1: ' ', postalCode: '', city: 'Austin', region: 'TX', country: 'US' })).toBe(
      'Austin, TX, US',
    );
    expect(addressLine(undefined)).toBe('');
  });
});
