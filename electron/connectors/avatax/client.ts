import type { z } from 'zod';
import { escapeCodeForPath } from '../../../shared/document-code.js';
import { describeIssues, notJsonWords } from '../answer-words.js';
import { type HttpClient, type HttpRequest, type HttpResponse, MalformedResponseError } from '../http.js';
import { AvaTaxError, parseAvaTaxError } from './errors.js';
import {
  type AddressLocationInfo,
  type AddressResolution,
  type AdjustmentReason,
  addressResolutionSchema,
  type CreateTransactionModel,
  companyPageSchema,
  type PingResult,
  pingSchema,
  type TransactionModel,
  type TransactionType,
  transactionPageSchema,
  transactionSchema,
} from './types.js';

/**
 * What every transaction answer carries: lines and their details (the tax per jurisdiction), and the addresses
 * (the ship-to a document was taxed at, which the comparison of tax inputs reads).
 */
const INCLUDE = 'Lines,Details,Addresses';

/** The document types AvaTax calculates without recording them. */
const ESTIMATE_TYPES = new Set<TransactionType>(['SalesOrder', 'ReturnOrder']);

export interface AvaTaxIdentity {
  accountId: string;
  licenseKey: string;
  companyCode: string;
  /** `X-Avalara-Client`: app; version; library; version; machine (no semicolons inside parts). */
  appName: string;
  appVersion: string;
  machineName: string;
}

export function clientHeader(id: Pick<AvaTaxIdentity, 'appName' | 'appVersion' | 'machineName'>): string {
  const clean = (s: string) => s.replace(/;/g, ',').trim() || 'unknown';
  return [
    clean(id.appName),
    clean(id.appVersion),
    'visma-avalara-tax-sync-ts',
    clean(id.appVersion),
    clean(id.machineName),
  ].join('; ');
}

export function basicAuth(accountId: string, licenseKey: string): string {
  return `Basic ${Buffer.from(`${accountId}:${licenseKey}`, 'utf8').toString('base64')}`;
}

/** A thin typed AvaTax REST v2 client over our HttpClient (timeouts, backoff, redaction). */
/** One page of a transaction listing, as AvaTax answered it. */
export interface TransactionPage {
  recordsetCount?: number;
  value: TransactionModel[];
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export class AvaTaxClient {
  private companyIdOnce?: Promise<number | undefined>;

  constructor(
    private readonly http: HttpClient,
    private readonly id: AvaTaxIdentity,
  ) {}

  get companyCode(): string {
    return this.id.companyCode;
  }

  /** Never errors on bad credentials: `authenticated: false` says so. */
  async ping(signal?: AbortSignal): Promise<PingResult> {
    const res = await this.call({ method: 'GET', path: '/api/v2/utilities/ping', signal });
    return this.parse(pingSchema, res, 'ping');
  }

  /** US and Canada only; the caller must not send other countries. */
  async resolveAddress(address: AddressLocationInfo, signal?: AbortSignal): Promise<AddressResolution> {
    const res = await this.call({
      method: 'POST',
      path: '/api/v2/addresses/resolve',
      json: { ...address, textCase: 'Mixed' },
      signal,
    });
    return this.parse(addressResolutionSchema, res, 'address resolution');
  }

  /**
   * Creates the transaction. A single attempt on a timeout or network error (we cannot know whether AvaTax
   * recorded it): the caller retries through createOrAdjust, which is safe either way.
   */
  async createTransaction(model: CreateTransactionModel, signal?: AbortSignal): Promise<TransactionModel> {
    const res = await this.call({
      method: 'POST',
      path: '/api/v2/transactions/create',
      query: { $include: INCLUDE },
      json: model,
      retry: false,
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  /**
   * An estimate: AvaTax calculates a `SalesOrder` / `ReturnOrder` and records nothing, so it can be asked again
   * after a lost answer (retried like any read). Refuses any other type: a dry run can never record a document.
   */
  async estimateTransaction(model: CreateTransactionModel, signal?: AbortSignal): Promise<TransactionModel> {
    if (!ESTIMATE_TYPES.has(model.type) || model.commit)
      throw new Error(
        `Not an estimate: ${model.type}${model.commit ? ' with commit' : ''} would be recorded by AvaTax`,
      );
    const res = await this.call({
      method: 'POST',
      path: '/api/v2/transactions/create',
      query: { $include: INCLUDE },
      json: model,
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  async createOrAdjustTransaction(model: CreateTransactionModel, signal?: AbortSignal): Promise<TransactionModel> {
    const res = await this.call({
      method: 'POST',
      path: '/api/v2/transactions/createoradjust',
      query: { $include: INCLUDE },
      json: { createTransactionModel: model },
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  /**
   * AdjustTransaction (`POST …/transactions/{code}/adjust`): a new version of a document AvaTax holds, with the
   * reason AvaTax keeps on it (`adjustmentReason`, and `adjustmentDescription` in the user's words, cut to the
   * 255 characters AvaTax stores). The old version becomes Adjusted. Not retried blindly: a lost answer is
   * looked up by the caller, as a create's is.
   */
  async adjustTransaction(
    code: string,
    documentType: TransactionType,
    reason: AdjustmentReason,
    description: string,
    model: CreateTransactionModel,
    signal?: AbortSignal,
  ): Promise<TransactionModel> {
    const words = description.trim();
    const res = await this.call({
      method: 'POST',
      path: `${this.transactionPath(code)}/adjust`,
      query: { documentType, $include: INCLUDE },
      json: {
        adjustmentReason: reason,
        adjustmentDescription: words.length > 255 ? `${words.slice(0, 254)}…` : words,
        newTransaction: model,
      },
      retry: false,
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  async getTransaction(code: string, documentType: TransactionType, signal?: AbortSignal): Promise<TransactionModel> {
    const res = await this.call({
      method: 'GET',
      path: `${this.transactionPath(code)}`,
      query: { documentType, $include: INCLUDE },
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  async commitTransaction(
    code: string,
    documentType: TransactionType,
    signal?: AbortSignal,
  ): Promise<TransactionModel> {
    const res = await this.call({
      method: 'POST',
      path: `${this.transactionPath(code)}/commit`,
      query: { documentType, $include: INCLUDE },
      json: { commit: true },
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  async voidTransaction(
    code: string,
    documentType: TransactionType,
    reason: 'DocVoided' | 'DocDeleted' = 'DocVoided',
    signal?: AbortSignal,
  ): Promise<TransactionModel> {
    const res = await this.call({
      method: 'POST',
      path: `${this.transactionPath(code)}/void`,
      query: { documentType, $include: INCLUDE },
      json: { code: reason },
      signal,
    });
    return this.parse(transactionSchema, res, 'transaction');
  }

  /**
   * The company's transactions dated from `from` to `to` (YYYY-MM-DD, both days included), every page as AvaTax
   * answered it, so the caller can check the listing against its own `@recordsetCount` (month/completeness.ts).
   * Avalara documents `date between 'A' and 'B'` as A ≤ date < B, so the filter ends the day after `to`; read
   * with B included, that day is one more, and the caller cuts at `to`. At most 1,000 a page, `@nextLink` to the
   * next.
   */
  async listTransactionPages(from: string, to: string, signal?: AbortSignal): Promise<TransactionPage[]> {
    const pages: TransactionPage[] = [];
    let path = `/api/v2/companies/${escapeCodeForPath(this.id.companyCode)}/transactions`;
    let query: HttpRequest['query'] = {
      $filter: `date between '${from}' and '${dayAfter(to)}'`,
      $include: INCLUDE,
      $top: 1000,
    };
    for (let page = 0; page < 10_000; page++) {
      const res = await this.call({ method: 'GET', path, query, signal });
      const parsed = this.parse(transactionPageSchema, res, 'transaction list');
      pages.push({ recordsetCount: parsed['@recordsetCount'], value: parsed.value });
      const next = parsed['@nextLink'];
      if (!next) return pages;
      const url = new URL(next, 'https://avatax.invalid');
      path = url.pathname;
      query = Object.fromEntries(url.searchParams);
    }
    throw new MalformedResponseError('AvaTax kept pointing to a next page of transactions', 'AvaTax');
  }

  /**
   * The id of the company this client works on (QueryCompanies, `companyCode eq '…'`), to tell its transactions
   * from another company's; undefined when AvaTax has no company of that code. Asked once per client.
   */
  companyId(signal?: AbortSignal): Promise<number | undefined> {
    this.companyIdOnce ??= (async () => {
      const res = await this.call({
        method: 'GET',
        path: '/api/v2/companies',
        query: { $filter: `companyCode eq '${this.id.companyCode.replace(/'/g, "''")}'` },
        signal,
      });
      const parsed = this.parse(companyPageSchema, res, 'company');
      return parsed.value.find((c) => c.companyCode === this.id.companyCode)?.id;
    })();
    this.companyIdOnce.catch(() => {
      this.companyIdOnce = undefined;
    });
    return this.companyIdOnce;
  }

  private transactionPath(code: string): string {
    return `/api/v2/companies/${escapeCodeForPath(this.id.companyCode)}/transactions/${escapeCodeForPath(code)}`;
  }

  private async call(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.http.request({
      ...req,
      headers: {
        ...req.headers,
        Authorization: basicAuth(this.id.accountId, this.id.licenseKey),
        'X-Avalara-Client': clientHeader(this.id),
      },
    });
    if (res.status >= 400) throw parseAvaTaxError(res.status, res.body, res.text, res.correlationId);
    return res;
  }

  private parse<T>(schema: z.ZodType<T>, res: HttpResponse, what: string): T {
    if (typeof res.body === 'string' || res.body === undefined)
      throw new MalformedResponseError(
        `AvaTax sent ${notJsonWords(res.text)} instead of the ${what} (HTTP ${res.status})`,
        'AvaTax',
        res.status,
      );
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) {
      throw new MalformedResponseError(
        `AvaTax sent an unreadable ${what} (HTTP ${res.status}): ${describeIssues(parsed.error.issues)}`,
        'AvaTax',
        res.status,
      );
    }
    return parsed.data;
  }
}

export { AvaTaxError };
