import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromMinor,
  minorToDecimalString,
  rateKey,
  sumMinor,
  taxOn,
  toMinor,
  toMinorByText,
} from '../../shared/money.js';

describe('money in minor units', () => {
  it('takes the quick way only where it gives what the decimal text gives (issue 18)', () => {
    // Ties and third decimals go by the text: half away from zero, whatever the float's binary noise says.
    for (const [value, minor] of [
      [0.005, 1],
      [-0.005, -1],
      [1.005, 101],
      [-1.005, -101],
      [0.285, 29],
      [-0, 0],
      [2.675, 268],
      [123456789.125, 12345678913],
    ] as const)
      expect(toMinor(value)).toBe(minor);
    const decimalText = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
      )
      .map(([negative, whole, places, frac]) => {
        const digits = places === 0 ? '' : `.${(frac % 10n ** BigInt(places)).toString().padStart(places, '0')}`;
        return Number(`${negative ? '-' : ''}${whole}${digits}`);
      });
    const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e13, max: 1e13 });
    fc.assert(
      fc.property(fc.oneof(decimalText, anyDouble), fc.integer({ min: 0, max: 4 }), (value, decimals) => {
        // Out of range is refused the same way by both.
        const either = (f: () => number) => {
          try {
            return f();
          } catch (error) {
            return (error as Error).message;
          }
        };
        expect(either(() => toMinor(value, decimals))).toBe(either(() => toMinorByText(value, decimals)));
      }),
      { numRuns: 20_000 },
    );
  });

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
