import { randomUUID } from 'node:crypto';
import { fromMinor, toMinor } from '../../shared/money.js';
import { json, type SandboxReply, type SandboxRequest } from './http-kit.js';
import { backgroundIfMatchFails, dateFilter, etag, ippError, notFound, page, type VismaContext } from './visma-http.js';
import type { SandboxDocument, VismaSandboxState } from './visma-state.js';
import { applyVismaVat, isManualZone, toBase } from './visma-vat.js';

/**
 * Customer invoices, credit notes and debit notes: the DTO, list / get, release, delete, correct. (PUT:
 * visma-document-put.) A debit note is shaped as an invoice (`invoiceLines`, `taxDetailLines` on PUT): the stored
 * material names `/v1/customerDebitNote` but not its DTO, so the sandbox takes the invoice's and says so
 * (docs/api-assumptions.md).
 */

export type DocumentKind = SandboxDocument['kind'];

/** The API path segment of each kind. */
export const DOCUMENT_PATHS: Record<DocumentKind, string> = {
  invoice: 'customerinvoice',
  'credit-note': 'customerCreditNote',
  'debit-note': 'customerDebitNote',
};

/** The key a document's lines go under, in the DTO and in a PUT; and the key of a PUT's VAT lines. */
export const LINE_KEY: Record<DocumentKind, string> = {
  invoice: 'invoiceLines',
  'credit-note': 'lines',
  'debit-note': 'invoiceLines',
};
export const TAX_KEY: Record<DocumentKind, string> = {
  invoice: 'taxDetailLines',
  'credit-note': 'taxDetails',
  'debit-note': 'taxDetailLines',
};

export function documentLabel(kind: DocumentKind): string {
  return { invoice: 'Customer invoice', 'credit-note': 'Customer credit note', 'debit-note': 'Customer debit note' }[
    kind
  ];
}

export function findDocument(state: VismaSandboxState, kind: DocumentKind, ref: string): SandboxDocument | undefined {
  return state.documents.find((d) => d.kind === kind && d.referenceNumber === ref);
}

/**
 * If-Match on the document endpoints that change a document (PUT, correct, delete, release). With
 * `enforceIfMatch: 'background-only'` it is only checked when the request has an `erp-api-background` header.
 */
export function documentIfMatchFails(
  ctx: VismaContext,
  r: SandboxRequest,
  doc: SandboxDocument,
): SandboxReply | undefined {
  return backgroundIfMatchFails(ctx, r, doc.timeStamp, documentLabel(doc.kind));
}

const at = (date: string | null) => (date ? `${date}T00:00:00` : null);

export function documentDto(
  ctx: VismaContext,
  d: SandboxDocument,
  options: { taxDetails: boolean; applications: boolean },
): Record<string, unknown> {
  const zone = ctx.state.vatZones.find((z) => z.id === d.customerVatZoneId);
  const inBase = ctx.taxDetailsCurrency === 'base';
  const base = (n: number) => fromMinor(toBase(toMinor(n), d.exchangeRate));
  const settled = d.status === 'Closed' || d.status === 'Voided';
  return {
    documentType: d.documentType,
    referenceNumber: d.referenceNumber,
    status: d.status,
    hold: d.hold,
    customer: { ...d.customer },
    documentDate: at(d.documentDate),
    origInvoiceDate: at(d.origInvoiceDate),
    documentDueDate: at(d.documentDueDate),
    cashDiscountDate: at(d.cashDiscountDate),
    currencyId: d.currencyId,
    exchangeRate: d.exchangeRate,
    customerVatZone: d.customerVatZoneId ? { id: d.customerVatZoneId, description: zone?.description ?? '' } : null,
    location: d.location ? { ...d.location } : null,
    detailTotal: d.detailTotal,
    detailTotalInCurrency: d.detailTotalInCurrency,
    vatTotal: d.vatTotal,
    vatTotalInCurrency: d.vatTotalInCurrency,
    amount: d.amount,
    amountInCurrency: d.amountInCurrency,
    balance: settled ? 0 : d.amount,
    balanceInCurrency: settled ? 0 : d.amountInCurrency,
    ...(options.taxDetails
      ? {
          taxDetails: d.taxDetails.map((t) => ({
            ...t,
            vatId: { ...t.vatId },
            taxableAmount: inBase ? base(t.taxableAmount) : t.taxableAmount,
            vatAmount: inBase ? base(t.vatAmount) : t.vatAmount,
          })),
        }
      : {}),
    note: d.note,
    [LINE_KEY[d.kind]]: d.lines.map((l) => ({
      ...l,
      vatCode: l.vatCode ? { ...l.vatCode } : null,
    })),
    ...(d.kind === 'credit-note' && options.applications
      ? { applications: d.applications.map((a) => ({ ...a, applicationDate: at(a.applicationDate) })) }
      : {}),
    lastModifiedDateTime: d.lastModifiedDateTime,
    createdDateTime: d.createdDateTime,
    timeStamp: d.timeStamp,
  };
}

/** The values Visma's `status` filter takes (its CashSaleStatus enum); anything else is a 400, not an empty list. */
const DOCUMENT_STATUSES = new Set([
  'Hold',
  'Balanced',
  'Voided',
  'Scheduled',
  'Open',
  'Closed',
  'PendingPrint',
  'PendingEmail',
  'CreditHold',
  'CcHold',
  'Reserved',
]);

/**
 * `expandTaxDetails`, `expandApplications`: 'true' / 'false' (any case) or absent (false); anything else is refused
 * (stricter than unknown).
 */
function expand(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return false;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  return undefined;
}

/**
 * A credit note's `applications` (the invoices it is applied to) come only with `expandApplications=true`, as
 * Visma's list parameters say. The spec lists no query parameters for a single GET: the stricter reading is taken
 * there too (no applications unless asked), so a client that relies on them must ask on both.
 */
function expandApplications(r: SandboxRequest): { ok: true; value: boolean } | { ok: false; reply: SandboxReply } {
  const value = expand(r.query, 'expandApplications');
  if (value === undefined)
    return { ok: false, reply: ippError(400, 'Error: expandApplications must be true or false', '10010') };
  return { ok: true, value };
}

export function listDocuments(
  ctx: VismaContext,
  r: SandboxRequest,
  kind: DocumentKind,
  order: 'stored' | 'newest-first',
): SandboxReply {
  const modified = dateFilter(r.query, 'lastModifiedDateTime');
  if ('error' in modified) return ippError(400, modified.error, '10010');
  const dated = dateFilter(r.query, 'documentDate');
  if ('error' in dated) return ippError(400, dated.error, '10010');
  const withTax = expand(r.query, 'expandTaxDetails');
  if (withTax === undefined) return ippError(400, 'Error: expandTaxDetails must be true or false', '10010');
  const applications = expandApplications(r);
  if (!applications.ok) return applications.reply;
  const status = r.query.get('status');
  if (status !== null && !DOCUMENT_STATUSES.has(status))
    return ippError(400, `Error: status '${status}' is not one of ${[...DOCUMENT_STATUSES].join(', ')}`, '10010');
  const customer = r.query.get('customer');
  const select = () => {
    const docs = ctx.state.documents.filter(
      (d) =>
        d.kind === kind &&
        modified.test(d.lastModifiedDateTime) &&
        dated.test(d.documentDate) &&
        (status === null || d.status === status) &&
        (customer === null || d.customer.number === customer),
    );
    if (order === 'newest-first') docs.sort((a, b) => b.lastModifiedDateTime.localeCompare(a.lastModifiedDateTime));
    return docs;
  };
  const docs = ctx.listings ? remembered(ctx, `${kind} ${order} ${listingKey(r.query)}`, select) : select();
  return page(
    r,
    docs,
    ctx.maxPageSize,
    (d) => documentDto(ctx, d, { taxDetails: withTax, applications: applications.value }),
    ctx.listMetadata,
  );
}

/** The query but its paging: every page of one listing selects the same documents. */
function listingKey(query: URLSearchParams): string {
  return [...query]
    .filter(([k]) => k !== 'pageNumber' && k !== 'pageSize')
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
}

/**
 * The documents a listing selects, remembered while nothing changed: no write (every write bumps rowVersion), no
 * document added or deleted. Only when the sandbox is asked to (the bench's host, which changes documents only
 * through writes): a test that edits the state directly would see a listing from before its edit.
 */
function remembered(ctx: VismaContext, key: string, select: () => SandboxDocument[]): SandboxDocument[] {
  const listings = ctx.listings!;
  const version = `${ctx.state.rowVersion}:${ctx.state.documents.length}`;
  const hit = listings.get(key);
  if (hit && hit.version === version && hit.documents === ctx.state.documents) return hit.matches as SandboxDocument[];
  const matches = select();
  if (listings.size >= 16) listings.clear();
  listings.set(key, { version, documents: ctx.state.documents, matches });
  return matches;
}

/** A single GET always carries the tax details; the applications only when asked (see expandApplications). */
export function getDocument(ctx: VismaContext, r: SandboxRequest, kind: DocumentKind): SandboxReply {
  const doc = findDocument(ctx.state, kind, r.params[0]!);
  if (!doc) return notFound(documentLabel(kind), r.params[0]!);
  advanceRelease(ctx, doc);
  const applications = expandApplications(r);
  if (!applications.ok) return applications.reply;
  return json(200, documentDto(ctx, doc, { taxDetails: true, applications: applications.value }), etag(doc.timeStamp));
}

/**
 * `action/release`: answers the action result (`{actionId, actionResult: Queued|InProcess|Failed|Done,
 * errorInfo}`, the legacy Swagger's ReleaseInvoiceActionResultDto). Visma's spec says the release "starts in the
 * background": with `releaseAction: 'queued'` (the stricter default) the answer is Queued and the document stays
 * Balanced until it has been read `releaseQueueReads` times; then the release is done, or fails (the document
 * is no longer balanced, or `releaseFailure` is set) and the document stays as it is. 'immediate' answers Done
 * (or Failed) at once. A document that is not Balanced when asked is refused with a 400.
 */
export function releaseDocument(ctx: VismaContext, r: SandboxRequest, kind: DocumentKind): SandboxReply {
  const doc = findDocument(ctx.state, kind, r.params[0]!);
  if (!doc) return notFound('Document', r.params[0]!);
  const stale = documentIfMatchFails(ctx, r, doc);
  if (stale) return stale;
  if (doc.status !== 'Balanced')
    return ippError(
      400,
      `Error: Document ${doc.referenceNumber} cannot be released from status ${doc.status}.`,
      '10020',
    );
  const actionId = randomUUID();
  if (ctx.releaseAction === 'immediate') return json(200, carryOutRelease(ctx, doc, actionId));
  ctx.releaseQueue.set(`${kind}:${doc.referenceNumber}`, { actionId, reads: 0 });
  return json(200, { actionId, actionResult: 'Queued', errorInfo: null });
}

/** The release itself: Done (Open) or Failed, the document then as it was. */
function carryOutRelease(
  ctx: VismaContext,
  doc: SandboxDocument,
  actionId: string,
): { actionId: string; actionResult: 'Done' | 'Failed'; errorInfo: string | null } {
  const refused =
    ctx.releaseFailure ??
    (doc.status === 'Balanced'
      ? undefined
      : `Document ${doc.referenceNumber} is ${doc.status} and cannot be released.`);
  if (refused) return { actionId, actionResult: 'Failed', errorInfo: refused };
  doc.status = 'Open';
  doc.hold = false;
  ctx.touch(doc);
  return { actionId, actionResult: 'Done', errorInfo: null };
}

/** A read of the document moves its queued release on: carried out at the `releaseQueueReads`-th read. */
export function advanceRelease(ctx: VismaContext, doc: SandboxDocument): void {
  const key = `${doc.kind}:${doc.referenceNumber}`;
  const queued = ctx.releaseQueue.get(key);
  if (!queued) return;
  queued.reads++;
  if (queued.reads < ctx.releaseQueueReads) return;
  ctx.releaseQueue.delete(key);
  carryOutRelease(ctx, doc, queued.actionId);
}

/** DELETE: only an unreleased document (Hold / Balanced) can be deleted. */
export function deleteDocument(ctx: VismaContext, r: SandboxRequest, kind: DocumentKind): SandboxReply {
  const doc = findDocument(ctx.state, kind, r.params[0]!);
  if (!doc) return notFound(documentLabel(kind), r.params[0]!);
  const stale = documentIfMatchFails(ctx, r, doc);
  if (stale) return stale;
  if (doc.status !== 'Hold' && doc.status !== 'Balanced')
    return ippError(
      400,
      `Error: Document ${doc.referenceNumber} has status ${doc.status} and cannot be deleted: only documents on hold or balanced can.`,
      '10022',
    );
  ctx.state.documents.splice(ctx.state.documents.indexOf(doc), 1);
  ctx.changed();
  return { status: 204 };
}

/** The next free number of a kind: invoices 26xxxx, credit notes 27xxxx, debit notes 28xxxx. */
export function nextReferenceNumber(state: VismaSandboxState, kind: DocumentKind): string {
  const low = { invoice: 260_001, 'credit-note': 270_001, 'debit-note': 280_001 }[kind];
  const high = low + 9_998;
  const used = new Set(
    state.documents
      .filter((d) => d.kind === kind && /^\d+$/.test(d.referenceNumber))
      .map((d) => Number(d.referenceNumber))
      .filter((n) => n >= low && n <= high),
  );
  const top = Math.max(low - 1, ...used);
  if (top < high) return String(top + 1);
  for (let n = low; n <= high; n++) if (!used.has(n)) return String(n);
  throw new Error(`No free ${kind} number left`);
}

/**
 * What "Correct" does to a released invoice: (a) a reversing credit note, released (Open) and applied to the
 * invoice, (b) a corrected copy of the invoice on Hold; the original becomes Closed. Open details, chosen strictly:
 * neither copy carries the user's note (the product must carry it over itself), the credit note is dated today
 * (never before the invoice), and a copy in a manual-entry zone keeps the original's tax details.
 */
export function correctInvoice(
  ctx: VismaContext,
  ref: string,
): { ok: true; creditNote: SandboxDocument; invoice: SandboxDocument } | { ok: false; reply: SandboxReply } {
  const state = ctx.state;
  const original = findDocument(state, 'invoice', ref);
  if (!original) return { ok: false, reply: notFound(documentLabel('invoice'), ref) };
  if (original.status !== 'Open')
    return {
      ok: false,
      reply: ippError(
        400,
        `Error: Invoice ${ref} has status ${original.status}: only a released (open) invoice can be corrected.`,
        '10023',
      ),
    };
  const today = ctx.today();
  const copy = (): SandboxDocument => {
    const d = structuredClone(original);
    d.note = null;
    d.applications = [];
    d.taxDetails = d.taxDetails.map((t) => ({ ...t, recordId: state.nextRecordId++ }));
    return d;
  };
  const creditNote: SandboxDocument = {
    ...copy(),
    kind: 'credit-note',
    documentType: 'CreditNote',
    referenceNumber: nextReferenceNumber(state, 'credit-note'),
    status: 'Open',
    hold: false,
    origInvoiceDate: original.documentDate,
    documentDate: [original.documentDate, today].sort().at(-1)!,
  };
  creditNote.applications = [
    {
      docType: 'Invoice',
      customerCd: original.customer.number,
      refNbr: original.referenceNumber,
      amountPaid: original.amountInCurrency,
      balance: 0,
      released: true,
      status: 'Closed',
      applicationDate: creditNote.documentDate,
    },
  ];
  const invoice: SandboxDocument = {
    ...copy(),
    referenceNumber: nextReferenceNumber(state, 'invoice'),
    status: 'Hold',
    hold: true,
  };
  if (!isManualZone(state, invoice.customerVatZoneId)) applyVismaVat(invoice, state);
  original.status = 'Closed';
  original.hold = false;
  ctx.touch(original);
  for (const d of [creditNote, invoice]) {
    state.documents.unshift(d);
    ctx.touch(d);
    d.createdDateTime = d.lastModifiedDateTime;
  }
  return { ok: true, creditNote, invoice };
}

export function correctRoute(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const doc = findDocument(ctx.state, 'invoice', r.params[0]!);
  if (!doc) return notFound(documentLabel('invoice'), r.params[0]!);
  const stale = documentIfMatchFails(ctx, r, doc);
  if (stale) return stale;
  const result = correctInvoice(ctx, doc.referenceNumber);
  if (!result.ok) return result.reply;
  return json(200, { referenceNumber: result.invoice.referenceNumber }, etag(result.invoice.timeStamp));
}
