import { avaError, incompleteAddress } from './avatax-errors.js';
import type { DirectoryAddress } from './avatax-state.js';
import { json, parseJson, type SandboxReply } from './http-kit.js';

/**
 * AvaTax's address resolver for the sandbox: US and Canada only, invalid addresses answered with 200 and
 * messages of severity Error (out-of-range house number with a suggestion, undeliverable, bad ZIP), too little
 * data with a GetTaxError, like the real service.
 */
export function resolveAddress(directory: DirectoryAddress[], rawBody: string): SandboxReply {
  const parsed = parseJson(rawBody);
  if (!parsed.ok) return avaError(400, 'ModelStateInvalid', 70, 'The request body is not valid JSON.', 'IncorrectData');
  const a = parsed.value as Record<string, string | undefined>;
  const country = (a.country ?? '').toUpperCase();
  const mixed = a.textCase === 'Mixed';
  const echo = {
    line1: a.line1 ?? '',
    line2: a.line2 ?? '',
    line3: a.line3 ?? '',
    city: a.city ?? '',
    region: a.region ?? '',
    country,
    postalCode: a.postalCode ?? '',
  };
  const message = (summary: string, details: string, refersTo = 'Address') => ({
    summary,
    details,
    refersTo,
    severity: 'Error',
    source: 'Avalara.AvaTax.Services.Address',
  });
  if (country !== 'US' && country !== 'CA') {
    return json(200, {
      address: echo,
      resolutionQuality: 'NotCoded',
      messages: [
        message(
          'Address Validation for this country not supported.',
          `Country '${country}' is not supported by address validation.`,
          'Address.Country',
        ),
      ],
    });
  }
  if (!a.postalCode && !(a.line1 && a.city && a.region)) {
    return incompleteAddress(
      'You must provide either a valid postal code, line1 + city + region, or line1 + postal code.',
      'Addresses[0]',
    );
  }
  const norm = (s?: string) => (s ?? '').toUpperCase().replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();
  const candidates = directory.filter(
    (d) =>
      d.country === country &&
      (a.postalCode
        ? norm(d.postalCode) === norm(a.postalCode)
        : norm(d.city) === norm(a.city) && norm(d.region) === norm(a.region)),
  );
  if (candidates.length === 0) {
    return json(200, {
      address: echo,
      resolutionQuality: 'NotCoded',
      messages: [
        message(
          'Invalid ZIP/Postal Code.',
          'The postal code does not exist or is not valid for this region.',
          'Address.PostalCode',
        ),
      ],
    });
  }
  if (!a.line1) return json(200, { address: echo, coordinates: coords(candidates[0]!), resolutionQuality: 'NotCoded' });
  const m = /^(\d+)\s+(.*)$/.exec(norm(a.line1));
  const houseNumber = m ? Number(m[1]) : undefined;
  const street = m ? m[2]! : norm(a.line1);
  const sameStreet = candidates.find((d) => norm(d.line1).replace(/^\d+\s+/, '') === street);
  const out = (d: DirectoryAddress, num: number | undefined) => {
    const line1 = `${num ?? d.numbers[0]} ${d.line1.replace(/^\d+\s+/, '')}`;
    const v = {
      line1,
      line2: '',
      line3: '',
      city: d.city,
      region: d.region,
      country: d.country,
      postalCode: d.postalCode,
    };
    return {
      addressType: 'StreetOrResidentialAddress',
      ...(mixed ? v : { ...v, line1: v.line1.toUpperCase(), city: v.city.toUpperCase() }),
      latitude: d.latitude,
      longitude: d.longitude,
    };
  };
  if (
    sameStreet &&
    houseNumber !== undefined &&
    houseNumber >= sameStreet.numbers[0] &&
    houseNumber <= sameStreet.numbers[1]
  ) {
    return json(200, {
      address: echo,
      validatedAddresses: [out(sameStreet, houseNumber)],
      coordinates: coords(sameStreet),
      resolutionQuality: 'Rooftop',
      taxAuthorities: [],
    });
  }
  if (sameStreet) {
    return json(200, {
      address: echo,
      validatedAddresses: [
        out(sameStreet, Math.min(Math.max(houseNumber ?? 1, sameStreet.numbers[0]), sameStreet.numbers[1])),
      ],
      coordinates: coords(sameStreet),
      resolutionQuality: 'Intersection',
      messages: [
        {
          summary: 'The address number is out of range',
          details: 'The address number is out of range',
          refersTo: 'Address.Line0',
          severity: 'Error',
          source: 'Avalara.AvaTax.Common',
        },
      ],
    });
  }
  return json(200, {
    address: echo,
    validatedAddresses: [
      out(
        candidates[0]!,
        candidates[0]!.numbers[0] === 1
          ? Number(/^\d+/.exec(candidates[0]!.line1)?.[0] ?? 1)
          : candidates[0]!.numbers[0],
      ),
    ],
    coordinates: coords(candidates[0]!),
    resolutionQuality: 'PostalCentroidGood',
    messages: [
      message('The address is not deliverable.', 'An exact street name match could not be found.', 'Address.Line0'),
    ],
  });
}

// --- transactions ----------------------------------------------------------------------------

function coords(d: DirectoryAddress) {
  return { latitude: d.latitude, longitude: d.longitude };
}
