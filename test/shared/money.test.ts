import { describe, expect, it } from 'vitest';
import { fromMinor, minorToDecimalString, rateKey, sumMinor, taxOn, toMinor } from '../../shared/money.js';

describe('money in minor units', () => {
  it('converts API decimals exactly, without float noise', () => {
    expect(toMinor(0.1 + 0.2)).toBe(30);
    expect(toMinor(1234.5)).toBe(123450);
    expect(toMinor('19.995')).toBe(2000);
    expect(toMinor(-15.146875)).toBe(-1515);
    expect(toMinor(1e-7)).toBe(0);
    expect(toMinor(100, 0)).toBe(100);
  });

  it('rejects what is not an amount', () => {
    expect(() => toMinor('12,50')).toThrow(/Not a decimal/);
    expect(() => toMinor(Number.NaN)).toThrow();
    expect(() => toMinor('')).toThrow();
  });

  it('round-trips to decimals and strings', () => {
    expect(fromMinor(123450)).toBe(1234.5);
    expect(minorToDecimalString(-5)).toBe('-0.05');
    expect(minorToDecimalString(100000)).toBe('1000.00');
    expect(sumMinor([10, 20, -5])).toBe(25);
  });

  it('computes tax per line rounded half away from zero', () => {
    expect(taxOn(16375, 0.0925)).toBe(1515); // 15.146875 -> 15.15
    expect(taxOn(-10000, 0.25)).toBe(-2500);
    expect(taxOn(1, 0.5)).toBe(1);
    expect(taxOn(-1, 0.5)).toBe(-1);
    expect(rateKey(0.255)).toBe(255000);
  });
});
