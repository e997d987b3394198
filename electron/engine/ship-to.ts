import { normaliseVatNumber } from '../../shared/countries.js';
import type { ShipTo, ShipToSource } from '../../shared/domain.js';
import type { VismaAddress, VismaCustomer, VismaLocation } from '../connectors/visma/types.js';

/**
 * Where a document is taxed: the ship-to of the location the invoice names (a customer may have a location
 * abroad), else the customer's delivery address, else its main address. For B2B the location's VAT number
 * wins over the customer's.
 */
export interface ShipToResolution {
  address?: ShipTo;
  source?: ShipToSource;
  locationId?: string;
  vatNumber?: string;
  /** The country of whoever `vatNumber` belongs to: the location's when it is the location's own, else the customer's. */
  vatCountry?: string;
  /** The zone Visma gives the location or customer by default. */
  vatZoneId?: string;
}

export function resolveShipTo(customer: VismaCustomer, location?: VismaLocation): ShipToResolution {
  const vatOf = (raw: string | null | undefined) => (raw?.trim() ? normaliseVatNumber(raw) : undefined);
  const fromLocation = location ? addressOf(location.address) : undefined;
  const customerCountry = addressOf(customer.mainAddress)?.country || undefined;
  if (location && fromLocation)
    return {
      address: fromLocation,
      source: 'location',
      locationId: location.locationId,
      vatNumber: vatOf(location.vatRegistrationId) ?? vatOf(customer.vatRegistrationId),
      vatCountry: vatOf(location.vatRegistrationId) ? fromLocation.country || undefined : customerCountry,
      vatZoneId: location.vatZone?.id ?? customer.vatZone?.id ?? undefined,
    };
  const delivery = addressOf(customer.deliveryAddress);
  const main = addressOf(customer.mainAddress);
  const address = delivery ?? main;
  return {
    address,
    source: address ? (delivery ? 'delivery-address' : 'main-address') : undefined,
    locationId: location?.locationId,
    vatNumber: vatOf(customer.vatRegistrationId),
    vatCountry: customerCountry,
    vatZoneId: customer.vatZone?.id ?? undefined,
  };
}

export function addressOf(a: VismaAddress | null | undefined): ShipTo | undefined {
  if (!a || !(a.addressLine1 || a.city || a.postalCode || a.country?.id)) return undefined;
  return {
    line1: clean(a.addressLine1),
    line2: clean(a.addressLine2) || undefined,
    city: clean(a.city),
    region: clean(a.county?.id) || undefined,
    postalCode: clean(a.postalCode),
    country: clean(a.country?.id).toUpperCase(),
  };
}

/** Trims and normalises Unicode (NFC) so that "Malmö" typed two ways is one address. */
function clean(s: string | null | undefined): string {
  return (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function formatAddress(a: ShipTo | undefined): string {
  if (!a) return '(none)';
  return [a.line1, a.line2, `${a.postalCode} ${a.city}`.trim(), a.region, a.country].filter(Boolean).join(', ');
}
