import { randomBytes, randomUUID } from 'node:crypto';
import { json, parseJson, type SandboxReply, type SandboxRequest, SandboxServer } from './http-kit.js';
import {
  parseVismaDateTime,
  rowVersionToTimeStamp,
  type SandboxAddress,
  type SandboxCustomer,
  type SandboxDocument,
  type VismaSandboxState,
  vismaDateTime,
} from './visma-state.js';

export interface VismaSandboxOptions {
  state: VismaSandboxState;
  now?: () => number;
  tokenTtlSeconds?: number;
  maxPageSize?: number;
  /** Requests per window per client before 429 (4-fixed-window). */
  rateLimit?: number;
  rateWindowSeconds?: number;
  onChange?: (state: VismaSandboxState) => void;
}

const TOKEN_PATH = '/connect/token';

/**
 * A faithful stand-in for Visma Connect + Visma.net ERP on the paths the connector uses: tokens that expire,
 * customer invoices / credit notes / customers with ETags that change on every write, 412 on a stale If-Match,
 * DtoValue bodies, mandatory paging with a capped page size, lastModifiedDateTime filters, rate-limit headers.
 */
export class VismaSandbox {
  readonly server = new SandboxServer('Visma.net');
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly now: () => number;
  private lastStamp = 0;
  readonly tokenTtlSeconds: number;
  maxPageSize: number;
  /**
   * Visma documents no order for lists. 'stored' lists in the order documents were stored (new ones first, as
   * `createDocument` puts them); 'newest-first' sorts by lastModifiedDateTime, newest first: the order in
   * which a listing cut short hides the oldest changes, and a watermark taken from it would skip them.
   */
  listOrder: 'stored' | 'newest-first' = 'stored';
  rateLimit: number;
  readonly rateWindowSeconds: number;
  /** How many tokens were issued (tests check renewal). */
  tokensIssued = 0;

  constructor(private readonly options: VismaSandboxOptions) {
    this.now = options.now ?? Date.now;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.rateLimit = options.rateLimit ?? 10_000;
    this.rateWindowSeconds = options.rateWindowSeconds ?? 3600;
    const s = this.server;
    s.route('POST', /^\/connect\/token$/, (r) => this.token(r));
    s.route('GET', /^\/v1\/customerinvoice$/i, (r) => this.authed(r, () => this.list(r, 'invoice')));
    s.route('GET', /^\/v1\/customerCreditNote$/i, (r) => this.authed(r, () => this.list(r, 'credit-note')));
    s.route('GET', /^\/v1\/customerinvoice\/([^/]+)$/i, (r) => this.authed(r, () => this.getDoc(r, 'invoice')));
    s.route('GET', /^\/v1\/customerCreditNote\/([^/]+)$/i, (r) => this.authed(r, () => this.getDoc(r, 'credit-note')));
    s.route('PUT', /^\/v1\/customerinvoice\/([^/]+)$/i, (r) => this.authed(r, () => this.putDoc(r, 'invoice')));
    s.route('PUT', /^\/v1\/customerCreditNote\/([^/]+)$/i, (r) => this.authed(r, () => this.putDoc(r, 'credit-note')));
    s.route('POST', /^\/v1\/customerinvoice\/([^/]+)\/action\/release$/i, (r) =>
      this.authed(r, () => this.release(r, 'invoice')),
    );
    s.route('POST', /^\/v1\/customerCreditNote\/([^/]+)\/action\/release$/i, (r) =>
      this.authed(r, () => this.release(r, 'credit-note')),
    );
    s.route('GET', /^\/v1\/customer$/i, (r) => this.authed(r, () => this.listCustomers(r)));
    s.route('GET', /^\/v1\/customer\/([^/]+)$/i, (r) => this.authed(r, () => this.getCustomer(r)));
    s.route('PUT', /^\/v1\/customer\/([^/]+)$/i, (r) => this.authed(r, () => this.putCustomer(r)));
  }

  get state(): VismaSandboxState {
    return this.options.state;
  }

  get tokenUrl(): string {
    return `${this.server.url}${TOKEN_PATH}`;
  }

  get apiUrl(): string {
    return this.server.url;
  }

  listen(port = 0): Promise<string> {
    return this.server.listen(port);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Expires every issued token now, as if an hour had passed. */
  expireAllTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** What a user does in Visma: edit a document, release it. Bumps ETag and lastModifiedDateTime. */
  editDocument(kind: SandboxDocument['kind'], ref: string, edit: (doc: SandboxDocument) => void): SandboxDocument {
    const doc = this.find(kind, ref);
    if (!doc) throw new Error(`No ${kind} ${ref}`);
    edit(doc);
    recomputeTotals(doc);
    this.touch(doc);
    return doc;
  }

  /**
   * A user creates a document in Visma (a copy of an existing one under a new number). It is listed first,
   * as in a newest-first order: pages shift under a client that is paging (Visma documents no order).
   */
  createDocument(kind: SandboxDocument['kind'], copyOf: string, referenceNumber: string): SandboxDocument {
    const source = this.find(kind, copyOf);
    if (!source) throw new Error(`No ${kind} ${copyOf}`);
    const doc: SandboxDocument = { ...structuredClone(source), referenceNumber, taxDetails: [], note: null };
    for (const line of doc.lines) line.vatCode = null;
    recomputeTotals(doc);
    this.state.documents.unshift(doc);
    this.touch(doc);
    doc.createdDateTime = doc.lastModifiedDateTime;
    return doc;
  }

  editCustomer(number: string, edit: (c: SandboxCustomer) => void): SandboxCustomer {
    const c = this.state.customers.find((x) => x.number === number);
    if (!c) throw new Error(`No customer ${number}`);
    edit(c);
    this.touch(c);
    return c;
  }

  find(kind: SandboxDocument['kind'], ref: string): SandboxDocument | undefined {
    return this.state.documents.find((d) => d.kind === kind && d.referenceNumber === ref);
  }

  private stamp(): { at: string; timeStamp: string } {
    const now = Math.max(this.now(), this.lastStamp + 1);
    this.lastStamp = now;
    this.state.rowVersion += 1;
    return { at: vismaDateTime(now), timeStamp: rowVersionToTimeStamp(this.state.rowVersion) };
  }

  private touch(record: { lastModifiedDateTime: string; timeStamp: string }): void {
    const s = this.stamp();
    record.lastModifiedDateTime = s.at;
    record.timeStamp = s.timeStamp;
    this.options.onChange?.(this.state);
  }

  // --- Visma Connect ---------------------------------------------------------------------------

  private token(r: SandboxRequest): SandboxReply {
    if (!/application\/x-www-form-urlencoded/i.test(String(r.headers['content-type'] ?? ''))) {
      return json(400, { error: 'invalid_request', error_description: 'form-encoded body required' });
    }
    const form = new URLSearchParams(r.rawBody);
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    const client = this.state.clients.find((c) => c.clientId === form.get('client_id'));
    if (!client || client.clientSecret !== form.get('client_secret')) return json(400, { error: 'invalid_client' });
    if (client.tenantId !== form.get('tenant_id')) return json(400, { error: 'invalid_tenant' });
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !/^vismanet_erp_service_api:(read|create|update|delete)$/.test(s))) {
      return json(400, { error: 'invalid_scope' });
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId: client.clientId, expiresAt: this.now() + this.tokenTtlSeconds * 1000 });
    this.tokensIssued++;
    return json(200, {
      access_token: token,
      expires_in: this.tokenTtlSeconds,
      token_type: 'Bearer',
      scope: scopes.join(' '),
    });
  }

  private async authed(r: SandboxRequest, next: () => SandboxReply | Promise<SandboxReply>): Promise<SandboxReply> {
    const auth = String(r.headers.authorization ?? '');
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    const entry = token ? this.tokens.get(token) : undefined;
    if (!entry || entry.expiresAt <= this.now()) {
      return json(401, { Message: 'Authorization has been denied for this request.' });
    }
    const window = this.rateWindow(entry.clientId);
    const limitHeaders = {
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, this.rateLimit - window.count)),
      'x-ratelimit-reset': String(
        Math.max(1, Math.ceil((window.start + this.rateWindowSeconds * 1000 - this.now()) / 1000)),
      ),
      'x-ratelimit-policy': '4-fixed-window',
      'ipp-request-id': randomUUID(),
    };
    if (window.count > this.rateLimit) {
      return {
        status: 429,
        headers: { ...limitHeaders, 'retry-after': limitHeaders['x-ratelimit-reset'] },
        body: { Message: 'Rate limit is exceeded.' },
      };
    }
    const reply = await next();
    return { ...reply, headers: { ...limitHeaders, ...reply.headers } };
  }

  private rateWindow(clientId: string): { start: number; count: number } {
    const now = this.now();
    let w = this.windows.get(clientId);
    if (!w || now - w.start >= this.rateWindowSeconds * 1000) {
      w = { start: now, count: 0 };
      this.windows.set(clientId, w);
    }
    w.count++;
    return w;
  }

  // --- documents -------------------------------------------------------------------------------

  private list(r: SandboxRequest, kind: SandboxDocument['kind']): SandboxReply {
    const filter = this.dateFilter(r.query, 'lastModifiedDateTime');
    if ('error' in filter) return ippError(400, filter.error, '10010');
    const status = r.query.get('status');
    const docs = this.state.documents.filter(
      (d) => d.kind === kind && filter.test(d.lastModifiedDateTime) && (!status || d.status === status),
    );
    if (this.listOrder === 'newest-first')
      docs.sort((a, b) => b.lastModifiedDateTime.localeCompare(a.lastModifiedDateTime));
    return this.page(
      r,
      docs.map((d) => this.documentDto(d)),
    );
  }

  private page(r: SandboxRequest, all: Record<string, unknown>[]): SandboxReply {
    const pageNumber = Number(r.query.get('pageNumber') ?? '1');
    const asked = Number(r.query.get('pageSize') ?? String(this.maxPageSize));
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(asked) || asked < 1) {
      return ippError(400, 'Error: pageNumber and pageSize must be positive integers', '10011');
    }
    const size = Math.min(asked, this.maxPageSize);
    const slice = all.slice((pageNumber - 1) * size, pageNumber * size);
    const metadata = { totalCount: all.length, maxPageSize: this.maxPageSize };
    return json(
      200,
      slice.map((item) => ({ ...item, metadata })),
    );
  }

  private dateFilter(query: URLSearchParams, name: string): { test: (value: string) => boolean } | { error: string } {
    const raw = query.get(name);
    if (raw === null) return { test: () => true };
    const condition = query.get(`${name}Condition`);
    if (!condition) return { error: `Error: ${name}Condition is required together with ${name}` };
    if (/[W-Zw-z+]|[-]\d{2}:\d{2}$/.test(raw.slice(10))) {
      return { error: `Error: Filtering Parameters does not accept certain characters such as W-Z: ${name}` };
    }
    const at = parseVismaDateTime(raw);
    if (at === undefined) return { error: `Error: ${name} is not a valid date: ${raw}` };
    const ops: Record<string, (a: number) => boolean> = {
      '>': (a) => a > at,
      '>=': (a) => a >= at,
      '<': (a) => a < at,
      '<=': (a) => a <= at,
    };
    const op = ops[condition];
    if (!op) return { error: `Error: ${name}Condition must be one of >, >=, <, <=` };
    return { test: (value) => op(parseVismaDateTime(value) ?? 0) };
  }

  private getDoc(r: SandboxRequest, kind: SandboxDocument['kind']): SandboxReply {
    const doc = this.find(kind, r.params[0]!);
    if (!doc) return notFound(kind === 'invoice' ? 'Customer invoice' : 'Customer credit note', r.params[0]!);
    return json(200, this.documentDto(doc), { etag: `"${doc.timeStamp}"` });
  }

  private release(r: SandboxRequest, kind: SandboxDocument['kind']): SandboxReply {
    const doc = this.find(kind, r.params[0]!);
    if (!doc) return notFound('Document', r.params[0]!);
    const stale = this.ifMatchFails(r, doc.timeStamp);
    if (stale) return stale;
    if (doc.status !== 'Balanced')
      return ippError(
        400,
        `Error: Document ${doc.referenceNumber} cannot be released from status ${doc.status}.`,
        '10020',
      );
    doc.status = 'Open';
    doc.hold = false;
    this.touch(doc);
    return { status: 204, headers: { etag: `"${doc.timeStamp}"` } };
  }

  private putDoc(r: SandboxRequest, kind: SandboxDocument['kind']): SandboxReply {
    const doc = this.find(kind, r.params[0]!);
    if (!doc) return notFound(kind === 'invoice' ? 'Customer invoice' : 'Customer credit note', r.params[0]!);
    const stale = this.ifMatchFails(r, doc.timeStamp, kind === 'invoice' ? 'Customer invoice' : 'Customer credit note');
    if (stale) return stale;
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null)
      return ippError(400, 'Error: The request body is not valid JSON.', '10001');
    const body = parsed.value as Record<string, unknown>;
    if (doc.status === 'Closed' || doc.status === 'Voided') {
      return ippError(
        400,
        `Error: Document ${doc.referenceNumber} has status ${doc.status} and cannot be changed.`,
        '10021',
      );
    }
    const lineKey = kind === 'invoice' ? 'invoiceLines' : 'lines';
    const taxKey = kind === 'invoice' ? 'taxDetailLines' : 'taxDetails';
    const allowed = new Set([lineKey, taxKey, 'note', 'invoiceText', 'customerVatZoneId', 'hold']);
    for (const key of Object.keys(body)) {
      if (!allowed.has(key)) return fieldError(key, 'The field is not supported by this sandbox or not updatable.');
    }
    // Validate everything before changing anything: a 400 leaves the document untouched.
    const lineChanges: { line: (typeof doc.lines)[number]; vatCodeId: string | null }[] = [];
    if (body[lineKey] !== undefined) {
      if (!Array.isArray(body[lineKey])) return fieldError(lineKey, 'must be an array');
      for (const item of body[lineKey] as Record<string, unknown>[]) {
        if (item.operation !== 'Update')
          return fieldError(`${lineKey}.operation`, 'only Update is supported for existing lines');
        const lineNumber = unwrap(item.lineNumber);
        if (!lineNumber.ok || typeof lineNumber.value !== 'number')
          return fieldError(`${lineKey}.lineNumber`, 'expected {"value": <number>}');
        const line = doc.lines.find((l) => l.lineNumber === lineNumber.value);
        if (!line) return fieldError(`${lineKey}.lineNumber`, `line ${lineNumber.value} does not exist`);
        if (item.vatCodeId !== undefined) {
          const v = unwrap(item.vatCodeId);
          if (!v.ok) return fieldError('VatCodeId', 'expected {"value": "<VAT category>"}');
          if (v.value !== null && !this.state.vatCategories.some((c) => c.id === v.value)) {
            return fieldError('VatCodeId', `VAT category '${String(v.value)}' does not exist.`);
          }
          lineChanges.push({ line, vatCodeId: v.value as string | null });
        }
      }
    }
    let taxDetails: SandboxDocument['taxDetails'] | undefined;
    if (body[taxKey] !== undefined) {
      if (!Array.isArray(body[taxKey])) return fieldError(taxKey, 'must be an array');
      taxDetails = [];
      for (const item of body[taxKey] as Record<string, unknown>[]) {
        const taxId = unwrap(item.taxId);
        const taxable = unwrap(item.taxableAmount);
        const vat = unwrap(item.vatAmount);
        if (!taxId.ok || typeof taxId.value !== 'string') return fieldError('TaxId', 'expected {"value": "<VAT id>"}');
        if (!taxable.ok || typeof taxable.value !== 'number')
          return fieldError('TaxableAmount', 'expected {"value": <number>}');
        if (!vat.ok || typeof vat.value !== 'number') return fieldError('VatAmount', 'expected {"value": <number>}');
        taxDetails.push({
          taxId: taxId.value,
          recordId: this.state.nextRecordId++,
          vatId: { number: taxId.value, description: taxId.value },
          vatRate: taxable.value === 0 ? 0 : Math.round((vat.value / taxable.value) * 10000) / 100,
          taxableAmount: taxable.value,
          vatAmount: vat.value,
        });
      }
    }
    let note: string | null | undefined;
    if (body.note !== undefined) {
      const n = unwrap(body.note);
      if (!n.ok || (n.value !== null && typeof n.value !== 'string'))
        return fieldError('Note', 'expected {"value": "<text>"}');
      note = n.value as string | null;
    }
    for (const change of lineChanges) {
      const category = this.state.vatCategories.find((c) => c.id === change.vatCodeId);
      change.line.vatCode = change.vatCodeId
        ? { id: change.vatCodeId, description: category?.description ?? '' }
        : null;
    }
    if (taxDetails) doc.taxDetails = taxDetails;
    if (note !== undefined) doc.note = note;
    recomputeTotals(doc);
    this.touch(doc);
    return { status: 204, headers: { etag: `"${doc.timeStamp}"` } };
  }

  private ifMatchFails(r: SandboxRequest, current: string, what = 'Resource'): SandboxReply | undefined {
    const header = r.headers['if-match'];
    if (header === undefined) return undefined;
    const wanted = String(header)
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
    if (wanted === '*' || wanted === current) return undefined;
    return ippError(412, `${what} version does not match with If-Match header`, '10412');
  }

  private documentDto(d: SandboxDocument): Record<string, unknown> {
    const lines = d.lines.map((l) => ({ ...l }));
    return {
      documentType: d.documentType,
      referenceNumber: d.referenceNumber,
      status: d.status,
      hold: d.hold,
      customer: d.customer,
      documentDate: `${d.documentDate}T00:00:00`,
      origInvoiceDate: d.origInvoiceDate ? `${d.origInvoiceDate}T00:00:00` : null,
      currencyId: d.currencyId,
      detailTotal: d.detailTotal,
      detailTotalInCurrency: d.detailTotal,
      vatTotal: d.vatTotal,
      vatTotalInCurrency: d.vatTotal,
      amount: d.amount,
      amountInCurrency: d.amount,
      balance: d.amount,
      balanceInCurrency: d.amount,
      taxDetails: d.taxDetails,
      note: d.note,
      [d.kind === 'invoice' ? 'invoiceLines' : 'lines']: lines,
      lastModifiedDateTime: d.lastModifiedDateTime,
      createdDateTime: d.createdDateTime,
      timeStamp: d.timeStamp,
    };
  }

  // --- customers -------------------------------------------------------------------------------

  private listCustomers(r: SandboxRequest): SandboxReply {
    return this.page(
      r,
      this.state.customers.map((c) => ({ ...c })),
    );
  }

  private getCustomer(r: SandboxRequest): SandboxReply {
    const c = this.state.customers.find((x) => x.number === r.params[0]);
    if (!c) return notFound('Customer', r.params[0]!);
    return json(200, { ...c }, { etag: `"${c.timeStamp}"` });
  }

  private putCustomer(r: SandboxRequest): SandboxReply {
    const c = this.state.customers.find((x) => x.number === r.params[0]);
    if (!c) return notFound('Customer', r.params[0]!);
    const stale = this.ifMatchFails(r, c.timeStamp, 'Customer');
    if (stale) return stale;
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null)
      return ippError(400, 'Error: The request body is not valid JSON.', '10001');
    const body = parsed.value as Record<string, unknown>;
    const updates: [keyof SandboxCustomer, SandboxAddress][] = [];
    for (const [key, wrapped] of Object.entries(body)) {
      if (key !== 'mainAddress' && key !== 'deliveryAddress' && key !== 'invoiceAddress') {
        return fieldError(key, 'The field is not supported by this sandbox or not updatable.');
      }
      const outer = unwrap(wrapped);
      if (!outer.ok || typeof outer.value !== 'object' || outer.value === null)
        return fieldError(key, 'expected {"value": {...}}');
      const a = outer.value as Record<string, unknown>;
      if (!('county' in a)) {
        return ippError(
          400,
          `VismaId: ${randomUUID()}. Error: An error occurred during processing of the field County: Object reference not set to an instance of an object.`,
          '10000',
        );
      }
      const fields: Record<string, string | null> = {};
      for (const f of ['addressLine1', 'addressLine2', 'addressLine3', 'postalCode', 'city', 'countryId', 'county']) {
        if (a[f] === undefined) continue;
        const v = unwrap(a[f]);
        if (!v.ok || (v.value !== null && typeof v.value !== 'string'))
          return fieldError(f, 'expected {"value": "<text>"}');
        fields[f] = v.value as string | null;
      }
      if (fields.countryId !== undefined && (fields.countryId === null || !/^[A-Z]{2}$/.test(fields.countryId))) {
        return fieldError('CountryId', `Country '${fields.countryId}' does not exist.`);
      }
      const current = (c[key] as SandboxAddress | null) ?? blankAddress(c.mainAddress.addressId + 100);
      updates.push([
        key,
        {
          ...current,
          addressLine1: fields.addressLine1 !== undefined ? fields.addressLine1 : current.addressLine1,
          addressLine2: fields.addressLine2 !== undefined ? fields.addressLine2 : current.addressLine2,
          addressLine3: fields.addressLine3 !== undefined ? fields.addressLine3 : current.addressLine3,
          postalCode: fields.postalCode !== undefined ? fields.postalCode : current.postalCode,
          city: fields.city !== undefined ? fields.city : current.city,
          country: fields.countryId ? { id: fields.countryId, name: fields.countryId } : current.country,
          county: fields.county ? { id: fields.county, name: fields.county } : null,
        },
      ]);
    }
    for (const [key, value] of updates) (c as unknown as Record<string, unknown>)[key] = value;
    this.touch(c);
    return { status: 204, headers: { etag: `"${c.timeStamp}"` } };
  }
}

export function recomputeTotals(doc: SandboxDocument): void {
  const cents = (n: number) => Math.round(n * 100);
  const detail = doc.lines.reduce((s, l) => s + cents(l.amount), 0);
  const vat = doc.taxDetails.reduce((s, t) => s + cents(t.vatAmount), 0);
  doc.detailTotal = detail / 100;
  doc.vatTotal = vat / 100;
  doc.amount = (detail + vat) / 100;
}

function blankAddress(id: number): SandboxAddress {
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

function unwrap(v: unknown): { ok: true; value: unknown } | { ok: false } {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object))
    return { ok: true, value: (v as { value: unknown }).value };
  return { ok: false };
}

function ippError(status: number, message: string, faultCode: string): SandboxReply {
  return json(status, {
    ExceptionType: 'IPPException',
    ExceptionMessage: message,
    ExceptionFaultCode: faultCode,
    ExceptionMessageID: `${faultCode}_${randomUUID()}`,
    ExceptionDetails: '',
  });
}

function fieldError(field: string, message: string): SandboxReply {
  return ippError(
    400,
    `VismaId: ${randomUUID()}. Error: An error occurred during processing of the field ${field}: ${message}`,
    '10000',
  );
}

function notFound(what: string, id: string): SandboxReply {
  return ippError(404, `${what} ${id} not found.`, '10404');
}
