import { describe, expect, it } from 'vitest';
import { countryChoices, currencyChoices } from '../../renderer/src/pickers.js';

describe('the country and currency pickers in Settings', () => {
  it('every ISO 3166 country, named in the user’s language with its code, sorted by name', () => {
    const sv = countryChoices('sv-SE');
    expect(sv.length).toBeGreaterThan(240);
    expect(sv.find((c) => c.code === 'SE')).toEqual({ code: 'SE', label: 'Sverige (SE)' });
    expect(sv.find((c) => c.code === 'SV')?.label).toBe('El Salvador (SV)');
    expect(countryChoices('de-DE').find((c) => c.code === 'DK')?.label).toBe('Dänemark (DK)');
    const labels = sv.map((c) => c.label);
    expect(labels.indexOf('Danmark (DK)')).toBeLessThan(labels.indexOf('Sverige (SE)'));
  });

  it('every ISO 4217 currency a company keeps books in, no made-up one', () => {
    const choices = currencyChoices('en');
    expect(choices.find((c) => c.code === 'SEK')?.label).toBe('SEK – Swedish Krona');
    expect(choices.some((c) => c.code === 'XYZ' || c.code === 'XAU')).toBe(false);
  });

  it('a value saved before that the lists do not have stays visible (the form says why it is refused)', () => {
    expect(countryChoices('en', 'XX')[0]).toEqual({ code: 'XX', label: 'XX' });
    expect(currencyChoices('en', 'XYZ')[0]).toEqual({ code: 'XYZ', label: 'XYZ' });
    expect(countryChoices('en', 'se').filter((c) => c.code === 'SE')).toHaveLength(1);
  });
});
