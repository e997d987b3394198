import { checkPostalCode, checkVatNumber, ISO_COUNTRIES } from '../../shared/countries.js';
import type { ShipTo } from '../../shared/domain.js';
import { type Reason, reason } from '../../shared/reasons.js';
import type { AvaTaxClient } from '../connectors/avatax/client.js';
import type { AddressResolution } from '../connectors/avatax/types.js';

export interface AddressVerdict {
  valid: boolean;
  /** What is wrong, as codes with parameters (the screens and CSVs say them in the reader's language). */
  reasons: Reason[];
  /** AvaTax's suggested address (US/CA) when the resolver offers one. */
  suggestion?: ShipTo;
  checkedBy: 'avatax-resolver' | 'local-rules';
}

const RESOLVER_COUNTRIES = new Set(['US', 'CA']);

/**
 * Whose VAT number it is and who sells: the country of the customer (or location) the number belongs to, and the
 * company's own (its ship-from). Without them only the number's own format is checked.
 */
export interface VatCountries {
  customerCountry?: string;
  sellerCountry?: string;
}

/**
 * Local rules for everywhere AvaTax cannot resolve: ISO country, postal format, street and city, and the buyer's
 * VAT number (the customer's country prefix, that country's format). Each problem is a code with its figures
 * (shared/countries.ts decides the country, postal and VAT-number ones), said in the reader's language.
 */
export function checkLocally(address: ShipTo, vatNumber?: string, countries: VatCountries = {}): AddressVerdict {
  const reasons: Reason[] = [];
  const country = address.country.trim().toUpperCase();
  if (!ISO_COUNTRIES.has(country)) reasons.push(reason('address-country-unknown', { country: address.country }));
  if (!address.line1.trim()) reasons.push(reason('address-street-missing'));
  if (!address.city.trim()) reasons.push(reason('address-city-missing'));
  const postal = address.postalCode.trim();
  if (!postal) reasons.push(reason('address-postal-code-missing'));
  else {
    const problem = checkPostalCode(postal, country);
    if (problem) reasons.push(problem);
  }
  if (vatNumber)
    reasons.push(...checkVatNumber(vatNumber, { customerCountry: countries.customerCountry ?? country, ...countries }));
  return { valid: reasons.length === 0, reasons, checkedBy: 'local-rules' };
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
    /** The company's own country (its ship-from): a foreign customer's VAT number must not carry its prefix. */
    private readonly sellerCountry?: string,
  ) {}

  /** `vatCountry`: the country of whoever the VAT number belongs to (a location's, or the customer's own). */
  check(address: ShipTo, vatNumber?: string, vatCountry?: string): Promise<AddressVerdict> {
    const key = JSON.stringify(
      [
        address.line1,
        address.line2,
        address.city,
        address.region,
        address.postalCode,
        address.country,
        vatNumber,
        vatCountry,
      ].map((s) => (s ?? '').trim().toUpperCase()),
    );
    let verdict = this.cache.get(key);
    if (!verdict) {
      verdict = this.run(address, vatNumber, vatCountry);
      this.cache.set(key, verdict);
      verdict.catch(() => this.cache.delete(key));
    }
    return verdict;
  }

  private async run(address: ShipTo, vatNumber?: string, vatCountry?: string): Promise<AddressVerdict> {
    const local = checkLocally(address, vatNumber, {
      customerCountry: vatCountry || undefined,
      sellerCountry: this.sellerCountry,
    });
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
    return judgeResolution(resolution, country);
  }
}

/** AvaTax's resolver answer, judged: invalid = a message of severity Error (or Exception), or no validated address. */
export function judgeResolution(resolution: AddressResolution, country: string): AddressVerdict {
  const errors = (resolution.messages ?? []).filter((m) => /^(error|exception)$/i.test(m.severity ?? ''));
  const validated = resolution.validatedAddresses?.[0];
  // AvaTax's own words (English, from the service) stay as they are, introduced in the reader's language.
  const reasons: Reason[] = errors.map((m) => {
    const summary = (m.summary ?? '').trim();
    const details = m.details && m.details.trim() !== summary ? m.details.trim() : '';
    return reason('avatax-says', {
      text: details ? `${summary}${/[.!?]$/.test(summary) ? ' ' : ': '}${details}` : summary,
    });
  });
  if (!validated)
    reasons.push(reason('avatax-address-not-validated', { quality: resolution.resolutionQuality ?? '?' }));
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

/** Whether AvaTax's resolver is asked about an address in this country (elsewhere the local rules decide). */
export function resolvedByAvaTax(country: string): boolean {
  return RESOLVER_COUNTRIES.has(country.trim().toUpperCase());
}
