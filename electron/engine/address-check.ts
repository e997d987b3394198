import type { ShipTo } from '../../shared/domain.js';
import type { AvaTaxClient } from '../connectors/avatax/client.js';
import { ISO_COUNTRIES, normaliseVatNumber, POSTAL_FORMATS, VAT_FORMATS } from './countries.js';

export interface AddressVerdict {
  valid: boolean;
  reasons: string[];
  /** AvaTax's suggested address (US/CA) when the resolver offers one. */
  suggestion?: ShipTo;
  checkedBy: 'avatax-resolver' | 'local-rules';
}

const RESOLVER_COUNTRIES = new Set(['US', 'CA']);

/** Local rules for everywhere AvaTax cannot resolve: ISO country, postal format, street and city, VAT number. */
export function checkLocally(address: ShipTo, vatNumber?: string): AddressVerdict {
  const reasons: string[] = [];
  const country = address.country.trim().toUpperCase();
  if (!ISO_COUNTRIES.has(country)) reasons.push(`Country "${address.country}" is not an ISO 3166 country code`);
  if (!address.line1.trim()) reasons.push('Street address is missing');
  if (!address.city.trim()) reasons.push('City is missing');
  const postal = address.postalCode.trim().toUpperCase();
  if (!postal) reasons.push('Postal code is missing');
  else {
    const format = POSTAL_FORMATS[country];
    if (format && !format.pattern.test(postal))
      reasons.push(`Postal code "${address.postalCode}" does not match the ${country} format (e.g. ${format.example})`);
  }
  if (vatNumber) reasons.push(...checkVatNumber(vatNumber));
  return { valid: reasons.length === 0, reasons, checkedBy: 'local-rules' };
}

export function checkVatNumber(vatNumber: string): string[] {
  const vat = normaliseVatNumber(vatNumber);
  const prefix = vat.slice(0, 2);
  const format = VAT_FORMATS[prefix === 'EL' ? 'GR' : prefix];
  if (!/^[A-Z]{2}/.test(vat)) return [`VAT number "${vatNumber}" must start with its two-letter country prefix`];
  if (format && !format.pattern.test(vat))
    return [`VAT number "${vatNumber}" does not match the ${prefix} format (e.g. ${format.example})`];
  return [];
}

/**
 * Checks a ship-to address: AvaTax's resolver for the US and Canada (invalid = a message of severity Error, or
 * no validated address), local rules elsewhere. Results are cached per address within a run.
 */
export class AddressChecker {
  private readonly cache = new Map<string, Promise<AddressVerdict>>();

  constructor(
    private readonly avatax: AvaTaxClient,
    private readonly signal?: AbortSignal,
  ) {}

  check(address: ShipTo, vatNumber?: string): Promise<AddressVerdict> {
    const key = JSON.stringify(
      [address.line1, address.line2, address.city, address.region, address.postalCode, address.country, vatNumber].map(
        (s) => (s ?? '').trim().toUpperCase(),
      ),
    );
    let verdict = this.cache.get(key);
    if (!verdict) {
      verdict = this.run(address, vatNumber);
      this.cache.set(key, verdict);
      verdict.catch(() => this.cache.delete(key));
    }
    return verdict;
  }

  private async run(address: ShipTo, vatNumber?: string): Promise<AddressVerdict> {
    const local = checkLocally(address, vatNumber);
    const country = address.country.trim().toUpperCase();
    if (!RESOLVER_COUNTRIES.has(country) || !local.valid) return local;
    const resolution = await this.avatax.resolveAddress(
      {
        line1: address.line1,
        line2: address.line2,
        city: address.city,
        region: address.region,
        postalCode: address.postalCode,
        country,
      },
      this.signal,
    );
    const errors = (resolution.messages ?? []).filter((m) => /^(error|exception)$/i.test(m.severity ?? ''));
    const validated = resolution.validatedAddresses?.[0];
    const reasons = errors.map((m) => {
      const summary = (m.summary ?? '').trim();
      const details = m.details && m.details.trim() !== summary ? m.details.trim() : '';
      return details ? `${summary}${/[.!?]$/.test(summary) ? ' ' : ': '}${details}` : summary;
    });
    if (!validated)
      reasons.push(
        `AvaTax could not validate this address (resolution quality ${resolution.resolutionQuality ?? 'unknown'})`,
      );
    const suggestion: ShipTo | undefined = validated
      ? {
          line1: validated.line1 ?? '',
          line2: validated.line2 || undefined,
          city: validated.city ?? '',
          region: validated.region ?? undefined,
          postalCode: validated.postalCode ?? '',
          country: validated.country ?? country,
        }
      : undefined;
    return {
      valid: reasons.length === 0,
      reasons,
      suggestion: reasons.length > 0 ? suggestion : undefined,
      checkedBy: 'avatax-resolver',
    };
  }
}
