import { checkVatNumber, normaliseVatNumber } from '../../shared/countries.js';
import type { ShipTo } from '../../shared/domain.js';
import { type Reason, reason, reasons } from '../../shared/reasons.js';
import type { RunContext } from './context.js';
import { audit } from './recorder.js';
import { addressOf, formatAddress, resolveShipTo } from './ship-to.js';

/** What the user corrects for a flagged customer: the ship-to address, the VAT number, or both. */
export interface CustomerFix {
  /** The location the flagged documents ship to; without one, the customer's own delivery or main address. */
  locationId?: string;
  address?: ShipTo;
  vatNumber?: string;
}

export interface FixResult {
  saved: boolean;
  /** Why nothing was written: the same rules the sync applies, as codes the form says in the user's language. */
  problems: Reason[];
  /** AvaTax's suggested address (US and Canada). */
  suggestion?: ShipTo;
}

/**
 * Checks the correction with the sync's own rules (AvaTax's resolver for the US and Canada, local rules
 * elsewhere, the VAT number's format) and writes it to Visma only when it passes: garbage never reaches the
 * customer record. Writes only what changes, with If-Match, to the location or the customer the documents
 * take their ship-to from, and audits it in words that say what changed.
 */
export async function fixCustomer(ctx: RunContext, customerNumber: string, fix: CustomerFix): Promise<FixResult> {
  const vatNumber = fix.vatNumber?.trim() ? normaliseVatNumber(fix.vatNumber) : undefined;
  const problems: Reason[] = [];
  let suggestion: ShipTo | undefined;
  if (!fix.address && fix.vatNumber === undefined) problems.push(reason('fix-nothing-given'));
  const { customer, etag } = await ctx.customers.get(customerNumber);
  // Whose number it is: the location's own (its country), else the customer's (its main address's country).
  const vatCountry = fix.locationId
    ? (fix.address?.country ??
      addressOf((await ctx.locations.get(`${customerNumber}\u0000${fix.locationId}`)).location.address)?.country)
    : addressOf(customer.mainAddress)?.country;
  if (fix.address) {
    const verdict = await ctx.addresses.check(fix.address, vatNumber, vatCountry);
    problems.push(...verdict.reasons);
    suggestion = verdict.suggestion;
  } else if (vatNumber)
    problems.push(
      ...checkVatNumber(vatNumber, {
        customerCountry: vatCountry,
        sellerCountry: ctx.settings.company.shipFrom.country,
      }),
    );
  if (problems.length > 0) return { saved: false, problems: unique(problems), suggestion };

  const address = fix.address && {
    addressLine1: fix.address.line1,
    addressLine2: fix.address.line2,
    postalCode: fix.address.postalCode,
    city: fix.address.city,
    countryId: fix.address.country.toUpperCase(),
    county: fix.address.region ?? null,
  };
  const changes: Reason[] = [];
  if (fix.locationId) {
    const { location, etag: locationEtag } = await ctx.locations.get(`${customerNumber}\u0000${fix.locationId}`);
    const before = addressOf(location.address);
    const vatChanged = vatNumber !== undefined && vatNumber !== (location.vatRegistrationId ?? '');
    if (fix.address)
      changes.push(
        reason('fix-location-address', {
          location: fix.locationId,
          from: formatAddress(before),
          to: formatAddress(fix.address),
        }),
      );
    if (vatChanged)
      changes.push(
        reason('fix-location-vat-number', {
          location: fix.locationId,
          from: location.vatRegistrationId ?? '',
          to: vatNumber,
        }),
      );
    if (changes.length > 0)
      await ctx.visma.updateLocation(
        customerNumber,
        fix.locationId,
        { address, vatRegistrationId: vatChanged ? vatNumber : undefined },
        locationEtag,
        ctx.signal,
      );
    ctx.locations.forget(`${customerNumber}\u0000${fix.locationId}`);
  } else {
    const current = resolveShipTo(customer);
    const which = current.source === 'delivery-address' ? 'deliveryAddress' : 'mainAddress';
    const vatChanged = vatNumber !== undefined && vatNumber !== (customer.vatRegistrationId ?? '');
    if (fix.address)
      changes.push(
        reason(which === 'deliveryAddress' ? 'fix-delivery-address' : 'fix-main-address', {
          from: formatAddress(current.address),
          to: formatAddress(fix.address),
        }),
      );
    if (vatChanged) changes.push(reason('fix-vat-number', { from: customer.vatRegistrationId ?? '', to: vatNumber }));
    if (changes.length > 0)
      await ctx.visma.updateCustomer(
        customerNumber,
        { which, address, vatRegistrationId: vatChanged ? vatNumber : undefined },
        etag,
        ctx.signal,
      );
  }
  ctx.customers.forget(customerNumber);
  if (changes.length === 0) return { saved: false, problems: [reason('fix-nothing-changed')] };
  audit(ctx, {
    action: 'address-fixed',
    detail: reason('customer-fixed', { customer: customerNumber, by: ctx.by, changes: reasons(changes) }),
    data: { customer: customerNumber, location: fix.locationId ?? null },
  });
  return { saved: true, problems: [] };
}

/** The same problem once (the address check and the VAT check may both name it). */
function unique(list: Reason[]): Reason[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
