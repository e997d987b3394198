import { randomUUID } from 'node:crypto';
import { isRealDate } from '../../shared/dates.js';
import { json, parseJson, type SandboxReply, type SandboxRequest } from './http-kit.js';
import { parseVismaDateTime, type SandboxAddress, type VismaSandboxState } from './visma-state.js';

/** Visma.net's reply shapes and request checks, shared by the sandbox's route modules. */

/** What the route modules need from the running sandbox: its state, its settings and its clock. */
export interface VismaContext {
  readonly state: VismaSandboxState;
  readonly maxPageSize: number;
  /** Whether list items carry `metadata` (totalCount, maxPageSize): both kinds of answer are possible. */
  readonly listMetadata: boolean;
  readonly taxDetailsOnPut: 'replace' | 'append';
  readonly taxDetailsCurrency: 'document' | 'base';
  readonly enforceIfMatch: 'always' | 'background-only';
  /** The release action: 'queued' (Visma's "starts in the background") or 'immediate' (done when answered). */
  readonly releaseAction: 'queued' | 'immediate';
  /** Every release action fails with this error (a closed period, say); undefined: releases succeed. */
  readonly releaseFailure?: string;
  /** Reads of a document (GET) before its queued release action is carried out. */
  readonly releaseQueueReads: number;
  /** Queued release actions, by `kind:reference`. */
  readonly releaseQueue: Map<string, { actionId: string; reads: number }>;
  /** Bumps lastModifiedDateTime and timeStamp (a new ETag) and saves. */
  touch(record: { lastModifiedDateTime: string; timeStamp: string }): void;
  /** Saves the state (demo mode) after a change that bumps no record, such as a delete. */
  changed(): void;
  /** The server's date, YYYY-MM-DD. */
  today(): string;
  /** Listings remembered while nothing changed (see VismaSandbox.rememberListings); absent: none. */
  readonly listings?: Map<string, { version: string; documents: unknown[]; matches: unknown[] }>;
}

export function ippError(status: number, message: string, faultCode: string): SandboxReply {
  return json(status, {
    ExceptionType: 'IPPException',
    ExceptionMessage: message,
    ExceptionFaultCode: faultCode,
    ExceptionMessageID: `${faultCode}_${randomUUID()}`,
    ExceptionDetails: '',
  });
}

export function fieldError(field: string, message: string): SandboxReply {
  return ippError(
    400,
    `VismaId: ${randomUUID()}. Error: An error occurred during processing of the field ${field}: ${message}`,
    '10000',
  );
}

export function notSupported(field: string): SandboxReply {
  return fieldError(field, 'The field is not supported by this sandbox or not updatable.');
}

export function notFound(what: string, id: string): SandboxReply {
  return ippError(404, `${what} ${id} not found.`, '10404');
}

export function etag(timeStamp: string): Record<string, string> {
  return { etag: `"${timeStamp}"` };
}

export function unwrap(v: unknown): { ok: true; value: unknown } | { ok: false } {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object))
    return { ok: true, value: (v as { value: unknown }).value };
  return { ok: false };
}

/** A JSON object body, or the 400 Visma answers. */
export function parseBody(
  r: SandboxRequest,
): { ok: true; body: Record<string, unknown> } | { ok: false; reply: SandboxReply } {
  const parsed = parseJson(r.rawBody);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))
    return { ok: false, reply: ippError(400, 'Error: The request body is not valid JSON.', '10001') };
  return { ok: true, body: parsed.value as Record<string, unknown> };
}

/**
 * If-Match on the endpoints whose spec text says it "can be checked against resource current version when calling
 * with 'erp-api-background'" (customer invoices, credit notes, debit notes, customers and their actions): with
 * `enforceIfMatch: 'background-only'` (the stricter default) only checked for a background request.
 */
export function backgroundIfMatchFails(
  ctx: Pick<VismaContext, 'enforceIfMatch'>,
  r: SandboxRequest,
  current: string,
  what: string,
): SandboxReply | undefined {
  if (ctx.enforceIfMatch === 'background-only' && r.headers['erp-api-background'] === undefined) return undefined;
  return ifMatchFails(r, current, what);
}

export function ifMatchFails(r: SandboxRequest, current: string, what = 'Resource'): SandboxReply | undefined {
  const header = r.headers['if-match'];
  if (header === undefined) return undefined;
  const wanted = String(header)
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
  if (wanted === '*' || wanted === current) return undefined;
  return ippError(412, `${what} version does not match with If-Match header`, '10412');
}

/**
 * Visma's mandatory paging: pageNumber / pageSize capped at maxPageSize, `metadata` on every item. With `shape`,
 * only the page's own records are shaped into their DTO (a page of 100 out of 50,000 costs 100, not 50,000).
 */
export function page<T = Record<string, unknown>>(
  r: SandboxRequest,
  all: T[],
  maxPageSize: number,
  shape: (record: T) => Record<string, unknown> = (record) => record as Record<string, unknown>,
  withMetadata = true,
): SandboxReply {
  const pageNumber = Number(r.query.get('pageNumber') ?? '1');
  const asked = Number(r.query.get('pageSize') ?? String(maxPageSize));
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(asked) || asked < 1) {
    return ippError(400, 'Error: pageNumber and pageSize must be positive integers', '10011');
  }
  const size = Math.min(asked, maxPageSize);
  const slice = all.slice((pageNumber - 1) * size, pageNumber * size);
  const metadata = { totalCount: all.length, maxPageSize };
  return json(
    200,
    slice.map((item) => (withMetadata ? { ...shape(item), metadata } : shape(item))),
  );
}

/**
 * A date filter as Visma takes it (`lastModifiedDateTime`, `documentDate`): the value with its `…Condition`
 * (`>`, `>=`, `<`, `<=`), both or neither. A missing or unknown condition, or a value that is not a real date,
 * is a 400, never a filter silently ignored.
 */
export function dateFilter(
  query: URLSearchParams,
  name: string,
): { test: (value: string) => boolean } | { error: string } {
  const raw = query.get(name);
  if (raw === null) return { test: () => true };
  const condition = query.get(`${name}Condition`);
  if (!condition) return { error: `Error: ${name}Condition is required together with ${name}` };
  if (/[W-Zw-z+]|[-]\d{2}:\d{2}$/.test(raw.slice(10))) {
    return { error: `Error: Filtering Parameters does not accept certain characters such as W-Z: ${name}` };
  }
  const at = parseVismaDateTime(raw);
  if (at === undefined || !isRealDate(raw.trim().slice(0, 10)))
    return { error: `Error: ${name} is not a valid date: ${raw}` };
  const ops: Record<string, (a: number) => boolean> = {
    '>': (a) => a > at,
    '>=': (a) => a >= at,
    '<': (a) => a < at,
    '<=': (a) => a <= at,
  };
  const op = ops[condition];
  if (!op) return { error: `Error: ${name}Condition must be one of >, >=, <, <=` };
  return { test: (value) => op(parsedDateTime(value) ?? 0) };
}

/**
 * parseVismaDateTime, remembered: a listing tests every stored document's date on every page it serves, and at
 * 50,000 documents parsing them again for each of 500 pages cost the sandbox (not Visma) seconds of CPU per
 * listing, on the machine that measures the product. The answer for a text never changes.
 */
const parsedDates = new Map<string, number | undefined>();
function parsedDateTime(value: string): number | undefined {
  if (parsedDates.has(value)) return parsedDates.get(value);
  if (parsedDates.size >= 1_000_000) parsedDates.clear();
  const parsed = parseVismaDateTime(value);
  parsedDates.set(value, parsed);
  return parsed;
}

/** A date field of a PUT body: {value: 'YYYY-MM-DD'} or with a T00:00:00 time. Returns YYYY-MM-DD. */
export function parseDateValue(
  wrapped: unknown,
  field: string,
  nullable: boolean,
): { ok: true; value: string | null } | { ok: false; reply: SandboxReply } {
  const v = unwrap(wrapped);
  if (v.ok && v.value === null && nullable) return { ok: true, value: null };
  if (!v.ok || typeof v.value !== 'string' || parseVismaDateTime(v.value) === undefined)
    return { ok: false, reply: fieldError(field, 'expected {"value": "YYYY-MM-DD"}') };
  return { ok: true, value: new Date(parseVismaDateTime(v.value)!).toISOString().slice(0, 10) };
}

export function blankAddress(id: number): SandboxAddress {
  return {
    addressId: id,
    addressLine1: null,
    addressLine2: null,
    addressLine3: null,
    postalCode: null,
    city: null,
    country: null,
    county: null,
  };
}

const ADDRESS_FIELDS = ['addressLine1', 'addressLine2', 'addressLine3', 'postalCode', 'city', 'countryId', 'county'];

/**
 * An AddressUpdateDto sent as `{value: {addressLine1: {value}, …, county: {value}}}` (customer and location PUT).
 * Like Visma, a body without `county` fails with a NullReference on the field County. Unknown fields are refused.
 */
export function parseAddressUpdate(
  key: string,
  wrapped: unknown,
  current: SandboxAddress,
): { ok: true; address: SandboxAddress } | { ok: false; reply: SandboxReply } {
  const outer = unwrap(wrapped);
  if (!outer.ok || typeof outer.value !== 'object' || outer.value === null || Array.isArray(outer.value))
    return { ok: false, reply: fieldError(key, 'expected {"value": {...}}') };
  const a = outer.value as Record<string, unknown>;
  if (!('county' in a)) {
    return {
      ok: false,
      reply: ippError(
        400,
        `VismaId: ${randomUUID()}. Error: An error occurred during processing of the field County: Object reference not set to an instance of an object.`,
        '10000',
      ),
    };
  }
  const fields: Record<string, string | null> = {};
  for (const [f, raw] of Object.entries(a)) {
    if (!ADDRESS_FIELDS.includes(f)) return { ok: false, reply: notSupported(`${key}.${f}`) };
    const v = unwrap(raw);
    if (!v.ok || (v.value !== null && typeof v.value !== 'string'))
      return { ok: false, reply: fieldError(f, 'expected {"value": "<text>"}') };
    fields[f] = v.value as string | null;
  }
  if (fields.countryId !== undefined && (fields.countryId === null || !/^[A-Z]{2}$/.test(fields.countryId))) {
    return { ok: false, reply: fieldError('CountryId', `Country '${fields.countryId}' does not exist.`) };
  }
  const pick = (f: 'addressLine1' | 'addressLine2' | 'addressLine3' | 'postalCode' | 'city'): string | null =>
    f in fields ? (fields[f] as string | null) : current[f];
  return {
    ok: true,
    address: {
      ...current,
      addressLine1: pick('addressLine1'),
      addressLine2: pick('addressLine2'),
      addressLine3: pick('addressLine3'),
      postalCode: pick('postalCode'),
      city: pick('city'),
      country: fields.countryId ? { id: fields.countryId, name: fields.countryId } : current.country,
      county: fields.county ? { id: fields.county, name: fields.county } : null,
    },
  };
}
