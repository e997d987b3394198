import { describe, expect, it } from 'vitest';
import {
  decimalSignOf,
  fractionToPercentText,
  percentToFraction,
  refusalOf,
  vatIdsFor,
} from '../../renderer/src/vat-mapping.js';
import type { VatLists } from '../../shared/ipc-channels.js';

const lists: VatLists = {
  categories: [
    { id: 'STD', description: 'Normal', active: true, vatIds: ['MP1', 'OSS-FI255', 'EUVF'] },
    { id: 'BOOK', description: 'Böcker', active: true, vatIds: ['MP3'] },
    { id: 'OLD', description: 'Gammal', active: false, vatIds: ['MP1'] },
    { id: 'RC', description: 'Omvänd', active: true, vatIds: ['RC-SE'] },
  ],
  zones: [
    { id: '01', description: 'Sverige', vatIds: ['MP1', 'MP3', 'RC-SE'] },
    { id: 'OSSFI', description: 'OSS Finland', vatIds: ['OSS-FI255'] },
  ],
  vats: [
    { id: 'MP1', description: '25 %', rate: 25 },
    { id: 'MP3', description: '6 %', rate: 6 },
    { id: 'OSS-FI255', description: '25,5 %', rate: 25.5 },
    { id: 'EUVF', description: 'EU', rate: 0 },
    { id: 'RC-SE', description: 'Omvänd', rate: 0 },
  ],
};

describe('the VAT mapping, in percent', () => {
  it('typing 14 means 14 %, stored as the exact fraction; 25,5 and 25.5 both mean 25.5 %', () => {
    expect(percentToFraction('14')).toBe(0.14);
    expect(percentToFraction('25,5')).toBe(0.255);
    expect(percentToFraction('25.5')).toBe(0.255);
    expect(percentToFraction(' 7 % ')).toBe(0.07);
    expect(percentToFraction('0')).toBe(0);
    expect(percentToFraction('')).toBeUndefined();
    expect(percentToFraction('0.25x')).toBe('invalid');
    expect(percentToFraction('101')).toBe('invalid');
    // Not the float product: 0.07 * 100 / 100 and friends never reach the settings.
    for (const p of ['7', '14', '25.5', '12', '5.5', '0.1', '19'])
      expect(percentToFraction(p)).toBe(Number(`0.${p.split('.')[0]!.padStart(2, '0')}${p.split('.')[1] ?? ''}`));
  });

  it('shows a stored fraction back in percent, with the locale’s decimal sign', () => {
    expect(fractionToPercentText(0.255)).toBe('25.5');
    expect(fractionToPercentText(0.255, decimalSignOf('sv-SE'))).toBe('25,5');
    expect(fractionToPercentText(0.07)).toBe('7');
    expect(fractionToPercentText(undefined)).toBe('');
  });
});

describe('a row Visma’s lists refuse is marked with the reason', () => {
  const row = (over: object) => ({ country: 'SE', vatCategoryId: 'STD', vatId: 'MP1', rate: 0.25, ...over });

  it('accepts what Visma holds', () => {
    expect(refusalOf(row({ vatZoneId: '01' }), lists)).toBeUndefined();
    expect(refusalOf(row({ vatCategoryId: 'RC', vatId: 'RC-SE', reverseCharge: true }), lists)).toBeUndefined();
    expect(refusalOf(row({ vatId: 'OSS-FI255', vatZoneId: 'OSSFI', rate: 0.255 }), lists)).toBeUndefined();
    expect(refusalOf(row({ vatId: 'EUVF', rate: 0 }), lists)).toBeUndefined();
  });

  it('a category without that VAT id, a zone without it, a rate not Visma’s, an unknown id', () => {
    expect(refusalOf(row({ vatCategoryId: 'BOOK' }), lists)).toEqual({
      key: 'categoryLacksVatId',
      category: 'BOOK',
      vatId: 'MP1',
    });
    expect(refusalOf(row({ vatZoneId: 'OSSFI' }), lists)).toEqual({
      key: 'zoneLacksVatId',
      zone: 'OSSFI',
      vatId: 'MP1',
    });
    expect(refusalOf(row({ rate: 0.2 }), lists)).toEqual({ key: 'rateDiffers', vatId: 'MP1', visma: 25, row: 20 });
    expect(refusalOf(row({ vatId: 'MP9' }), lists)).toEqual({ key: 'noVatId', vatId: 'MP9' });
    expect(refusalOf(row({ vatCategoryId: 'X' }), lists)).toEqual({ key: 'noCategory', category: 'X' });
    expect(refusalOf(row({ vatZoneId: 'ZZ' }), lists)).toEqual({ key: 'noZone', zone: 'ZZ' });
    expect(refusalOf(row({ vatCategoryId: 'OLD' }), lists)).toEqual({ key: 'inactiveCategory', category: 'OLD' });
  });

  it('offers only the VAT ids the row’s category and zone hold', () => {
    expect(vatIdsFor({ vatCategoryId: 'STD', vatZoneId: '01' }, lists)).toEqual(['MP1']);
    expect(vatIdsFor({ vatCategoryId: 'STD' }, lists)).toEqual(['MP1', 'OSS-FI255', 'EUVF']);
  });
});
