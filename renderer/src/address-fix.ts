import type { ShipTo } from '../../shared/domain.js';
import type { StoredReason } from '../../shared/reasons.js';

/** The fields of an address in the order the form shows them. */
export const ADDRESS_FIELDS = ['line1', 'line2', 'postalCode', 'city', 'region', 'country'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

const clean = (a: ShipTo | undefined, f: AddressField) => {
  const v = (a?.[f] ?? '').trim();
  return f === 'country' ? v.toUpperCase() : v;
};

/** Field by field, what an address becomes: each field's value now, after, and whether it changes. */
export function addressDiff(
  from: ShipTo | undefined,
  to: ShipTo,
): { field: AddressField; from: string; to: string; changed: boolean }[] {
  return ADDRESS_FIELDS.map((field) => {
    const a = clean(from, field);
    const b = clean(to, field);
    return { field, from: a, to: b, changed: a !== b };
  }).filter((r) => r.from !== '' || r.to !== '');
}

export function sameAddress(a: ShipTo | undefined, b: ShipTo | undefined): boolean {
  return ADDRESS_FIELDS.every((f) => clean(a, f) === clean(b, f));
}

/**
 * A reason about the VAT number rather than the address: its code starts `vat-number-` (the address check's
 * codes); a reason stored before codes says "VAT number" in its English text.
 */
export function isVatNumberReason(reason: StoredReason): boolean {
  return typeof reason === 'string' ? /VAT number/i.test(reason) : reason.code.startsWith('vat-number-');
}

export interface FixPlan {
  address?: ShipTo;
  vatNumber?: string;
  /** The street Visma has would be replaced: the user confirms that first. */
  replacesStreet: boolean;
  nothing: boolean;
}

/**
 * What a Save sends: the address when it is what was flagged or the user changed it, the VAT number when it is
 * offered and differs from Visma's. Nothing else: a correction never rewrites what nobody touched.
 */
export function planFix(input: {
  current?: ShipTo;
  form: ShipTo;
  addressFlagged: boolean;
  vatOffered: boolean;
  currentVat?: string;
  vat: string;
}): FixPlan {
  const changed = !sameAddress(input.current, input.form);
  const address: ShipTo | undefined =
    input.addressFlagged || changed
      ? {
          line1: input.form.line1.trim(),
          city: input.form.city.trim(),
          postalCode: input.form.postalCode.trim(),
          country: input.form.country.trim().toUpperCase(),
          ...(input.form.line2?.trim() ? { line2: input.form.line2.trim() } : {}),
          ...(input.form.region?.trim() ? { region: input.form.region.trim() } : {}),
        }
      : undefined;
  const vat = input.vat.replace(/\s+/g, '').toUpperCase();
  const vatNumber =
    input.vatOffered && vat !== (input.currentVat ?? '').replace(/\s+/g, '').toUpperCase() ? vat : undefined;
  const replacesStreet =
    address !== undefined && clean(input.current, 'line1') !== '' && clean(input.current, 'line1') !== address.line1;
  return { address, vatNumber, replacesStreet, nothing: address === undefined && vatNumber === undefined };
}
