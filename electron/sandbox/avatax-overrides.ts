import { type Minor, toMinor } from '../../shared/money.js';
import { avaError } from './avatax-errors.js';
import type { SandboxReply } from './http-kit.js';

/**
 * TaxOverrideModel on a CreateTransactionModel and on its lines: `TaxDate` (tax as of another date) and
 * `TaxAmount` (the tax is the given amount; AvaTax keeps its own figure in `taxCalculated`).
 *
 * Stricter than AvaTax where the contract leaves it open: an override needs a `reason`; the other override types
 * (Exemption, AccruedTaxAmount, DeriveTaxable) are refused as not supported by this sandbox; a document-level
 * TaxAmount cannot be combined with line-level TaxAmount overrides (which amount would win is not documented).
 */

export interface TaxOverride {
  type: 'None' | 'TaxDate' | 'TaxAmount';
  taxAmount?: Minor;
  taxDate?: string;
  reason: string;
}

const SUPPORTED = new Set(['None', 'TaxDate', 'TaxAmount']);

export function parseTaxOverride(
  raw: unknown,
  target: string,
): { ok: true; value?: TaxOverride } | { ok: false; reply: SandboxReply } {
  if (raw === undefined || raw === null) return { ok: true };
  const fail = (message: string, code = 'ModelStateInvalid', number = 70) => ({
    ok: false as const,
    reply: avaError(400, code, number, message, 'IncorrectData', undefined, 'Error', target),
  });
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail(`Field ${target} must be an object.`);
  const o = raw as Record<string, unknown>;
  const type = String(o.type ?? '');
  if (!SUPPORTED.has(type))
    return fail(`${target}.type '${type}' is not supported by this sandbox (None, TaxDate, TaxAmount).`);
  if (type === 'None')
    return { ok: true, value: { type: 'None', reason: typeof o.reason === 'string' ? o.reason : '' } };
  if (typeof o.reason !== 'string' || o.reason.trim() === '')
    return fail(`Field ${target}.reason is required.`, 'ValueRequiredError', 5);
  if (type === 'TaxDate') {
    if (typeof o.taxDate !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(o.taxDate) || Number.isNaN(Date.parse(o.taxDate)))
      return fail(`Field ${target}.taxDate is required for a TaxDate override.`, 'ValueRequiredError', 5);
    return { ok: true, value: { type: 'TaxDate', taxDate: o.taxDate.slice(0, 10), reason: o.reason } };
  }
  if (typeof o.taxAmount !== 'number' || !Number.isFinite(o.taxAmount))
    return fail(`Field ${target}.taxAmount is required for a TaxAmount override.`, 'ValueRequiredError', 5);
  return { ok: true, value: { type: 'TaxAmount', taxAmount: toMinor(o.taxAmount), reason: o.reason } };
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
