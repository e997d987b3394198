import type { z } from 'zod';
import { type Reason, reason } from '../../../shared/reasons.js';
import { describeIssues, notJsonWords } from '../answer-words.js';
import {
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  MalformedResponseError,
  RetryableHttpError,
  sleep,
} from '../http.js';
import { actionResultSchema, DEFAULT_POLL_DELAYS_MS, type Follow, inBackground } from './background.js';
import { parseVismaError, VismaError } from './errors.js';
import type { VismaTokenProvider } from './token.js';
import {
  type AddressUpdate,
  customerSchema,
  DOCUMENT_SCHEMAS,
  dto,
  locationSchema,
  toVismaDocument,
  type VismaCustomer,
  type VismaDocument,
  type VismaDocumentKind,
  type VismaLocation,
  type VismaVatCategory,
  type VismaVatInformation,
  type VismaVatZone,
  vatCategorySchema,
  vatInformationSchema,
  vatZoneSchema,
  type WhichAddress,
} from './types.js';

const LIST_PATH: Record<VismaDocumentKind, string> = {
  invoice: '/v1/customerinvoice',
  'credit-note': '/v1/customerCreditNote',
  'debit-note': '/v1/customerDebitNote',
};

/** The keys a PUT names the lines and the VAT lines by: a debit note is written as an invoice is. */
const LINE_KEY: Record<VismaDocumentKind, string> = {
  invoice: 'invoiceLines',
  'credit-note': 'lines',
  'debit-note': 'invoiceLines',
};
const TAX_KEY: Record<VismaDocumentKind, string> = {
  invoice: 'taxDetailLines',
  'credit-note': 'taxDetails',
  'debit-note': 'taxDetailLines',
};

/** Visma's conditions for a date filter; the date and its condition always go together. */
export type DateCondition = '>' | '>=' | '<' | '<=';

/**
 * What a document listing selects, as Visma's query parameters on `/v1/customerinvoice` and
 * `/v1/customerCreditNote`: `lastModifiedDateTime` / `documentDate` each with their `…Condition`, `status`,
 * `customer`. Lists carry the tax details (`expandTaxDetails=true`) unless `taxDetails: false`.
 */
export interface DocumentFilter {
  modified?: { at: string; condition: DateCondition };
  documentDate?: { at: string; condition: DateCondition };
  status?: string;
  customer?: string;
  taxDetails?: boolean;
}

/**
 * What a credit note's listing and GET ask for besides: its `applications` (the invoice it credits), which Visma
 * returns only with `expandApplications=true` (a list parameter of `/v1/customerCreditNote`; sent on the single GET
 * too, whose spec names no query parameters, so that a server that ignores it and one that needs it both answer
 * with them).
 */
function expandFor(kind: VismaDocumentKind): Record<string, boolean> {
  return kind === 'credit-note' ? { expandApplications: true } : {};
}

/** The filter as query parameters, in one place for every listing. */
function filterQuery(kind: VismaDocumentKind, filter: DocumentFilter): Record<string, string | boolean> {
  const query: Record<string, string | boolean> = {};
  if (filter.modified) {
    query.lastModifiedDateTime = filter.modified.at;
    query.lastModifiedDateTimeCondition = filter.modified.condition;
  }
  if (filter.documentDate) {
    query.documentDate = filter.documentDate.at;
    query.documentDateCondition = filter.documentDate.condition;
  }
  if (filter.status) query.status = filter.status;
  if (filter.customer) query.customer = filter.customer;
  // Lists carry the tax details only when asked: the VAT Visma booked is what every decision reads.
  query.expandTaxDetails = filter.taxDetails ?? true;
  return { ...query, ...expandFor(kind) };
}

/** "an invoice", "a credit note": for messages. */
const A: Record<VismaDocumentKind, string> = {
  invoice: 'an invoice',
  'credit-note': 'a credit note',
  'debit-note': 'a debit note',
};
const LABEL: Record<VismaDocumentKind, string> = {
  invoice: 'invoice',
  'credit-note': 'credit note',
  'debit-note': 'debit note',
};

export interface ListOptions {
  pageSize?: number;
  signal?: AbortSignal;
}

/** How often a truncated page is asked for again before the listing gives up (as retryable). */
const PAGE_ATTEMPTS = 3;
/**
 * Pages of one listing asked for at once, once its first page says how many there are: as many as the documents
 * a run keeps in flight by default (sync.concurrency), within what Visma's window has left (the HTTP layer).
 */
export const LIST_PAGES_IN_FLIGHT = 8;

export interface ListResult {
  documents: VismaDocument[];
  /** Items Visma sent that we could not read: reported, never silently dropped. */
  rejected: { referenceNumber?: string; reason: Reason }[];
  pages: number;
  totalCount?: number;
  /**
   * How the listing is known to hold every document the filter selects: Visma's `totalCount` reached and
   * unchanged while paging (`count`), or full pages ended by an empty one (`empty-page`); `none` when nothing
   * proves it (no count, a short last page that may have been cut, or a count that moved). The sync moves its
   * watermark past an unproven listing only as far as its order allows (see sync-run.ts).
   */
  proof: 'count' | 'empty-page' | 'none';
}

/**
 * What the write-back changes, and nothing else: a PUT sets every field it carries (sending `note` replaces the
 * note a user wrote), so an absent field is left as Visma has it.
 */
export interface DocumentWriteBack {
  vatZoneId?: string;
  lines?: { lineNumber: number; vatCodeId: string }[];
  taxDetails?: { taxId: string; taxableAmount: number; vatAmount: number }[];
  note?: string;
}

/** What the VAT master data says: categories (and their VAT ids with rates), zones, and each VAT id's zones. */
export interface VismaVatData {
  categories: VismaVatCategory[];
  zones: VismaVatZone[];
  vats: VismaVatInformation[];
}

export interface VismaClientOptions {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Pauses between two looks at a background job or a queued release (ms); their number bounds the wait. */
  pollDelaysMs?: readonly number[];
}

/** Visma.net ERP, the parts a sales-tax connector needs. */
export class VismaClient {
  private readonly follow: Follow;

  constructor(
    private readonly http: HttpClient,
    private readonly tokens: VismaTokenProvider,
    options: VismaClientOptions = {},
  ) {
    this.follow = {
      call: (req, what) => this.call(req, what),
      sleep: options.sleep ?? sleep,
      delays: options.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS,
    };
  }

  /**
   * Documents modified at or after `since` (server clock, `yyyy-MM-ddTHH:mm:ss.fff`, no zone). Offset paging can
   * miss a document created while we page, so a listing whose `totalCount` changed between its first and last
   * page is read again (up to three passes; after that the union of the passes is returned and the overlap of
   * the next run covers the rest).
   */
  listModifiedSince(kind: VismaDocumentKind, since: string, options: ListOptions = {}): Promise<ListResult> {
    return this.listDocuments(kind, { modified: { at: since, condition: '>=' } }, options);
  }

  /**
   * Documents by their document date (`documentDate` + `documentDateCondition`, YYYY-MM-DD), optionally of one
   * status and one customer: Visma takes one condition per date, so a range is `>= from` here and its end is cut
   * by the caller.
   */
  listByDocumentDate(
    kind: VismaDocumentKind,
    from: string,
    filter: Pick<DocumentFilter, 'status' | 'customer'> = {},
    options: ListOptions = {},
  ): Promise<ListResult> {
    return this.listDocuments(kind, { ...filter, documentDate: { at: from, condition: '>=' } }, options);
  }

  /** Every document the filter selects, every page, read again while `totalCount` moves (see listModifiedSince). */
  async listDocuments(kind: VismaDocumentKind, filter: DocumentFilter, options: ListOptions = {}): Promise<ListResult> {
    const passes: ListResult[] = [];
    for (let pass = 1; pass <= 3; pass++) {
      const { result, stable } = await this.listOnce(kind, filterQuery(kind, filter), options);
      if (stable) return result;
      passes.push(result);
    }
    const union: ListResult = {
      documents: [],
      rejected: passes.at(-1)!.rejected,
      pages: passes.at(-1)!.pages,
      totalCount: passes.at(-1)!.totalCount,
      proof: 'none',
    };
    const seen = new Set<string>();
    for (const doc of passes.flatMap((p) => p.documents)) {
      const key = `${doc.referenceNumber}\u0000${doc.timeStamp}`;
      if (!seen.has(key)) {
        seen.add(key);
        union.documents.push(doc);
      }
    }
    return union;
  }

  /**
   * One pass over every page: `stable` when totalCount did not move while we paged. Pages are read until
   * totalCount is reached, however many that takes: once the first page says how many there are, the rest are
   * asked for LIST_PAGES_IN_FLIGHT at a time (the HTTP layer still keeps to Visma's rate-limit window) and taken
   * in order. A page that comes back empty or short before then is a truncated answer: it is asked for again,
   * and if it stays short the listing fails as retryable rather than return fewer documents than Visma said it
   * has (the watermark must not move past what was never read).
   */
  private async listOnce(
    kind: VismaDocumentKind,
    filter: Record<string, string | boolean>,
    options: ListOptions,
  ): Promise<{ result: ListResult; stable: boolean }> {
    const pageSize = options.pageSize ?? 500;
    const schema = DOCUMENT_SCHEMAS[kind];
    const seen = new Set<string>();
    const result: ListResult = { documents: [], rejected: [], pages: 0, proof: 'none' };
    let fetched = 0;
    let firstTotal: number | undefined;
    let fullPage = 0;
    /** Without a count: a page shorter than the others came before the end (it may have been cut short). */
    let shortSeen = false;
    /** A page, asked for again while it comes back short though `before` items and it do not reach totalCount. */
    const readWhole = async (pageNumber: number, before: number, total: number | undefined): Promise<unknown[]> => {
      let page: unknown[] = [];
      for (let attempt = 1; attempt <= PAGE_ATTEMPTS; attempt++) {
        page = await this.readPage(kind, filter, pageNumber, pageSize, options.signal);
        const expectedMore = total !== undefined && before < total;
        const short = page.length === 0 || (fullPage > 0 && page.length < fullPage);
        if (!(expectedMore && short && before + page.length < total!)) break;
        if (attempt === PAGE_ATTEMPTS)
          throw new RetryableHttpError(
            `Visma.net sent an incomplete list of ${kind}s: ${before + page.length} of ${total} after ${PAGE_ATTEMPTS} tries of page ${pageNumber}; nothing after the last complete run is skipped`,
            'Visma.net',
            200,
            PAGE_ATTEMPTS,
          );
      }
      return page;
    };
    /** Takes a page's items; says whether the listing is complete (or has no more pages). */
    const take = (pageNumber: number, page: unknown[]): boolean => {
      result.pages = pageNumber;
      if (page.length === 0) {
        if (result.totalCount === undefined && !shortSeen && pageNumber > 1) result.proof = 'empty-page';
        return true;
      }
      // Shorter than asked for: the last page, a page Visma capped, or one cut short. Only a count tells which.
      if (page.length < pageSize) shortSeen = true;
      fullPage = Math.max(fullPage, page.length);
      fetched += page.length;
      for (const item of page) {
        const parsed = (schema as z.ZodType).safeParse(item);
        const ref = (item as { referenceNumber?: unknown })?.referenceNumber;
        if (!parsed.success) {
          result.rejected.push({
            referenceNumber: typeof ref === 'string' ? ref : undefined,
            // Our words in the reader's language; which fields and why in the schema's terms, quoted.
            reason:
              typeof ref === 'string'
                ? reason('visma-unreadable-number', { reference: ref, issues: describeIssues(parsed.error.issues) })
                : reason('visma-unreadable', { issues: describeIssues(parsed.error.issues) }),
          });
          continue;
        }
        const doc = toVismaDocument(kind, parsed.data as never);
        const key = `${doc.referenceNumber}\u0000${doc.timeStamp}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.documents.push(doc);
      }
      const meta = (page[0] as { metadata?: { totalCount?: number } } | undefined)?.metadata;
      if (typeof meta?.totalCount === 'number') {
        firstTotal ??= meta.totalCount;
        result.totalCount = meta.totalCount;
        if (fetched >= meta.totalCount) {
          result.proof = 'count';
          return true;
        }
        if (pageNumber > Math.ceil(meta.totalCount / fullPage) + PAGE_ATTEMPTS)
          throw new VismaError('unexpected', 200, `Visma.net kept sending ${kind} pages past its totalCount`);
        return false;
      }
      // Without a count, only an empty page ends the listing: a short page may be the last, or a cut one.
      return false;
    };

    if (take(1, await readWhole(1, 0, undefined))) return { result, stable: true };
    let pageNumber = 2;
    let done = false;
    const total = result.totalCount;
    if (total !== undefined && fullPage > 0) {
      // The pages totalCount says there are, several at a time, each checked as a whole page, taken in order.
      const last = Math.ceil(total / fullPage);
      const size = fullPage;
      const pages = new Map<number, Promise<unknown[]>>();
      let asked = pageNumber;
      const ask = () => {
        while (asked <= last && asked < pageNumber + LIST_PAGES_IN_FLIGHT) {
          const p = readWhole(asked, (asked - 1) * size, total);
          p.catch(() => undefined);
          pages.set(asked++, p);
        }
      };
      while (!done && pageNumber <= last) {
        ask();
        const page = await pages.get(pageNumber)!;
        pages.delete(pageNumber);
        done = take(pageNumber++, page);
      }
    }
    // Past the last page totalCount first promised (documents entered while we paged), one page at a time.
    for (; !done; pageNumber++) done = take(pageNumber, await readWhole(pageNumber, fetched, result.totalCount));
    const stable = firstTotal === undefined || firstTotal === result.totalCount;
    if (!stable) result.proof = 'none';
    return { result, stable };
  }

  private async readPage(
    kind: VismaDocumentKind,
    filter: Record<string, string | boolean>,
    pageNumber: number,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<unknown[]> {
    const res = await this.call(
      { method: 'GET', path: LIST_PATH[kind], query: { ...filter, pageNumber, pageSize }, signal },
      `the ${LABEL[kind]} list`,
    );
    if (res.body === undefined) return [];
    if (!Array.isArray(res.body))
      throw new VismaError('unexpected', res.status, `Visma.net sent ${A[kind]} list that is not a list`);
    return res.body as unknown[];
  }

  async getDocument(
    kind: VismaDocumentKind,
    referenceNumber: string,
    signal?: AbortSignal,
  ): Promise<{ document: VismaDocument; etag: string }> {
    const what = `${LABEL[kind]} ${referenceNumber}`;
    const res = await this.call(
      {
        method: 'GET',
        path: `${LIST_PATH[kind]}/${encodeURIComponent(referenceNumber)}`,
        query: expandFor(kind),
        signal,
      },
      what,
      true,
    );
    const schema = DOCUMENT_SCHEMAS[kind];
    const parsed = (schema as z.ZodType).safeParse(res.body);
    if (!parsed.success)
      throw new VismaError(
        'unexpected',
        res.status,
        `Visma.net sent an unreadable ${what}: ${describeIssues(parsed.error.issues)}`,
      );
    const document = toVismaDocument(kind, parsed.data as never);
    return { document, etag: unquote(res.headers.etag) ?? document.timeStamp };
  }

  /**
   * PUTs only the fields the change carries, DtoValue-wrapped (`taxDetailLines` on invoices and debit notes,
   * `taxDetails` on credit notes; lines by lineNumber with operation Update), with If-Match, in the background
   * (`erp-api-background`: only then does Visma check If-Match) and followed to the job's end. Returns the new
   * ETag when Visma says it. The caller reads the document back to see what it booked. 412 (someone changed it
   * since it was read) and 400 surface as VismaError kinds, whether answered at once or by the job.
   */
  async writeBack(
    kind: VismaDocumentKind,
    referenceNumber: string,
    etag: string,
    change: DocumentWriteBack,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const body: Record<string, unknown> = {};
    if (change.vatZoneId !== undefined) body.customerVatZoneId = dto(change.vatZoneId);
    if (change.lines?.length)
      body[LINE_KEY[kind]] = change.lines.map((l) => ({
        operation: 'Update',
        lineNumber: dto(l.lineNumber),
        vatCodeId: dto(l.vatCodeId),
      }));
    if (change.taxDetails?.length)
      body[TAX_KEY[kind]] = change.taxDetails.map((t) => ({
        taxId: dto(t.taxId),
        taxableAmount: dto(t.taxableAmount),
        vatAmount: dto(t.vatAmount),
      }));
    if (change.note !== undefined) body.note = dto(change.note);
    const res = await inBackground(
      this.follow,
      {
        method: 'PUT',
        path: `${LIST_PATH[kind]}/${encodeURIComponent(referenceNumber)}`,
        headers: { 'If-Match': `"${etag}"` },
        json: body,
        signal,
      },
      `the write to ${LABEL[kind]} ${referenceNumber}`,
    );
    return unquote(res.headers.etag);
  }

  /**
   * `action/release`: Visma posts the document; its VAT can no longer change. Sent in the background with
   * If-Match, followed to the job's end, and then to the action's: Visma's spec says the release "starts in the
   * background" and answers `{actionId, actionResult: Queued|InProcess|Failed|Done, errorInfo}`. Done returns;
   * Failed is a VismaError with Visma's words; Queued or InProcess is followed by reading the document until Visma
   * shows it released, and is never taken for done: still unreleased after the last look, it is retryable (the
   * next run reads it again, released or not).
   */
  async release(kind: VismaDocumentKind, referenceNumber: string, etag: string, signal?: AbortSignal): Promise<void> {
    const what = `${LABEL[kind]} ${referenceNumber}`;
    const res = await inBackground(
      this.follow,
      {
        method: 'POST',
        path: `${LIST_PATH[kind]}/${encodeURIComponent(referenceNumber)}/action/release`,
        headers: { 'If-Match': `"${etag}"` },
        signal,
      },
      `the release of ${what}`,
    );
    const action = actionResultSchema.safeParse(res.body ?? {});
    const result = action.success ? (action.data.actionResult ?? '') : '';
    if (/^done$/i.test(result)) return;
    if (/^failed$/i.test(result))
      throw new VismaError(
        'validation',
        res.status,
        `Visma.net could not release ${what}: ${action.success && action.data.errorInfo ? action.data.errorInfo : 'its release action failed without saying why'}`,
      );
    // Queued, InProcess, or no action result at all: what Visma shows is what counts.
    for (const delay of this.follow.delays) {
      if (delay > 0) await this.follow.sleep(delay, signal);
      const { document } = await this.getDocument(kind, referenceNumber, signal);
      if (document.status === 'Open' || document.status === 'Closed') return;
    }
    throw new RetryableHttpError(
      `Visma.net queued the release of ${what} but has not released it yet (${result || 'no action result'}; ${this.follow.delays.length} checks): the next run looks again`,
      'Visma.net',
      res.status,
      this.follow.delays.length,
    );
  }

  async getLocation(
    customerNumber: string,
    locationId: string,
    signal?: AbortSignal,
  ): Promise<{ location: VismaLocation; etag: string }> {
    const what = `location ${locationId} of customer ${customerNumber}`;
    const res = await this.call(
      {
        method: 'GET',
        path: `/v1/location/${encodeURIComponent(customerNumber)}/${encodeURIComponent(locationId)}`,
        signal,
      },
      what,
      true,
    );
    const parsed = locationSchema.safeParse(res.body);
    if (!parsed.success)
      throw new VismaError(
        'unexpected',
        res.status,
        `Visma.net sent an unreadable ${what}: ${describeIssues(parsed.error.issues)}`,
      );
    return { location: parsed.data, etag: unquote(res.headers.etag) ?? parsed.data.timeStamp ?? '' };
  }

  /** PUT /v1/location/{customer}/{location}: address (county always sent) and/or VAT number, with If-Match. */
  async updateLocation(
    customerNumber: string,
    locationId: string,
    change: { address?: AddressUpdate; vatRegistrationId?: string },
    etag: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const body: Record<string, unknown> = {};
    if (change.address) body.address = dto(addressDto(change.address));
    if (change.vatRegistrationId !== undefined) body.vatRegistrationId = dto(change.vatRegistrationId);
    const res = await this.call({
      method: 'PUT',
      path: `/v1/location/${encodeURIComponent(customerNumber)}/${encodeURIComponent(locationId)}`,
      headers: etag ? { 'If-Match': `"${etag}"` } : {},
      json: body,
      signal,
    });
    return unquote(res.headers.etag);
  }

  /** VAT categories, zones and VAT ids: read once per run, to map and to explain what Visma booked. */
  async getVatData(signal?: AbortSignal): Promise<VismaVatData> {
    const [categories, zones, vats] = await Promise.all([
      this.readList('/v1/vatCategory', vatCategorySchema, 'VAT category', signal),
      this.readPaged('/v1/vatZone', vatZoneSchema, 'VAT zone', signal),
      this.readList('/v1/vat', vatInformationSchema, 'VAT id', signal),
    ]);
    return { categories, zones, vats };
  }

  private async readList<T>(path: string, schema: z.ZodType<T>, what: string, signal?: AbortSignal): Promise<T[]> {
    const res = await this.call({ method: 'GET', path, signal }, `the ${what} list`);
    return this.parseItems(res, schema, what);
  }

  private async readPaged<T>(path: string, schema: z.ZodType<T>, what: string, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const res = await this.call(
        { method: 'GET', path, query: { pageNumber, pageSize: 500 }, signal },
        `the ${what} list`,
      );
      const items = this.parseItems(res, schema, what);
      out.push(...items);
      const total = (res.body as { metadata?: { totalCount?: number } }[] | undefined)?.[0]?.metadata?.totalCount;
      if (items.length === 0 || total === undefined || out.length >= total || pageNumber > 100) return out;
    }
  }

  private parseItems<T>(res: HttpResponse, schema: z.ZodType<T>, what: string): T[] {
    if (res.body === undefined) return [];
    if (!Array.isArray(res.body))
      throw new VismaError('unexpected', res.status, `Visma.net sent a ${what} list that is not a list`);
    return res.body.map((item, i) => {
      const parsed = schema.safeParse(item);
      if (!parsed.success)
        throw new VismaError(
          'unexpected',
          res.status,
          `Visma.net sent an unreadable ${what} (item ${i + 1}): ${describeIssues(parsed.error.issues)}`,
        );
      return parsed.data;
    });
  }

  async getCustomer(number: string, signal?: AbortSignal): Promise<{ customer: VismaCustomer; etag: string }> {
    const res = await this.call(
      { method: 'GET', path: `/v1/customer/${encodeURIComponent(number)}`, signal },
      `customer ${number}`,
      true,
    );
    const parsed = customerSchema.safeParse(res.body);
    if (!parsed.success)
      throw new VismaError(
        'unexpected',
        res.status,
        `Visma.net sent an unreadable customer ${number}: ${describeIssues(parsed.error.issues)}`,
      );
    return { customer: parsed.data, etag: unquote(res.headers.etag) ?? parsed.data.timeStamp ?? '' };
  }

  /** PUT /v1/customer/{n}: an address wrapped twice (`county` always present) and/or the VAT number. */
  async updateCustomer(
    number: string,
    change: { which?: WhichAddress; address?: AddressUpdate; vatRegistrationId?: string },
    etag: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const body: Record<string, unknown> = {};
    if (change.address) body[change.which ?? 'mainAddress'] = dto(addressDto(change.address));
    if (change.vatRegistrationId !== undefined) body.vatRegistrationId = dto(change.vatRegistrationId);
    // In the background: the customer endpoint too checks If-Match only then (Visma's spec).
    const res = await inBackground(
      this.follow,
      {
        method: 'PUT',
        path: `/v1/customer/${encodeURIComponent(number)}`,
        headers: etag ? { 'If-Match': `"${etag}"` } : {},
        json: body,
        signal,
      },
      `the change to customer ${number}`,
    );
    return unquote(res.headers.etag);
  }

  /** "Test connection": a token and one cheap authenticated read. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.call({ method: 'GET', path: '/v1/customer', query: { pageNumber: 1, pageSize: 1 }, signal });
  }

  /**
   * One authenticated call. A success whose body is not JSON (cut off, a proxy's HTML page), or is empty where
   * `what` must come back (`required`), is malformed: retried next run, never read as data.
   */
  private async call(req: HttpRequest, what = 'its answer', required = false): Promise<HttpResponse> {
    // (The background API's 202 and its job state come through here too: see background.ts.)
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get(req.signal);
      const res = await this.http.request({ ...req, headers: { ...req.headers, Authorization: `Bearer ${token}` } });
      if (res.status === 401 && attempt === 1) {
        this.tokens.invalidate(token);
        continue;
      }
      if (res.status >= 400) throw parseVismaError(res.status, res.body, res.text, res.correlationId);
      if (typeof res.body === 'string' || (required && res.body === undefined))
        throw new MalformedResponseError(
          `Visma.net sent ${notJsonWords(res.text)} instead of ${what} (HTTP ${res.status})`,
          'Visma.net',
          res.status,
        );
      return res;
    }
  }
}

/** Visma fails without `county` (ON-IT/Visma.Net #99): it is always sent, null when there is none. */
function addressDto(address: AddressUpdate): Record<string, { value: string | null }> {
  return {
    addressLine1: dto(address.addressLine1),
    addressLine2: dto(address.addressLine2 ?? ''),
    postalCode: dto(address.postalCode),
    city: dto(address.city),
    countryId: dto(address.countryId),
    county: dto(address.county ?? null),
  };
}

function unquote(etag: string | undefined): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
