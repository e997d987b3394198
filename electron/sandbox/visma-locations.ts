import { json, type SandboxReply, type SandboxRequest } from './http-kit.js';
import {
  dateFilter,
  etag,
  fieldError,
  ifMatchFails,
  ippError,
  notFound,
  notSupported,
  page,
  parseAddressUpdate,
  parseBody,
  unwrap,
  type VismaContext,
} from './visma-http.js';
import type { SandboxAddress, SandboxLocation, VismaSandboxState } from './visma-state.js';

/**
 * Customer locations: GET /v1/location/{bAccountId}[/{locationId}] and PUT /v1/location/{bAccountId}/{locationId}.
 * `bAccountId` is the customer number; strict: the customer's internal id is refused with 404 (no fallback).
 */

/** Locations have an internal id in Visma; the sandbox derives a stable one from the stored order. */
function internalId(state: VismaSandboxState, loc: SandboxLocation): number {
  return 7000 + state.locations.indexOf(loc);
}

export function locationDto(state: VismaSandboxState, loc: SandboxLocation): Record<string, unknown> {
  const customer = state.customers.find((c) => c.number === loc.customerNumber);
  const zone = state.vatZones.find((z) => z.id === loc.vatZoneId);
  return {
    baccount: { internalId: customer?.internalId ?? 0, number: loc.customerNumber, name: customer?.name ?? '' },
    locationId: loc.locationId,
    locationName: loc.locationName,
    active: loc.active,
    address: { ...loc.address },
    vatRegistrationId: loc.vatRegistrationId,
    vatZone: zone ? { id: zone.id, description: zone.description, defaultVatCategory: zone.defaultVatCategory } : null,
    lastModifiedDateTime: loc.lastModifiedDateTime,
    internalId: internalId(state, loc),
    timeStamp: loc.timeStamp,
  };
}

function customerOr404(ctx: VismaContext, bAccountId: string): SandboxReply | undefined {
  return ctx.state.customers.some((c) => c.number === bAccountId) ? undefined : notFound('Customer', bAccountId);
}

export function listLocations(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const bAccountId = r.params[0]!;
  const missing = customerOr404(ctx, bAccountId);
  if (missing) return missing;
  const filter = dateFilter(r.query, 'lastModifiedDateTime');
  if ('error' in filter) return ippError(400, filter.error, '10010');
  return page(
    r,
    ctx.state.locations
      .filter((l) => l.customerNumber === bAccountId && filter.test(l.lastModifiedDateTime))
      .map((l) => locationDto(ctx.state, l)),
    ctx.maxPageSize,
  );
}

export function findLocation(
  state: VismaSandboxState,
  customerNumber: string,
  locationId: string,
): SandboxLocation | undefined {
  return state.locations.find((l) => l.customerNumber === customerNumber && l.locationId === locationId);
}

export function getLocation(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const [bAccountId, locationId] = [r.params[0]!, r.params[1]!];
  const missing = customerOr404(ctx, bAccountId);
  if (missing) return missing;
  const loc = findLocation(ctx.state, bAccountId, locationId);
  if (!loc) return notFound('Location', `${bAccountId}/${locationId}`);
  return json(200, locationDto(ctx.state, loc), etag(loc.timeStamp));
}

/**
 * A LocationUpdateDto with `address`, `vatRegistrationId` and `vatZone` (each DtoValue-wrapped). If-Match is
 * honoured like the customer PUT. Documents that use the location keep their own zone and lastModifiedDateTime.
 * Stricter than the contract says (open details): `vatZone: {value: null}` is refused like an unknown zone, and
 * an address field other than those of AddressUpdateDto is refused.
 */
export function putLocation(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const [bAccountId, locationId] = [r.params[0]!, r.params[1]!];
  const missing = customerOr404(ctx, bAccountId);
  if (missing) return missing;
  const loc = findLocation(ctx.state, bAccountId, locationId);
  if (!loc) return notFound('Location', `${bAccountId}/${locationId}`);
  const stale = ifMatchFails(r, loc.timeStamp, 'Location');
  if (stale) return stale;
  const parsed = parseBody(r);
  if (!parsed.ok) return parsed.reply;
  let address: SandboxAddress | undefined;
  let vatRegistrationId: string | null | undefined;
  let vatZoneId: string | undefined;
  for (const [key, wrapped] of Object.entries(parsed.body)) {
    if (key === 'address') {
      const a = parseAddressUpdate('Address', wrapped, loc.address);
      if (!a.ok) return a.reply;
      address = a.address;
    } else if (key === 'vatRegistrationId') {
      const v = unwrap(wrapped);
      if (!v.ok || (v.value !== null && typeof v.value !== 'string'))
        return fieldError('VatRegistrationId', 'expected {"value": "<text>"}');
      vatRegistrationId = v.value as string | null;
    } else if (key === 'vatZone') {
      const v = unwrap(wrapped);
      if (!v.ok || typeof v.value !== 'string' || !ctx.state.vatZones.some((z) => z.id === v.value))
        return fieldError('VatZone', `VAT zone '${v.ok ? String(v.value) : ''}' does not exist.`);
      vatZoneId = v.value;
    } else {
      return notSupported(key);
    }
  }
  if (address) loc.address = address;
  if (vatRegistrationId !== undefined) loc.vatRegistrationId = vatRegistrationId;
  if (vatZoneId !== undefined) loc.vatZoneId = vatZoneId;
  ctx.touch(loc);
  return { status: 204, headers: etag(loc.timeStamp) };
}
