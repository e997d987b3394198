import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type AddressResolution,
  addressResolutionSchema,
  type TransactionModel,
  transactionSchema,
} from '../../electron/connectors/avatax/types.js';
import {
  customerCreditNoteSchema,
  customerInvoiceSchema,
  customerSchema,
  locationSchema,
  toVismaDocument,
  type VismaDocument,
  type VismaDocumentKind,
} from '../../electron/connectors/visma/types.js';
import {
  type AddressVerdict,
  checkLocally,
  judgeResolution,
  resolvedByAvaTax,
} from '../../electron/engine/address-check.js';
import { allocateBooked } from '../../electron/engine/allocate.js';
import { compareVat, totalVat } from '../../electron/engine/compare.js';
import { correctionResolves, reverses } from '../../electron/engine/decide.js';
import { resolveShipTo } from '../../electron/engine/ship-to.js';
import { taxInputsOf, transactionModel } from '../../electron/engine/tax-inputs.js';
import { checkMapping, mapTransaction } from '../../electron/engine/vat-mapping.js';
import { readDocument } from '../../electron/engine/visma-document.js';
import { DEMO_CREDENTIALS } from '../../electron/sandbox/demo-company.js';
import type { VatLine } from '../../shared/domain.js';
import { fromMinor } from '../../shared/money.js';
import type { Settings } from '../../shared/settings.js';
import { cpuSince, peakRssMb, settingsFor, type Urls } from './common.js';

/**
 * The two scripts our engine is measured against, written plainly with fetch. Both take the same documents to the
 * same end as the engine, by the same rules and with the engine's own pure helpers for the data (ship-to, the
 * local address rules and the judgement of AvaTax's resolver, the tax model, the VAT mapping, the comparison):
 * an address that is missing or fails the check is flagged and nothing is sent; a released document is recorded
 * in AvaTax as Visma booked it, committed, and flagged when AvaTax's own figure differs beyond rounding (unless a
 * released credit note books exactly its opposite: Visma's correction, and both end posted); an
 * unreleased one is calculated, Visma is given AvaTax's VAT, and what it booked is read back and compared. So the
 * counts (processed, posted, flagged, written) agree with the engine's, and only the calls differ:
 *
 * - reference (what a careful script following the APIs' rules does): four documents at a time; one token;
 *   customers, locations and US/CA addresses read once; every unreleased document written with If-Match and read
 *   back once (it does not compare before writing); a 429 from either service waited out as Retry-After says.
 * - naive (what someone would write in an afternoon): one document at a time; a fresh Visma token before every
 *   Visma call; the customer and location read for every document; every ship-to address sent to AvaTax's
 *   resolver; the document read again for its ETag before it is written, and once more after.
 */

export interface FlowTask {
  urls: Urls;
  results: string;
  /** The bench clock's instant (ms): the month listed is its month. */
  at: number;
  /** Documents in flight (the reference's; the naive script takes one at a time whatever this says). */
  concurrency?: number;
  /** The same flow first, on sandboxes of its own, before the measured run (see compare.ts, measure). */
  warmUp?: FlowTask;
}

/** What the flow did, in the same words for every flow (the bench compares them before any ratio). */
export interface FlowCounts {
  /** Documents taken: listed and brought to an end (posted, calculated, flagged or failed). */
  processed: number;
  /** Documents recorded in AvaTax by this run. */
  posted: number;
  /** Documents left in front of a person: no address, an address that fails the check, VAT that differs. */
  flagged: number;
  /** PUTs sent to Visma (the host counts the documents whose VAT changed). */
  puts: number;
  failed: number;
  /** Released invoices a later credit note corrected (flagged when recorded, posted in the end). */
  corrected: string[];
}

export interface FlowResult extends FlowCounts {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Answers 429 this flow met (and waited out). */
  throttled: number;
}

export type Style = 'naive' | 'reference';
type Outcome = 'posted' | 'calculated' | 'flagged';

const LIST: Record<VismaDocumentKind, string> = {
  invoice: 'customerinvoice',
  'credit-note': 'customerCreditNote',
  'debit-note': 'customerDebitNote',
};
const basic = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.avalara.accountId}:${DEMO_CREDENTIALS.avalara.licenseKey}`).toString('base64')}`;
/** Attempts of one request that meets 429s (each waited out); the rate-limited run needs a few per window. */
const MAX_ATTEMPTS = 20;

class Api {
  private token?: string;
  throttled = 0;
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

  /** A request; a 429 is waited out as its Retry-After says (Visma recommends it), then sent again. */
  private async send(service: string, url: string, init: () => Promise<RequestInit>): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, await init());
      if (res.status !== 429 || attempt >= MAX_ATTEMPTS) return res;
      this.throttled++;
      await res.arrayBuffer();
      const seconds = Number(res.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000));
      if (attempt === MAX_ATTEMPTS - 1) process.stderr.write(`${service}: still 429 after ${attempt} attempts\n`);
    }
  }

  async visma(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await this.send('Visma', `${this.urls.visma}${path}`, async () => ({
      method,
      headers: {
        authorization: `Bearer ${await this.vismaToken()}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    const text = await res.text();
    if (res.status >= 400) throw new Error(`Visma ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return { body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') ?? undefined };
  }

  async avatax(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.send('AvaTax', `${this.urls.avatax}${path}`, async () => ({
      method,
      headers: {
        authorization: basic,
        'content-type': 'application/json',
        'x-avalara-client': 'bench; 1.0; fetch; 1.0; bench',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    const text = await res.text();
    if (res.status >= 400) throw new Error(`AvaTax ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  }

  async list(since: string): Promise<VismaDocument[]> {
    const out: VismaDocument[] = [];
    for (const kind of ['invoice', 'credit-note'] as const) {
      const schema = kind === 'invoice' ? customerInvoiceSchema : customerCreditNoteSchema;
      let listed = 0;
      for (let page = 1; ; page++) {
        const q = new URLSearchParams({
          lastModifiedDateTime: `${since}T00:00:00`,
          lastModifiedDateTimeCondition: '>=',
          expandTaxDetails: 'true',
          // A credit note names the invoice it credits only in its applications, listed only when asked.
          ...(kind === 'credit-note' ? { expandApplications: 'true' } : {}),
          pageNumber: String(page),
          pageSize: '100',
        });
        const { body } = await this.visma('GET', `/v1/${LIST[kind]}?${q}`);
        const items = (body ?? []) as { metadata?: { totalCount?: number } }[];
        for (const item of items) out.push(toVismaDocument(kind, schema.parse(item) as never));
        listed += items.length;
        const total = items[0]?.metadata?.totalCount ?? 0;
        if (items.length === 0 || listed >= total) break;
      }
    }
    return out;
  }
}

/**
 * Released invoices whose VAT differs, by number, as recorded: a released credit note that books exactly their
 * opposite is Visma's correction of them (the engine's rule, decide.ts `reverses`): both end posted.
 */
type Released = Map<string, { state: 'needs-attention' | 'posted'; booked: VatLine[]; recordedTax: number }>;

/** One document, start to end; `cache` is where the careful script keeps what it read once. */
async function processOne(
  api: Api,
  settings: Settings,
  raw: VismaDocument,
  style: Style,
  cache: Map<string, Promise<unknown>>,
  counts: FlowCounts,
  released: Released,
): Promise<{ outcome: Outcome; code: string; tax?: number }> {
  const careful = style === 'reference';
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
  const a = shipTo.address;
  if (!a) return { outcome: 'flagged', code: doc.code };
  // The address rules: local ones everywhere, AvaTax's resolver for the US and Canada. The naive script sends
  // every address to the resolver (and, knowing no better, still goes by the local rules outside the US/CA).
  const local = checkLocally(a, shipTo.vatNumber);
  let verdict: AddressVerdict = local;
  if (!careful || (local.valid && resolvedByAvaTax(a.country))) {
    const resolution = addressResolutionSchema.parse(
      await once(`a:${JSON.stringify(a)}`, () =>
        api.avatax('POST', '/api/v2/addresses/resolve', {
          line1: a.line1,
          line2: a.line2,
          city: a.city,
          region: a.region,
          postalCode: a.postalCode,
          country: a.country.trim().toUpperCase(),
          textCase: 'Mixed',
        }),
      ),
    ) as AddressResolution;
    if (local.valid && resolvedByAvaTax(a.country))
      verdict = judgeResolution(resolution, a.country.trim().toUpperCase());
  }
  if (!verdict.valid) return { outcome: 'flagged', code: doc.code };

  const inputs = taxInputsOf(doc, a, shipTo.vatNumber, settings);
  const mapping = checkMapping(settings.vatMapping, undefined);
  const tolerance = settings.sync.tolerance;
  const create = async (commit: boolean, recordBooked?: Map<string, number>) => {
    const { model } = transactionModel(inputs, { commit, recordBooked });
    if (!model) throw new Error(`${doc.code}: no AvaTax model`);
    const tx = transactionSchema.parse(
      await api.avatax('POST', '/api/v2/transactions/create?$include=Lines,Details,Addresses', model),
    ) as TransactionModel;
    counts.posted++;
    return { tx, mapped: mapTransaction(tx, mapping, a.country) };
  };

  if (doc.released) {
    // Released in Visma: never written to. AvaTax records what Visma booked, committed; its own figure is compared.
    const booked = doc.booked!;
    const { tx, mapped } = await create(true, allocateBooked(doc, booked, [], undefined));
    const differs = !compareVat(booked, mapped.calculated, tolerance).withinTolerance;
    if (doc.kind === 'invoice')
      released.set(doc.referenceNumber, {
        state: differs ? 'needs-attention' : 'posted',
        booked,
        recordedTax: totalVat(booked),
      });
    const invoice = doc.appliesToInvoice ? released.get(doc.appliesToInvoice) : undefined;
    if (differs && invoice && reverses({ raw, appliesTo: invoice as never }, booked)) {
      // Visma's correction: the credit note is posted, and so is the invoice it reverses (no longer flagged).
      if (correctionResolves(invoice)) {
        invoice.state = 'posted';
        counts.flagged--;
        counts.corrected.push(`invoice:${doc.appliesToInvoice}`);
      }
      return { outcome: 'posted', code: tx.code ?? doc.code, tax: tx.totalTax ?? 0 };
    }
    return { outcome: differs ? 'flagged' : 'posted', code: tx.code ?? doc.code, tax: tx.totalTax ?? 0 };
  }
  const { tx, mapped } = await create(false);
  if (mapped.problems.length > 0) return { outcome: 'flagged', code: doc.code };
  const path = `/v1/${LIST[doc.kind]}/${encodeURIComponent(doc.referenceNumber)}`;
  // The naive script reads the document again for its ETag; the careful one has it from the listing.
  const etag = careful ? `"${doc.timeStamp}"` : ((await api.visma('GET', path)).etag ?? '*');
  await api.visma('PUT', path, writeBody(doc.kind, mapped), { 'if-match': etag });
  counts.puts++;
  // What Visma booked, read back and compared with AvaTax's figure.
  const back = readDocument(toVismaDocument(doc.kind, parseDocument(doc.kind, (await api.visma('GET', path)).body)));
  if (!back.ok || !back.doc.booked) return { outcome: 'flagged', code: doc.code };
  const cmp = compareVat(back.doc.booked, mapped.calculated, tolerance);
  return { outcome: cmp.withinTolerance ? 'calculated' : 'flagged', code: tx.code ?? doc.code, tax: tx.totalTax ?? 0 };
}

function parseDocument(kind: VismaDocumentKind, body: unknown): never {
  return (kind === 'invoice' ? customerInvoiceSchema : customerCreditNoteSchema).parse(body) as never;
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

/** One flow over every document modified since the first of the month of `task.at`. */
export async function runFlow(task: FlowTask, style: Style): Promise<FlowResult> {
  if (task.warmUp) await runFlow(task.warmUp, style);
  mkdirSync(dirname(task.results), { recursive: true });
  const settings = settingsFor(task.urls, task.at);
  const api = new Api(task.urls, style === 'reference');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const documents = await api.list(settings.sync.startFrom!);
  const cache = new Map<string, Promise<unknown>>();
  const released: Released = new Map();
  const counts: FlowCounts = { processed: 0, posted: 0, flagged: 0, puts: 0, failed: 0, corrected: [] };
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const doc = documents[next++]!;
      try {
        const done = await processOne(api, settings, doc, style, cache, counts, released);
        if (done.outcome === 'flagged') counts.flagged++;
        appendFileSync(
          task.results,
          `${JSON.stringify({ document: `${doc.kind}:${doc.referenceNumber}`, ...done })}\n`,
        );
      } catch (error) {
        counts.failed++;
        if (counts.failed <= 3) process.stderr.write(`${style}: ${(error as Error).message}\n`);
      }
      counts.processed++;
    }
  };
  const inFlight = style === 'reference' ? (task.concurrency ?? 4) : 1;
  await Promise.all(Array.from({ length: inFlight }, worker));
  return {
    ...counts,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSince(cpu),
    peakRssMb: peakRssMb(),
    throttled: api.throttled,
  };
}
