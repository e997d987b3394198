import { unescapeCodeFromPath } from '../../shared/document-code.js';
import { avaError } from './avatax-errors.js';
import type { AvaTaxSandboxState } from './avatax-state.js';
import { json, type SandboxReply, type SandboxRequest } from './http-kit.js';

/**
 * GET /api/v2/companies/{companyCode}/transactions (ListTransactionsByCompany) and the `$include` shaping that
 * GET one shares. Strict where the contract leaves it open:
 * - `$filter` only as `date between 'YYYY-MM-DD' and 'YYYY-MM-DD'`, `date ge '…' and date le '…'` or
 *   `date ge '…' and date lt '…'` (keywords in any case, as AvaTax reads them); anything else is 400
 *   InvalidFilter. `between 'A' and 'B'` is A ≤ date < B, as Avalara documents it (issue 15): a document dated B
 *   is not in it. `betweenEnd: 'inclusive'` offers the other reading; the product works with either.
 * - `$top` 1..1000 (default 1000), `$skip` ≥ 0, integers; other values 400. Other `$` parameters ($orderBy,
 *   $select…) are refused, not ignored.
 * - `$include`: Lines, Details (implies lines), Summary (implies details), Addresses, SummaryOnly, LinesOnly; an
 *   unknown value is refused. The list without `$include` carries the header only (no lines, addresses, summary).
 * - Versions: AvaTax keeps a superseded version of an adjusted document (status `Adjusted`) and may list it
 *   beside the live one; so does this sandbox (`listSuperseded`, default on: the stricter). Order by transaction
 *   id (creation order), or newest first (`listOrder`): the product must not depend on it.
 * - Without a date filter: the last 30 days by `date` (as AvaTax documents).
 *
 * GET /api/v2/companies (QueryCompanies) answers `$filter=companyCode eq '…'` with the company and its id, so a
 * listing's `companyId` can be checked. */

const MAX_TOP = 1000;
const DATE = `'(\\d{4}-\\d{2}-\\d{2})'`;
const BETWEEN = new RegExp(`^\\s*date\\s+between\\s+${DATE}\\s+and\\s+${DATE}\\s*$`, 'i');
const GE_LE = new RegExp(`^\\s*date\\s+ge\\s+${DATE}\\s+and\\s+date\\s+(le|lt)\\s+${DATE}\\s*$`, 'i');
const INCLUDES = ['Lines', 'Details', 'Summary', 'Addresses', 'SummaryOnly', 'LinesOnly'];
const KNOWN_PARAMS = new Set(['$filter', '$top', '$skip', '$include']);

interface Include {
  lines: boolean;
  details: boolean;
  summary: boolean;
  addresses: boolean;
}

const FULL: Include = { lines: true, details: true, summary: true, addresses: true };

export function parseInclude(raw: string | null, whenAbsent: Include): Include | { error: SandboxReply } {
  if (raw === null) return whenAbsent;
  const asked = new Set<string>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    const known = INCLUDES.find((i) => i.toLowerCase() === part.toLowerCase());
    if (!known) return { error: invalidParameter('$include', `'${part}' is not one of ${INCLUDES.join(', ')}.`) };
    asked.add(known);
  }
  const summaryOnly = asked.has('SummaryOnly');
  const summary = asked.has('Summary') || summaryOnly;
  const details = !summaryOnly && !asked.has('LinesOnly') && (asked.has('Details') || asked.has('Summary'));
  const lines = !summaryOnly && (details || asked.has('Lines') || asked.has('LinesOnly'));
  return { lines, details, summary, addresses: asked.has('Addresses') };
}

/** The TransactionModel with only what `$include` asked for. */
export function shapeTransaction(model: Record<string, unknown>, include: Include): Record<string, unknown> {
  const { lines, addresses, summary, ...header } = model;
  const out: Record<string, unknown> = { ...header };
  if (include.lines) {
    out.lines = include.details
      ? lines
      : (lines as Record<string, unknown>[]).map(({ details: _details, ...line }) => line);
  }
  if (include.addresses) out.addresses = addresses;
  if (include.summary) out.summary = summary;
  return out;
}

/** GET one: everything unless `$include` narrows it. */
export function includeForGet(r: SandboxRequest): Include | { error: SandboxReply } {
  return parseInclude(r.query.get('$include'), FULL);
}

function invalidParameter(name: string, description: string): SandboxReply {
  return avaError(400, 'InvalidParameterValue', 70, `Invalid value for ${name}.`, 'IncorrectData', description);
}

function outOfRange(name: string, description: string): SandboxReply {
  return avaError(400, 'RangeError', 6, `Invalid value for ${name}.`, 'IncorrectData', description);
}

function invalidFilter(filter: string): SandboxReply {
  return avaError(
    400,
    'InvalidFilter',
    70,
    'Error parsing $filter.',
    'IncorrectData',
    `The $filter value '${filter}' is not supported by this sandbox: use date between 'YYYY-MM-DD' and 'YYYY-MM-DD', or date ge '…' and date le '…'.`,
  );
}

function integer(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

function realDate(d: string): boolean {
  return !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
}

/** How the listing behaves where AvaTax leaves it open: the stricter variant by default. */
export interface ListingVariant {
  betweenEnd: 'exclusive' | 'inclusive';
  listSuperseded: boolean;
  listOrder: 'created' | 'newest-first';
}

export const STRICT_LISTING: ListingVariant = { betweenEnd: 'exclusive', listSuperseded: true, listOrder: 'created' };

export function listTransactions(
  state: AvaTaxSandboxState,
  r: SandboxRequest,
  now: number,
  variant: ListingVariant = STRICT_LISTING,
): SandboxReply {
  const companyCode = unescapeCodeFromPath(r.params[0]!);
  if (!state.companies.some((c) => c.companyCode === companyCode))
    return avaError(404, 'EntityNotFoundError', 4, `Company '${companyCode}' not found.`, 'HttpRequest');
  for (const key of r.query.keys())
    if (!KNOWN_PARAMS.has(key)) return invalidParameter(key, `${key} is not supported by this sandbox.`);
  let from = new Date(now - 30 * 86_400_000).toISOString().slice(0, 10);
  let to = '9999-12-31';
  let toIncluded = true;
  const filter = r.query.get('$filter');
  if (filter !== null) {
    const between = BETWEEN.exec(filter);
    const geLe = between ? undefined : GE_LE.exec(filter);
    const [a, b] = between ? [between[1], between[2]] : geLe ? [geLe[1], geLe[3]] : [];
    if (!a || !b || !realDate(a) || !realDate(b)) return invalidFilter(filter);
    [from, to] = [a, b];
    toIncluded = between ? variant.betweenEnd === 'inclusive' : geLe![2]!.toLowerCase() === 'le';
  }
  const top = integer(r.query.get('$top'), MAX_TOP);
  if (top === undefined || top < 1 || top > MAX_TOP)
    return outOfRange('$top', `$top must be an integer from 1 to ${MAX_TOP}.`);
  const skip = integer(r.query.get('$skip'), 0);
  if (skip === undefined) return outOfRange('$skip', '$skip must be a non-negative integer.');
  const include = parseInclude(r.query.get('$include'), {
    lines: false,
    details: false,
    summary: false,
    addresses: false,
  });
  if ('error' in include) return include.error;

  const matching = state.transactions
    .filter((t) => t.companyCode === companyCode && (variant.listSuperseded || t.status !== 'Adjusted'))
    .filter((t) => {
      const date = String(t.model.date).slice(0, 10);
      return date >= from && (toIncluded ? date <= to : date < to);
    })
    .sort((a, b) => (variant.listOrder === 'created' ? a.id - b.id : b.id - a.id));
  const slice = matching.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@recordsetCount': matching.length,
    value: slice.map((t) => shapeTransaction(t.model, include)),
  };
  if (skip + top < matching.length) body['@nextLink'] = nextLink(r, skip + top);
  return json(200, body);
}

/** The same path and query with `$skip` advanced (`$` kept literal, values percent-encoded). */
function nextLink(r: SandboxRequest, skip: number): string {
  const params = new Map<string, string>();
  for (const [k, v] of r.query) params.set(k, v);
  params.set('$skip', String(skip));
  const query = [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${r.path}?${query}`;
}

const COMPANY_CODE_EQ = /^\s*companyCode\s+eq\s+'([^']{1,50})'\s*$/i;

/** GET /api/v2/companies with `$filter=companyCode eq '…'` (QueryCompanies): the company, with its id. */
export function queryCompanies(state: AvaTaxSandboxState, r: SandboxRequest): SandboxReply {
  for (const key of r.query.keys())
    if (key !== '$filter') return invalidParameter(key, `${key} is not supported by this sandbox.`);
  const filter = r.query.get('$filter') ?? '';
  const m = COMPANY_CODE_EQ.exec(filter);
  if (!m)
    return avaError(
      400,
      'InvalidFilter',
      70,
      'Error parsing $filter.',
      'IncorrectData',
      `The $filter value '${filter}' is not supported by this sandbox: use companyCode eq '…'.`,
    );
  const found = state.companies.filter((c) => c.companyCode === m[1]);
  return json(200, {
    '@recordsetCount': found.length,
    value: found.map((c) => ({ id: c.companyId, companyCode: c.companyCode, country: c.country, isActive: true })),
  });
}
