import type { ShipTo } from './domain.js';

/**
 * An address on one line, as the screens and the audit show it: only the parts there are ("Algade 31, 9000, DK"
 * when the city is missing, never "9000 , DK"). Empty when there is no address.
 */
export function addressLine(a: Partial<ShipTo> | undefined): string {
  if (!a) return '';
  const place = [a.postalCode, a.city]
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(' ');
  return [a.line1, a.line2, place, a.region, a.country]
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(', ');
}
