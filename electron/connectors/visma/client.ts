import type { z } from 'zod';
import { type HttpClient, type HttpRequest, type HttpResponse, RetryableHttpError } from '../http.js';
import { parseVismaError, VismaError } from './errors.js';
import type { VismaTokenProvider } from './token.js';
import {
  type AddressUpdate,
  customerCreditNoteSchema,
  customerInvoiceSchema,
  customerSchema,
  dto,
  toVismaDocument,
  type VismaCustomer,
  type VismaDocument,
  type VismaDocumentKind,
  type WhichAddress,
} from './types.js';

const LIST_PATH: Record<VismaDocumentKind, string> = {
  invoice: '/v1/customerinvoice',
  'credit-note': '/v1/customerCreditNote',
};

export interface ListOptions {
  pageSize?: number;
  signal?: AbortSignal;
}

/** How often a truncated page is asked for again before the listing gives up (as retryable). */
const PAGE_ATTEMPTS = 3;

export interface ListResult {
  documents: VismaDocument[];
  /** Items Visma sent that we could not read: reported, never silently dropped. */
  rejected: { referenceNumber?: string; reason: string }[];
  pages: number;
  totalCount?: number;
}

export interface DocumentWriteBack {
  lines: { lineNumber: number; vatCodeId: string }[];
  taxDetails: { taxId: string; taxableAmount: number; vatAmount: number }[];
  note: string;
}

/** Visma.net ERP, the parts a sales-tax connector needs. */
export class VismaClient {
  constructor(
    private readonly http: HttpClient,
    private readonly tokens: VismaTokenProvider,
  ) {}

  /** Documents modified at or after `since` (server clock, `yyyy-MM-ddTHH:mm:ss.fff`, no zone), every page. */
  /**
   * Documents modified at or after `since`. Offset paging can miss a document created while we page, so a
   * listing whose `totalCount` changed between its first and last page is read again (up to three passes;
   * after that the union of the passes is returned and the overlap of the next run covers the rest).
   */
  async listModifiedSince(kind: VismaDocumentKind, since: string, options: ListOptions = {}): Promise<ListResult> {
    const passes: ListResult[] = [];
    for (let pass = 1; pass <= 3; pass++) {
      const { result, stable } = await this.listOnce(kind, since, options);
      if (stable) return result;
      passes.push(result);
    }
    const union: ListResult = {
      documents: [],
      rejected: passes.at(-1)!.rejected,
      pages: passes.at(-1)!.pages,
      totalCount: passes.at(-1)!.totalCount,
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
   * totalCount is reached, however many that takes. A page that comes back empty or short before then is a
   * truncated answer: it is asked for again, and if it stays short the listing fails as retryable rather than
   * return fewer documents than Visma said it has (the watermark must not move past what was never read).
   */
  private async listOnce(
    kind: VismaDocumentKind,
    since: string,
    options: ListOptions,
  ): Promise<{ result: ListResult; stable: boolean }> {
    const pageSize = options.pageSize ?? 500;
    const schema = kind === 'invoice' ? customerInvoiceSchema : customerCreditNoteSchema;
    const seen = new Set<string>();
    const result: ListResult = { documents: [], rejected: [], pages: 0 };
    let fetched = 0;
    let firstTotal: number | undefined;
    let fullPage = 0;
    for (let pageNumber = 1; ; pageNumber++) {
      let page: unknown[] = [];
      for (let attempt = 1; attempt <= PAGE_ATTEMPTS; attempt++) {
        page = await this.readPage(kind, since, pageNumber, pageSize, options.signal);
        const expectedMore = result.totalCount !== undefined && fetched < result.totalCount;
        const short = page.length === 0 || (fullPage > 0 && page.length < fullPage);
        if (!(expectedMore && short && fetched + page.length < result.totalCount!)) break;
        if (attempt === PAGE_ATTEMPTS)
          throw new RetryableHttpError(
            `Visma.net sent an incomplete list of ${kind}s: ${fetched + page.length} of ${result.totalCount} after ${PAGE_ATTEMPTS} tries of page ${pageNumber}; nothing after the last complete run is skipped`,
            'Visma.net',
            200,
            PAGE_ATTEMPTS,
          );
      }
      result.pages = pageNumber;
      if (page.length === 0) break;
      fullPage = Math.max(fullPage, page.length);
      fetched += page.length;
      for (const item of page) {
        const parsed = (schema as z.ZodType).safeParse(item);
        const ref = (item as { referenceNumber?: unknown })?.referenceNumber;
        if (!parsed.success) {
          result.rejected.push({
            referenceNumber: typeof ref === 'string' ? ref : undefined,
            reason: `unreadable ${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
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
        if (fetched >= meta.totalCount) break;
        if (pageNumber > Math.ceil(meta.totalCount / fullPage) + PAGE_ATTEMPTS)
          throw new VismaError('unexpected', 200, `Visma.net kept sending ${kind} pages past its totalCount`);
      } else if (page.length < fullPage) {
        break; // Without metadata, a page shorter than the others is the last one.
      }
    }
    return { result, stable: firstTotal === undefined || firstTotal === result.totalCount };
  }

  private async readPage(
    kind: VismaDocumentKind,
    since: string,
    pageNumber: number,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<unknown[]> {
    const res = await this.call({
      method: 'GET',
      path: LIST_PATH[kind],
      query: {
        lastModifiedDateTime: since,
        lastModifiedDateTimeCondition: '>=',
        pageNumber,
        pageSize,
      },
      signal,
    });
    if (res.body === undefined) return [];
    if (!Array.isArray(res.body))
      throw new VismaError('unexpected', res.status, `Visma.net sent a ${kind} list that is not an array`);
    return res.body as unknown[];
  }

  async getDocument(
    kind: VismaDocumentKind,
    referenceNumber: string,
    signal?: AbortSignal,
  ): Promise<{ document: VismaDocument; etag: string }> {
    const res = await this.call({
      method: 'GET',
      path: `${LIST_PATH[kind]}/${encodeURIComponent(referenceNumber)}`,
      signal,
    });
    const schema = kind === 'invoice' ? customerInvoiceSchema : customerCreditNoteSchema;
    const parsed = (schema as z.ZodType).safeParse(res.body);
    if (!parsed.success)
      throw new VismaError('unexpected', res.status, `Visma.net sent an unreadable ${kind} ${referenceNumber}`);
    const document = toVismaDocument(kind, parsed.data as never);
    return { document, etag: unquote(res.headers.etag) ?? document.timeStamp };
  }

  /**
   * Writes the tax result back with If-Match. Only what changes is sent, DtoValue-wrapped: each line's
   * vatCodeId, the tax detail lines (`taxDetailLines` on invoices, `taxDetails` on credit notes) and a note.
   * Returns the new ETag (204 carries no body). 412 and 400 surface as VismaError kinds.
   */
  async writeBack(
    kind: VismaDocumentKind,
    referenceNumber: string,
    etag: string,
    change: DocumentWriteBack,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const lines = change.lines.map((l) => ({
      operation: 'Update',
      lineNumber: dto(l.lineNumber),
      vatCodeId: dto(l.vatCodeId),
    }));
    const tax = change.taxDetails.map((t) => ({
      taxId: dto(t.taxId),
      taxableAmount: dto(t.taxableAmount),
      vatAmount: dto(t.vatAmount),
    }));
    const body =
      kind === 'invoice'
        ? { invoiceLines: lines, taxDetailLines: tax, note: dto(change.note) }
        : { lines, taxDetails: tax, note: dto(change.note) };
    const res = await this.call({
      method: 'PUT',
      path: `${LIST_PATH[kind]}/${encodeURIComponent(referenceNumber)}`,
      headers: { 'If-Match': `"${etag}"` },
      json: body,
      signal,
    });
    return unquote(res.headers.etag);
  }

  async getCustomer(number: string, signal?: AbortSignal): Promise<{ customer: VismaCustomer; etag: string }> {
    const res = await this.call({ method: 'GET', path: `/v1/customer/${encodeURIComponent(number)}`, signal });
    const parsed = customerSchema.safeParse(res.body);
    if (!parsed.success)
      throw new VismaError('unexpected', res.status, `Visma.net sent an unreadable customer ${number}`);
    return { customer: parsed.data, etag: unquote(res.headers.etag) ?? parsed.data.timeStamp ?? '' };
  }

  /** PUT /v1/customer/{n}: the address wrapped twice, `county` always present (Visma fails without it). */
  async updateCustomerAddress(
    number: string,
    which: WhichAddress,
    address: AddressUpdate,
    etag: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const inner = {
      addressLine1: dto(address.addressLine1),
      addressLine2: dto(address.addressLine2 ?? ''),
      postalCode: dto(address.postalCode),
      city: dto(address.city),
      countryId: dto(address.countryId),
      county: dto(address.county ?? null),
    };
    const res = await this.call({
      method: 'PUT',
      path: `/v1/customer/${encodeURIComponent(number)}`,
      headers: etag ? { 'If-Match': `"${etag}"` } : {},
      json: { [which]: dto(inner) },
      signal,
    });
    return unquote(res.headers.etag);
  }

  /** "Test connection": a token and one cheap authenticated read. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.call({ method: 'GET', path: '/v1/customer', query: { pageNumber: 1, pageSize: 1 }, signal });
  }

  private async call(req: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get(req.signal);
      const res = await this.http.request({ ...req, headers: { ...req.headers, Authorization: `Bearer ${token}` } });
      if (res.status === 401 && attempt === 1) {
        this.tokens.invalidate(token);
        continue;
      }
      if (res.status >= 400) throw parseVismaError(res.status, res.body, res.text, res.correlationId);
      return res;
    }
  }
}

function unquote(etag: string | undefined): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
