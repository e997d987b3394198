/**
 * Money is kept as integer minor units (öre, øre, cent). APIs speak decimal numbers; we convert at the edge
 * through the decimal string so binary floating point never leaks into sums.
 */
export type Minor = number;

const DEFAULT_DECIMALS = 2;

/**
 * Hundredths for every currency: exact for the two-decimal ones (SEK, DKK, EUR, USD…) and for zero-decimal
 * ones such as ISK too, whose amounts simply end in 00; the APIs are spoken to in decimals either way.
 */

/** Converts an API decimal (number or numeric string) to integer minor units, rounding half away from zero. */
export function toMinor(value: number | string, decimals = DEFAULT_DECIMALS): Minor {
  if (typeof value === 'number' && Math.abs(value) < FAST_LIMIT) {
    // Most amounts have no more decimals than the currency: scaled, they are an integer but for binary noise,
    // and that integer is what the decimal text gives. Anything else (a third decimal, a half) takes the text.
    const scaled = value * 10 ** decimals;
    const nearest = Math.round(scaled);
    if (Math.abs(scaled - nearest) < 1e-6) return nearest === 0 ? 0 : nearest;
  }
  return toMinorByText(value, decimals);
}

/** Below this, a float scaled by 10^decimals is exact to far better than a millionth of a minor unit. */
const FAST_LIMIT = 1e9;

/** `toMinor` by the amount's decimal text: exact for any amount, rounding half away from zero. */
export function toMinorByText(value: number | string, decimals = DEFAULT_DECIMALS): Minor {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RangeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  }
  const sign = match[1] === '-' ? -1 : 1;
  const whole = match[2] || '0';
  const frac = (match[3] ?? '').padEnd(decimals + 1, '0');
  const kept = BigInt(whole + frac.slice(0, decimals));
  const roundUp = Number(frac[decimals]) >= 5 ? 1n : 0n;
  const result = Number(kept + roundUp);
  if (!Number.isSafeInteger(result)) throw new RangeError(`Amount out of range: ${text}`);
  return result === 0 ? 0 : sign * result;
}

/** Converts minor units back to a JSON number for an API body (exact for |x| < 2^53 / 10^decimals). */
export function fromMinor(minor: Minor, decimals = DEFAULT_DECIMALS): number {
  return Number(minorToDecimalString(minor, decimals));
}

/** "1234.50" style text, used in CSV (numbers stay numbers) and notes. */
export function minorToDecimalString(minor: Minor, decimals = DEFAULT_DECIMALS): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not an integer amount: ${minor}`);
  const negative = minor < 0;
  const digits = Math.abs(minor)
    .toString()
    .padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative ? '-' : ''}${whole}${frac}`;
}

export function sumMinor(values: readonly Minor[]): Minor {
  let total = 0;
  for (const v of values) total += v;
  if (!Number.isSafeInteger(total)) throw new RangeError('Sum out of range');
  return total;
}

/** Tax on a base at a rate, rounded half away from zero to minor units (what a tax engine does per line). */
export function taxOn(baseMinor: Minor, rate: number): Minor {
  const ratePpm = Math.round(rate * 1_000_000);
  const product = BigInt(baseMinor) * BigInt(ratePpm);
  const abs = product < 0n ? -product : product;
  const q = abs / 1_000_000n;
  const r = abs % 1_000_000n;
  const rounded = r * 2n >= 1_000_000n ? q + 1n : q;
  return Number(product < 0n ? -rounded : rounded);
}

/**
 * **The one rule for base-currency figures**, used by month-end, the VAT report, the CSVs and the Overview alike:
 * an amount in a document's currency becomes base currency at the document's exchange rate (base = amount ×
 * rate, the rate taken to six decimals), rounded half away from zero to minor units. VAT is converted per VAT id
 * of each document (as Visma converts each tax line), a document's base VAT is the sum of its VAT ids', and a
 * month's the sum of its documents'; a sum is never converted as a whole.
 */
export function toBase(minor: Minor, rate: number): Minor {
  return taxOn(minor, rate);
}

/** A document's VAT in base currency by that rule: each VAT id converted on its own, then summed. */
export function vatInBase(lines: readonly { vat: Minor }[], rate: number): Minor {
  return lines.reduce((s, l) => s + toBase(l.vat, rate), 0);
}

/**
 * Splits `total` in proportion to `weights`, exactly in minor units (largest remainder; ties to the earlier
 * item). Weights may carry signs (a discount line); when they add up to zero, `fallback` weights are used, and
 * when those do too, equal shares.
 */
export function allocate(total: Minor, weights: readonly Minor[], fallback?: readonly Minor[]): Minor[] {
  const n = weights.length;
  if (n === 0) return [];
  const sum = (w: readonly Minor[]) => w.reduce((s, x) => s + x, 0);
  let w = [...weights];
  if (sum(w) === 0) w = fallback && fallback.length === n && sum(fallback) !== 0 ? [...fallback] : w.map(() => 1);
  let S = BigInt(sum(w));
  let W = w.map(BigInt);
  if (S < 0n) {
    S = -S;
    W = W.map((x) => -x);
  }
  const T = BigInt(total);
  const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  const shares = W.map((x) => floorDiv(T * x, S));
  const remainders = W.map((x, i) => T * x - shares[i]! * S);
  let left = T - shares.reduce((s, x) => s + x, 0n);
  const order = remainders.map((r, i) => ({ r, i })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0n) break;
    shares[i] = shares[i]! + 1n;
    left -= 1n;
  }
  return shares.map(Number);
}

/** A rate as a stable key (basis points of a percent, i.e. 1/1,000,000): 0.25 -> 250000. */
export function rateKey(rate: number): number {
  return Math.round(rate * 1_000_000);
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite amount: ${value}`);
  // toPrecision(15) drops binary noise (0.1 + 0.2 -> 0.3) and avoids exponent notation for sane amounts.
  const text = Number(value.toPrecision(15)).toString();
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
