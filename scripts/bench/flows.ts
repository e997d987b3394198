import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type TransactionModel, transactionSchema } from '../../electron/connectors/avatax/types.js';
import {
  customerCreditNoteSchema,
  customerInvoiceSchema,
  customerSchema,
  locationSchema,
  toVismaDocument,
  type VismaDocument,
  type VismaDocumentKind,
} from '../../electron/connectors/visma/types.js';
import { resolveShipTo } from '../../electron/engine/ship-to.js';
import { taxInputsOf, transactionModel } from '../../electron/engine/tax-inputs.js';
import { checkMapping, mapTransaction } from '../../electron/engine/vat-mapping.js';
import { RELEASED, readDocument } from '../../electron/engine/visma-document.js';
import { DEMO_CREDENTIALS } from '../../electron/sandbox/demo-company.js';
import { fromMinor } from '../../shared/money.js';
import type { Settings } from '../../shared/settings.js';
import { cpuSince, peakRssMb, settingsFor, type Urls } from './common.js';
import { serve } from './rpc.js';

/**
 * The two scripts our engine is measured against, written plainly with fetch: what someone would write in an
 * afternoon (naive) and what a careful script following the APIs' rules does (reference). Both do the job the
 * engine does for a document (AvaTax calculates, Visma is given the VAT, committed when released) with the
 * engine's own pure helpers for the data (tax model, VAT mapping): only the calls differ.
 *
 * - naive: one document at a time; a fresh Visma token before every Visma call; the customer and location read
 *   for every document; every ship-to address sent to AvaTax's resolver; create; the document read again for its
 *   ETag; the VAT written; a line appended to a local results file.
 * - reference: four documents at a time; one token; customers and locations read once; only US/CA addresses
 *   resolved (once each); create with commit (committed at once when Visma has released the document); the VAT
 *   written with If-Match and read back once; a line appended to a local results file.
 */

export interface FlowTask {
  urls: Urls;
  results: string;
}

export interface FlowResult {
  seconds: number;
  cpuSeconds: number;
  documents: number;
  written: number;
  failed: number;
  peakRssMb: number;
}

const LIST: Record<VismaDocumentKind, string> = {
  invoice: 'customerinvoice',
  'credit-note': 'customerCreditNote',
  'debit-note': 'customerDebitNote',
};
const basic = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.avalara.accountId}:${DEMO_CREDENTIALS.avalara.licenseKey}`).toString('base64')}`;

class Api {
  private token?: string;
  constructor(
    readonly urls: Urls,
    /** false: a fresh token before every call (the naive script). */
    private readonly keepToken: boolean,
  ) {}

  async vismaToken(): Promise<string> {
    if (this.keepToken && this.token) return this.token;
    const c = DEMO_CREDENTIALS.visma;
    const res = await fetch(`${this.urls.visma}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        tenant_id: c.tenantId,
        scope: 'vismanet_erp_service_api:read vismanet_erp_service_api:update',
      }),
    });
    const body = (await res.json()) as { access_token: string };
    this.token = body.access_token;
    return this.token;
  }

  async visma(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.urls.visma}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.vismaToken()}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      // A careful script waits out a 429 as Visma says (Retry-After); the naive one does too, or it would fail.
      if (res.status === 429 && attempt < 5) {
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
        continue;
      }
      if (res.status >= 400) throw new Error(`Visma ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return { body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') ?? undefined };
    }
  }

  async avatax(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.urls.avatax}${path}`, {
      method,
      headers: {
        authorization: basic,
        'content-type': 'application/json',
        'x-avalara-client': 'bench; 1.0; fetch; 1.0; bench',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`AvaTax ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  }

  async list(since: string): Promise<VismaDocument[]> {
    const out: VismaDocument[] = [];
    for (const kind of ['invoice', 'credit-note'] as const) {
      const schema = kind === 'invoice' ? customerInvoiceSchema : customerCreditNoteSchema;
      for (let page = 1; ; page++) {
        const q = new URLSearchParams({
          lastModifiedDateTime: `${since}T00:00:00`,
          lastModifiedDateTimeCondition: '>=',
          expandTaxDetails: 'true',
          pageNumber: String(page),
          pageSize: '500',
        });
        const { body } = await this.visma('GET', `/v1/${LIST[kind]}?${q}`);
        const items = (body ?? []) as { metadata?: { totalCount?: number } }[];
        for (const item of items) out.push(toVismaDocument(kind, schema.parse(item) as never));
        const total = items[0]?.metadata?.totalCount ?? 0;
        if (items.length === 0 || out.filter((d) => d.kind === kind).length >= total) break;
      }
    }
    return out;
  }
}

/** One document, start to end; `cache` is where the careful script keeps what it read once. */
async function processOne(
  api: Api,
  settings: Settings,
  raw: VismaDocument,
  careful: boolean,
  cache: Map<string, Promise<unknown>>,
  results: string,
): Promise<'written' | 'done'> {
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!careful) return load();
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      cache.set(key, p);
    }
    return p;
  };
  const read = readDocument(raw);
  if (!read.ok) throw new Error(read.problems.join('; '));
  const doc = read.doc;
  const customer = customerSchema.parse(
    await once(
      `c:${doc.customerNumber}`,
      async () => (await api.visma('GET', `/v1/customer/${doc.customerNumber}`)).body,
    ),
  );
  const location = doc.locationId
    ? locationSchema.parse(
        await once(
          `l:${doc.customerNumber}:${doc.locationId}`,
          async () => (await api.visma('GET', `/v1/location/${doc.customerNumber}/${doc.locationId}`)).body,
        ),
      )
    : undefined;
  const shipTo = resolveShipTo(customer, location);
  if (!shipTo.address) return 'done';
  const a = shipTo.address;
  if (!careful || a.country === 'US' || a.country === 'CA') {
    await once(`a:${JSON.stringify(a)}`, () =>
      api.avatax('POST', '/api/v2/addresses/resolve', {
        line1: a.line1,
        city: a.city,
        region: a.region,
        postalCode: a.postalCode,
        country: a.country,
        textCase: 'Mixed',
      }),
    );
  }
  const inputs = taxInputsOf(doc, a, shipTo.vatNumber, settings);
  const released = RELEASED.has(doc.status);
  const { model } = transactionModel(inputs, { commit: released });
  if (!model) return 'done';
  const tx = transactionSchema.parse(
    await api.avatax('POST', '/api/v2/transactions/create?$include=Lines,Details,Addresses', model),
  ) as TransactionModel;
  const mapped = mapTransaction(tx, checkMapping(settings.vatMapping, undefined), a.country);
  const path = `/v1/${LIST[doc.kind]}/${encodeURIComponent(doc.referenceNumber)}`;
  let wrote = false;
  if (!careful) {
    // The naive script reads the document again before it writes (its ETag), whether or not it will write.
    const again = await api.visma('GET', path);
    if (!released && mapped.problems.length === 0) {
      await api.visma('PUT', path, writeBody(doc.kind, mapped), { 'if-match': again.etag ?? '*' });
      wrote = true;
    }
  } else if (!released && mapped.problems.length === 0) {
    await api.visma('PUT', path, writeBody(doc.kind, mapped), { 'if-match': `"${doc.timeStamp}"` });
    await api.visma('GET', path); // one read-back: what Visma booked
    wrote = true;
  }
  appendFileSync(
    results,
    `${JSON.stringify({ document: doc.key, code: tx.code, status: tx.status, tax: tx.totalTax, wrote })}\n`,
  );
  return wrote ? 'written' : 'done';
}

/** The PUT body: VAT zone, each line's VAT category, and the tax detail lines (Visma shows credit notes positive). */
function writeBody(kind: VismaDocumentKind, mapped: ReturnType<typeof mapTransaction>): Record<string, unknown> {
  const sign = kind === 'credit-note' ? -1 : 1;
  const body: Record<string, unknown> = {};
  if (mapped.vatZoneId) body.customerVatZoneId = { value: mapped.vatZoneId };
  const lines = mapped.lines.filter((l) => l.vatCategoryId);
  if (lines.length > 0)
    body[kind === 'invoice' ? 'invoiceLines' : 'lines'] = lines.map((l) => ({
      operation: 'Update',
      lineNumber: { value: l.lineNumber },
      vatCodeId: { value: l.vatCategoryId },
    }));
  body[kind === 'invoice' ? 'taxDetailLines' : 'taxDetails'] = mapped.calculated.map((v) => ({
    taxId: { value: v.vatId },
    taxableAmount: { value: fromMinor(sign * v.taxable) },
    vatAmount: { value: fromMinor(sign * v.vat) },
  }));
  return body;
}

async function run(task: FlowTask, careful: boolean): Promise<FlowResult> {
  mkdirSync(dirname(task.results), { recursive: true });
  const settings = settingsFor(task.urls);
  const api = new Api(task.urls, careful);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const documents = await api.list(settings.sync.startFrom!);
  const cache = new Map<string, Promise<unknown>>();
  let written = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const doc = documents[next++]!;
      try {
        if ((await processOne(api, settings, doc, careful, cache, task.results)) === 'written') written++;
      } catch (error) {
        failed++;
        if (failed <= 3) process.stderr.write(`${careful ? 'reference' : 'naive'}: ${(error as Error).message}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: careful ? settings.sync.concurrency : 1 }, worker));
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSince(cpu),
    documents: documents.length,
    written,
    failed,
    peakRssMb: peakRssMb(),
  };
}

serve({
  naive: (task: FlowTask) => run(task, false),
  reference: (task: FlowTask) => run(task, true),
  async exit() {
    setImmediate(() => process.exit(0));
  },
});
