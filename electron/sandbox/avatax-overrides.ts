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
