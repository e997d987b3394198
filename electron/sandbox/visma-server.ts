import { randomBytes, randomUUID } from 'node:crypto';
import { FixedWindows, json, type SandboxReply, type SandboxRequest, SandboxServer } from './http-kit.js';
import { BackgroundQueue } from './visma-background.js';
import { putDocument } from './visma-document-put.js';
import {
  advanceRelease,
  correctInvoice,
  correctRoute,
  DOCUMENT_PATHS,
  type DocumentKind,
  deleteDocument,
  findDocument,
  getDocument,
  listDocuments,
  releaseDocument,
} from './visma-documents.js';
import {
  backgroundIfMatchFails,
  blankAddress,
  etag,
  fieldError,
  notFound,
  notSupported,
  page,
  parseAddressUpdate,
  parseBody,
  unwrap,
  type VismaContext,
} from './visma-http.js';
import { getLocation, listLocations, putLocation } from './visma-locations.js';
import {
  rowVersionToTimeStamp,
  type SandboxAddress,
  type SandboxCustomer,
  type SandboxDocument,
  type VismaSandboxState,
  vismaDateTime,
} from './visma-state.js';
import {
  applyVismaVat,
  getVatCategory,
  getVatZone,
  listVatCategories,
  listVats,
  listVatZones,
  recomputeTotals,
} from './visma-vat.js';

export { computeVismaVat, recomputeTotals } from './visma-vat.js';

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

/** What a person can release from the screen, having done what the status waits for. */
const PERSON_RELEASES = new Set(['Hold', 'Balanced', 'PendingPrint', 'PendingEmail', 'CreditHold']);

/**
 * A faithful stand-in for Visma Connect + Visma.net ERP on the paths the connector uses: tokens that expire,
 * customer invoices / credit notes / customers / locations with ETags that change on every write, 412 on a stale
 * If-Match, DtoValue bodies, mandatory paging with a capped page size, lastModifiedDateTime / documentDate / status / customer filters, rate-limit
 * headers, VAT computed the way Visma does (visma-vat.ts) and the VAT master data.
 */
export class VismaSandbox implements VismaContext {
  readonly server = new SandboxServer('Visma.net');
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  /** Requests per client and window (what `rateLimit` and `rateWindowSeconds` enforce). */
  readonly rateWindows: FixedWindows;
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
  /**
   * Visma's lists carry `metadata.totalCount` on each item; whether every deployment does is not documented, so
   * both answers are offered: without it, only an ordered listing or an empty page after full ones proves a
   * listing complete (the product must not move its watermark on anything less).
   */
  listMetadata = true;
  /** Manual-entry zone, tax detail lines sent in a PUT: 'replace' the list, or 'append' after the existing ones. */
  taxDetailsOnPut: 'replace' | 'append' = 'replace';
  /** 'base': GET / list report tax detail amounts converted to the base currency (the product must notice). */
  taxDetailsCurrency: 'document' | 'base' = 'document';
  /**
   * 'background-only' (the stricter default): If-Match on the document and customer endpoints is only checked
   * when the request has an `erp-api-background` header, as Visma's spec text says; otherwise it is ignored (and
   * a concurrent edit is overwritten). 'always' checks it on every request.
   */
  enforceIfMatch: 'always' | 'background-only' = 'background-only';
  /**
   * The release action: 'queued' (the stricter default; Visma's spec says it "starts in the background") answers
   * Queued and releases later; 'immediate' answers Done. See visma-documents.ts `releaseDocument`.
   */
  releaseAction: 'queued' | 'immediate' = 'queued';
  /** Every release action fails with this error info (a closed period, say). */
  releaseFailure: string | undefined = undefined;
  /** Reads of a document before its queued release is carried out. */
  releaseQueueReads = 1;
  readonly releaseQueue = new Map<string, { actionId: string; reads: number }>();
  /** Writes sent with `erp-api-background`: accepted (202), carried out when their state is read. */
  readonly background: BackgroundQueue;
  rateLimit: number;
  readonly rateWindowSeconds: number;
  /**
   * Remember the documents a listing selects while nothing is written, added or deleted, instead of testing every
   * stored document again for every page: off by default (a test may edit the state directly); the bench's host
   * turns it on, so at 50,000 documents the sandbox's CPU is not what a listing measures.
   */
  listings?: Map<string, { version: string; documents: unknown[]; matches: unknown[] }>;
  set rememberListings(on: boolean) {
    this.listings = on ? new Map() : undefined;
  }
  /** How many tokens were issued (tests check renewal). */
  tokensIssued = 0;

  constructor(private readonly options: VismaSandboxOptions) {
    this.now = options.now ?? Date.now;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.rateLimit = options.rateLimit ?? 10_000;
    this.rateWindowSeconds = options.rateWindowSeconds ?? 3600;
    this.background = new BackgroundQueue(this.now, () => this.server.url);
    this.rateWindows = new FixedWindows(this.now);
    const s = this.server;
    const api = (
      method: string,
      pattern: RegExp,
      handler: (r: SandboxRequest) => SandboxReply | Promise<SandboxReply>,
    ) =>
      s.route(method, pattern, async (r) => {
        // Jobs that run on their own (background.runs) have run by the time anything else is answered.
        await this.background.catchUp();
        return this.authed(r, () => handler(r));
      });
    /** A write that may be sent with `erp-api-background`: then accepted now and carried out later. */
    const write = (method: string, pattern: RegExp, handler: (r: SandboxRequest) => SandboxReply) =>
      api(method, pattern, (r) => {
        const mode = BackgroundQueue.mode(r);
        if (mode.refused) return mode.refused;
        return mode.background ? this.background.accept(r, () => handler(r)) : handler(r);
      });
    s.route('POST', /^\/connect\/token$/, (r) => this.token(r));
    for (const [kind, path] of Object.entries(DOCUMENT_PATHS) as [DocumentKind, string][]) {
      api('GET', new RegExp(`^/v1/${path}$`, 'i'), (r) => listDocuments(this, r, kind, this.listOrder));
      api('GET', new RegExp(`^/v1/${path}/([^/]+)$`, 'i'), (r) => getDocument(this, r, kind));
      write('PUT', new RegExp(`^/v1/${path}/([^/]+)$`, 'i'), (r) => putDocument(this, r, kind));
      write('DELETE', new RegExp(`^/v1/${path}/([^/]+)$`, 'i'), (r) => deleteDocument(this, r, kind));
      write('POST', new RegExp(`^/v1/${path}/([^/]+)/action/release$`, 'i'), (r) => releaseDocument(this, r, kind));
    }
    write('POST', /^\/v1\/customerinvoice\/([^/]+)\/action\/correct$/i, (r) => correctRoute(this, r));
    api('GET', /^\/v1\/background\/([^/]+)$/i, (r) => this.background.state(r));
    api('GET', /^\/v1\/background\/([^/]+)\/content$/i, (r) => this.background.content(r));
    api('GET', /^\/v1\/customer$/i, (r) => this.listCustomers(r));
    api('GET', /^\/v1\/customer\/([^/]+)$/i, (r) => this.getCustomer(r));
    write('PUT', /^\/v1\/customer\/([^/]+)$/i, (r) => this.putCustomer(r));
    api('GET', /^\/v1\/location\/([^/]+)$/i, (r) => listLocations(this, r));
    api('GET', /^\/v1\/location\/([^/]+)\/([^/]+)$/i, (r) => getLocation(this, r));
    api('PUT', /^\/v1\/location\/([^/]+)\/([^/]+)$/i, (r) => putLocation(this, r));
    api('GET', /^\/v1\/vat$/i, (r) => listVats(this, r));
    api('GET', /^\/v1\/vatCategory$/i, (r) => listVatCategories(this, r));
    api('GET', /^\/v1\/vatCategory\/([^/]+)$/i, (r) => getVatCategory(this, r));
    api('GET', /^\/v1\/vatZone$/i, (r) => listVatZones(this, r));
    api('GET', /^\/v1\/vatZone\/([^/]+)$/i, (r) => getVatZone(this, r));
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

  /**
   * What a user does in Visma: edit a document. Bumps ETag and lastModifiedDateTime. Afterwards Visma recomputes
   * the tax details (unless the zone is manual-entry) and the totals; `{recomputeVat: false}` keeps the tax
   * details as the edit left them (a test that needs a document booked in a way Visma would not compute).
   */
  editDocument(
    kind: DocumentKind,
    ref: string,
    edit: (doc: SandboxDocument) => void,
    options: { recomputeVat?: boolean } = {},
  ): SandboxDocument {
    const doc = this.find(kind, ref);
    if (!doc) throw new Error(`No ${kind} ${ref}`);
    edit(doc);
    if (options.recomputeVat === false) recomputeTotals(doc);
    else applyVismaVat(doc, this.state);
    this.touch(doc);
    return doc;
  }

  /**
   * A user creates a document in Visma (a copy of an existing one under a new number, without VAT categories,
   * tax details or note). It is listed first, as in a newest-first order: pages shift under a client that is
   * paging (Visma documents no order).
   */
  createDocument(kind: DocumentKind, copyOf: string, referenceNumber: string): SandboxDocument {
    const source = this.find(kind, copyOf);
    if (!source) throw new Error(`No ${kind} ${copyOf}`);
    const doc: SandboxDocument = { ...structuredClone(source), referenceNumber, taxDetails: [], note: null };
    for (const line of doc.lines) line.vatCode = null;
    applyVismaVat(doc, this.state);
    this.state.documents.unshift(doc);
    this.touch(doc);
    doc.createdDateTime = doc.lastModifiedDateTime;
    return doc;
  }

  /** What a person does with "Correct" on a released invoice (see visma-documents.ts); throws when refused. */
  correctDocument(ref: string): { creditNote: SandboxDocument; invoice: SandboxDocument } {
    const result = correctInvoice(this, ref);
    if (!result.ok) throw new Error(`Invoice ${ref} cannot be corrected: ${JSON.stringify(result.reply.body)}`);
    return { creditNote: result.creditNote, invoice: result.invoice };
  }

  /**
   * A person releases a document in Visma: one on hold is taken off hold first, as the screen makes them do (and
   * one pending print, e-mail or a credit check is printed, sent or let through first). The
   * VAT stays as the document has it (releasing recomputes nothing). Throws for one already released or voided.
   */
  releaseDocument(kind: DocumentKind, ref: string): SandboxDocument {
    const doc = this.find(kind, ref);
    if (!doc) throw new Error(`No ${kind} ${ref}`);
    if (!PERSON_RELEASES.has(doc.status))
      throw new Error(`${kind} ${ref} is ${doc.status}: only unreleased documents can be released`);
    doc.status = 'Open';
    doc.hold = false;
    this.touch(doc);
    return doc;
  }

  /** Carries out every queued release action now (as if Visma's background had caught up). */
  settleReleases(): void {
    for (const key of [...this.releaseQueue.keys()]) {
      const [kind, ...ref] = key.split(':');
      const doc = this.find(kind as DocumentKind, ref.join(':'));
      if (!doc) this.releaseQueue.delete(key);
      else while (this.releaseQueue.has(key)) advanceRelease(this, doc);
    }
  }

  /** A person voids a document: status Voided, bumps lastModifiedDateTime. */
  voidDocument(kind: DocumentKind, ref: string): SandboxDocument {
    const doc = this.find(kind, ref);
    if (!doc) throw new Error(`No ${kind} ${ref}`);
    doc.status = 'Voided';
    doc.hold = false;
    this.touch(doc);
    return doc;
  }

  /** A person deletes a document (only unreleased ones can be): it is gone, from lists and GETs alike. */
  deleteDocument(kind: DocumentKind, ref: string): void {
    const doc = this.find(kind, ref);
    if (!doc) throw new Error(`No ${kind} ${ref}`);
    if (doc.status !== 'Hold' && doc.status !== 'Balanced')
      throw new Error(`${kind} ${ref} is ${doc.status}: only documents on hold or balanced can be deleted`);
    this.state.documents.splice(this.state.documents.indexOf(doc), 1);
    this.changed();
  }

  editCustomer(number: string, edit: (c: SandboxCustomer) => void): SandboxCustomer {
    const c = this.state.customers.find((x) => x.number === number);
    if (!c) throw new Error(`No customer ${number}`);
    edit(c);
    this.touch(c);
    return c;
  }

  find(kind: DocumentKind, ref: string): SandboxDocument | undefined {
    return findDocument(this.state, kind, ref);
  }

  today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }

  changed(): void {
    this.options.onChange?.(this.state);
  }

  private stamp(): { at: string; timeStamp: string } {
    const now = Math.max(this.now(), this.lastStamp + 1);
    this.lastStamp = now;
    this.state.rowVersion += 1;
    return { at: vismaDateTime(now), timeStamp: rowVersionToTimeStamp(this.state.rowVersion) };
  }

  /** Bumps lastModifiedDateTime and timeStamp (a new ETag) and saves: every write goes through here. */
  touch(record: { lastModifiedDateTime: string; timeStamp: string }): void {
    const s = this.stamp();
    record.lastModifiedDateTime = s.at;
    record.timeStamp = s.timeStamp;
    this.changed();
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
    const window = this.rateWindows.take(entry.clientId, this.rateLimit, this.rateWindowSeconds);
    const limitHeaders = {
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(window.remaining),
      'x-ratelimit-reset': String(window.resetSeconds),
      'x-ratelimit-policy': '4-fixed-window',
      'ipp-request-id': randomUUID(),
    };
    if (window.over) {
      return {
        status: 429,
        headers: { ...limitHeaders, 'retry-after': limitHeaders['x-ratelimit-reset'] },
        body: { Message: 'Rate limit is exceeded.' },
      };
    }
    const reply = await next();
    return { ...reply, headers: { ...limitHeaders, ...reply.headers } };
  }

  // --- customers -------------------------------------------------------------------------------

  private listCustomers(r: SandboxRequest): SandboxReply {
    return page(
      r,
      this.state.customers.map((c) => ({ ...c })),
      this.maxPageSize,
    );
  }

  private getCustomer(r: SandboxRequest): SandboxReply {
    const c = this.state.customers.find((x) => x.number === r.params[0]);
    if (!c) return notFound('Customer', r.params[0]!);
    return json(200, { ...c }, etag(c.timeStamp));
  }

  /**
   * The three addresses, `vatRegistrationId` and `vatZoneId` (unknown zone: 400). Open detail: the customer's
   * MAIN location is a record of its own here and does not follow (PUT the location for that).
   */
  private putCustomer(r: SandboxRequest): SandboxReply {
    const c = this.state.customers.find((x) => x.number === r.params[0]);
    if (!c) return notFound('Customer', r.params[0]!);
    const stale = backgroundIfMatchFails(this, r, c.timeStamp, 'Customer');
    if (stale) return stale;
    const parsed = parseBody(r);
    if (!parsed.ok) return parsed.reply;
    const updates: [keyof SandboxCustomer, unknown][] = [];
    for (const [key, wrapped] of Object.entries(parsed.body)) {
      if (key === 'mainAddress' || key === 'deliveryAddress' || key === 'invoiceAddress') {
        const current = (c[key] as SandboxAddress | null) ?? blankAddress(c.mainAddress.addressId + 100);
        const a = parseAddressUpdate(key, wrapped, current);
        if (!a.ok) return a.reply;
        updates.push([key, a.address]);
      } else if (key === 'vatRegistrationId') {
        const v = unwrap(wrapped);
        if (!v.ok || (v.value !== null && typeof v.value !== 'string'))
          return fieldError('VatRegistrationId', 'expected {"value": "<text>"}');
        updates.push([key, v.value]);
      } else if (key === 'vatZoneId') {
        const v = unwrap(wrapped);
        const zone = v.ok ? this.state.vatZones.find((z) => z.id === v.value) : undefined;
        if (!zone) return fieldError('VatZoneId', `VAT zone '${v.ok ? String(v.value) : ''}' does not exist.`);
        updates.push(['vatZone', { id: zone.id, description: zone.description }]);
      } else {
        return notSupported(key);
      }
    }
    for (const [key, value] of updates) (c as unknown as Record<string, unknown>)[key] = value;
    this.touch(c);
    return { status: 204, headers: etag(c.timeStamp) };
  }
}
