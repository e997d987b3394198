import { randomUUID } from 'node:crypto';
import { unescapeCodeFromPath } from '../../shared/document-code.js';
import { avaError } from './avatax-errors.js';
import {
  includeForGet,
  type ListingVariant,
  listTransactions,
  queryCompanies,
  shapeTransaction,
} from './avatax-list.js';
import { resolveAddress } from './avatax-resolver.js';
import type { AvaTaxSandboxState, StoredTransaction } from './avatax-state.js';
import { buildTransaction, type OverrideMix, validateModel } from './avatax-transactions.js';
import { FixedWindows, json, parseJson, type SandboxReply, type SandboxRequest, SandboxServer } from './http-kit.js';

/**
 * An optional request limit per account. Avalara publishes no numbers and documents no Retry-After for AvaTax
 * REST, only that limit errors exist (`RateLimitExceeded`, `RequestLimitExceeded`: the AvaTax developer docs
 * §3.3). So both variants: `retryAfter: 'none'` (the default, the stricter) answers a bare 429; 'seconds' names
 * the seconds to the window's end, as the service and Visma do.
 */
export interface AvaTaxRateLimit {
  /** Requests per window and account; the next is answered 429 until the window ends. */
  requests: number;
  windowSeconds: number;
  retryAfter?: 'seconds' | 'none';
}

export interface AvaTaxSandboxOptions {
  state: AvaTaxSandboxState;
  now?: () => number;
  onChange?: (state: AvaTaxSandboxState) => void;
  rateLimit?: AvaTaxRateLimit;
}

const RECORDED = new Set(['SalesInvoice', 'ReturnInvoice', 'PurchaseInvoice', 'ReverseChargeInvoice']);

/** AdjustTransactionModel.adjustmentReason, but NotAdjusted (AvaTax 19.6). */
const ADJUSTMENT_REASONS = new Set([
  'SourcingIssue',
  'ReconciledWithGeneralLedger',
  'ExemptCertApplied',
  'PriceAdjusted',
  'ProductReturned',
  'ProductExchanged',
  'BadDebt',
  'Other',
  'Offline',
]);

/**
 * AvaTax REST v2 as the connector uses it: ping, address resolve (US/CA only), create / createoradjust /
 * get / commit / void with real document-status rules, and the {error:{code,message,target,details}} envelope.
 */
export class AvaTaxSandbox implements ListingVariant {
  readonly server = new SandboxServer('AvaTax');
  private readonly now: () => number;
  /** `date between 'A' and 'B'`: A ≤ date < B as Avalara documents it, or with B included (avatax-list.ts). */
  betweenEnd: ListingVariant['betweenEnd'] = 'exclusive';
  /** List an adjusted document's superseded versions (`Adjusted`) beside the live one, as AvaTax may. */
  listSuperseded = true;
  /** Transactions in creation order, or newest first: the product must not depend on the order. */
  listOrder: ListingVariant['listOrder'] = 'created';
  /** A document-level override beside line-level ones: refused (the default, as Avalara states) or kept. */
  overrideMix: OverrideMix = 'refuse';
  /** The limit in force (none: every request is answered); may be changed while running. */
  rateLimit?: AvaTaxRateLimit;
  readonly rateWindows: FixedWindows;

  constructor(private readonly options: AvaTaxSandboxOptions) {
    this.now = options.now ?? Date.now;
    this.rateLimit = options.rateLimit;
    this.rateWindows = new FixedWindows(this.now);
    const s = this.server;
    s.route('GET', /^\/api\/v2\/utilities\/ping$/, (r) => this.ping(r));
    s.route('POST', /^\/api\/v2\/addresses\/resolve$/, (r) => this.authed(r, () => this.resolve(r)));
    s.route('POST', /^\/api\/v2\/transactions\/create$/, (r) => this.authed(r, () => this.create(r, false)));
    s.route('POST', /^\/api\/v2\/transactions\/createoradjust$/, (r) => this.authed(r, () => this.create(r, true)));
    s.route('GET', /^\/api\/v2\/companies$/, (r) => this.authed(r, () => queryCompanies(this.state, r)));
    s.route('GET', /^\/api\/v2\/companies\/([^/]+)\/transactions$/, (r) =>
      this.authed(r, () => listTransactions(this.state, r, this.now(), this)),
    );
    s.route('GET', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)$/, (r) => this.authed(r, () => this.get(r)));
    s.route('POST', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/commit$/, (r) =>
      this.authed(r, () => this.commit(r)),
    );
    s.route('POST', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/void$/, (r) =>
      this.authed(r, () => this.void(r)),
    );
    s.route('POST', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/adjust$/, (r) =>
      this.authed(r, () => this.adjust(r)),
    );
  }

  get state(): AvaTaxSandboxState {
    return this.options.state;
  }

  get url(): string {
    return this.server.url;
  }

  listen(port = 0): Promise<string> {
    return this.server.listen(port);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  find(code: string, type = 'SalesInvoice', companyCode?: string): StoredTransaction | undefined {
    return this.state.transactions.find(
      (t) =>
        t.code === code &&
        t.type === type &&
        t.status !== 'Adjusted' &&
        (!companyCode || t.companyCode === companyCode),
    );
  }

  private changed(): void {
    this.options.onChange?.(this.state);
  }

  private withHeaders(reply: SandboxReply): SandboxReply {
    return { ...reply, headers: { 'x-correlation-id': randomUUID(), ...reply.headers } };
  }

  private account(r: SandboxRequest): { accountId: string } | 'missing' | 'wrong' {
    const auth = String(r.headers.authorization ?? '');
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(auth);
    if (!auth) return 'missing';
    if (!m) return 'wrong';
    const [user, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
    const acct = this.state.accounts.find((a) => a.accountId === user && a.licenseKey === rest.join(':'));
    return acct ? { accountId: acct.accountId } : 'wrong';
  }

  private ping(r: SandboxRequest): SandboxReply {
    const acct = this.account(r);
    const ok = typeof acct === 'object';
    return this.withHeaders(
      json(200, {
        version: '26.11.0',
        authenticated: ok,
        authenticationType: ok ? 'AccountIdLicenseKey' : 'None',
        authenticatedAccountId: ok ? Number(acct.accountId) : null,
      }),
    );
  }

  private async authed(r: SandboxRequest, next: () => SandboxReply): Promise<SandboxReply> {
    const acct = this.account(r);
    if (acct === 'missing') {
      return this.withHeaders(
        avaError(
          401,
          'AuthenticationIncomplete',
          34,
          'Authentication Incomplete.',
          'HttpRequestHeaders',
          'You must provide an Authorization header of the type Basic or Bearer to authenticate correctly.',
          'Exception',
        ),
      );
    }
    if (acct === 'wrong') {
      return this.withHeaders(
        avaError(
          401,
          'AuthenticationException',
          30,
          'Authentication failed.',
          'HttpRequestHeaders',
          'Unable to authenticate the user or the account.',
          'Exception',
        ),
      );
    }
    const limit = this.rateLimit;
    if (limit) {
      const window = this.rateWindows.take(acct.accountId, limit.requests, limit.windowSeconds);
      if (window.over)
        return this.withHeaders({
          ...avaError(
            429,
            'RateLimitExceeded',
            4011,
            'Rate limit exceeded.',
            'HttpRequest',
            `This account may make ${limit.requests} requests in ${limit.windowSeconds} seconds.`,
            'Exception',
          ),
          ...(limit.retryAfter === 'seconds' ? { headers: { 'retry-after': String(window.resetSeconds) } } : {}),
        });
    }
    return this.withHeaders(next());
  }

  // --- addresses -------------------------------------------------------------------------------

  private resolve(r: SandboxRequest): SandboxReply {
    return resolveAddress(this.state.directory, r.rawBody);
  }

  private create(r: SandboxRequest, orAdjust: boolean): SandboxReply {
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok)
      return avaError(400, 'ModelStateInvalid', 70, 'The request body is not valid JSON.', 'IncorrectData');
    const raw = parsed.value as Record<string, unknown>;
    const model = (orAdjust ? raw.createTransactionModel : raw) as Record<string, unknown> | undefined;
    if (!model || typeof model !== 'object')
      return avaError(400, 'ValueRequiredError', 5, 'Field createTransactionModel is required.', 'IncorrectData');
    const problem = validateModel(model, { overrideMix: this.overrideMix });
    if (problem) return problem;
    const companyCode = String(model.companyCode ?? this.state.companies[0]?.companyCode ?? 'DEFAULT');
    const company = this.state.companies.find((c) => c.companyCode === companyCode);
    if (!company)
      return avaError(
        400,
        'GetTaxError',
        300,
        'Company not found. Verify the CompanyCode.',
        'IncorrectData',
        `CompanyCode '${companyCode}' does not exist.`,
        'Error',
        'CompanyCode',
        'CompanyNotFoundError',
      );
    const type = String(model.type ?? 'SalesOrder');
    const code = typeof model.code === 'string' && model.code ? model.code : randomUUID();
    const existing = this.find(code, type, companyCode);
    if (RECORDED.has(type)) this.state.createCalls[code] = (this.state.createCalls[code] ?? 0) + 1;

    if (existing && !orAdjust && (existing.status === 'Committed' || existing.status === 'Cancelled')) {
      return {
        status: 400,
        body: {
          error: {
            code: 'GetTaxError',
            target: 'Unknown',
            details: [
              {
                code: 'GetTaxError',
                number: 300,
                faultCode: 'Server',
                helpLink: '/avatax/errors/GetTaxError',
                severity: 'Error',
              },
              {
                code: 'GetTaxError',
                number: 300,
                message: 'DocStatus is invalid for this operation.',
                description: 'Expected Saved|Posted',
                faultCode: 'GetTaxError',
                faultSubCode: 'DocStatusError',
                helpLink: '/avatax/errors/GetTaxError',
                refersTo: 'DocStatus',
                severity: 'Error',
              },
            ],
          },
        },
      };
    }
    if (existing?.locked)
      return avaError(
        400,
        'CannotModifyLockedTransaction',
        1100,
        'This transaction is locked and cannot be modified.',
        'IncorrectData',
      );

    // An estimate (SalesOrder, ReturnOrder…) is calculated and never saved: AvaTax answers it with id 0 and
    // status Temporary, keeps nothing (it cannot be got, listed, committed or voided), and uses up no id.
    const recorded = RECORDED.has(type);
    const result = buildTransaction(model, code, company, recorded ? this.state.nextId++ : 0, this.now());
    if (!result.ok) return result.reply;
    const built = result.model;
    if (!recorded) return json(200, { ...built, status: 'Temporary' });

    // Re-creating an uncommitted code replaces that version, which keeps the reason it was adjusted for.
    const replaces = existing?.status === 'Saved' && !orAdjust;
    const adjustment = replaces
      ? {
          adjustmentReason: existing.model.adjustmentReason ?? 'NotAdjusted',
          ...(existing.model.adjustmentDescription === undefined
            ? {}
            : { adjustmentDescription: existing.model.adjustmentDescription }),
        }
      : { adjustmentReason: existing ? 'Other' : 'NotAdjusted' };
    return json(200, this.record(existing, built, model, { code, companyCode, type }, adjustment, replaces).model);
  }

  /**
   * Stores a built transaction as the document's current version: a Saved one re-created is replaced (same
   * version); any other becomes Adjusted and the new one is the next version. Each version keeps its own
   * adjustment reason and description.
   */
  private record(
    existing: StoredTransaction | undefined,
    built: Record<string, unknown>,
    request: Record<string, unknown>,
    key: { code: string; companyCode: string; type: string },
    adjustment: { adjustmentReason: unknown; adjustmentDescription?: unknown },
    replaceSaved: boolean,
  ): StoredTransaction {
    let version = 1;
    if (existing) {
      version = existing.version + 1;
      if (existing.status === 'Saved' && replaceSaved) {
        this.state.transactions.splice(this.state.transactions.indexOf(existing), 1);
        version = existing.version;
      } else {
        existing.status = 'Adjusted';
        (existing.model as { status: string }).status = 'Adjusted';
      }
    }
    const status = request.commit === true ? 'Committed' : 'Saved';
    const stored: StoredTransaction = {
      id: built.id as number,
      ...key,
      status,
      version,
      locked: false,
      model: { ...built, status, version, ...adjustment },
      request,
    };
    this.state.transactions.push(stored);
    this.changed();
    return stored;
  }

  /**
   * AdjustTransaction: `{adjustmentReason, adjustmentDescription, newTransaction}` on a document AvaTax holds
   * (Saved or Committed; not voided, not locked). The old version becomes Adjusted; the new one keeps the reason
   * and the description. Stricter where the contract is open: 'NotAdjusted' is no reason, 'Other' needs a
   * description, a description is at most 255 characters, and the new transaction keeps the code and type.
   */
  private adjust(r: SandboxRequest): SandboxReply {
    const t = this.target(r);
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null)
      return avaError(400, 'ModelStateInvalid', 70, 'The request body is not valid JSON.', 'IncorrectData');
    const body = parsed.value as Record<string, unknown>;
    const reason = String(body.adjustmentReason ?? '');
    if (!ADJUSTMENT_REASONS.has(reason))
      return avaError(400, 'ValueRequiredError', 5, 'Field adjustmentReason is required.', 'IncorrectData');
    const description = typeof body.adjustmentDescription === 'string' ? body.adjustmentDescription : '';
    if (reason === 'Other' && description.trim() === '')
      return avaError(
        400,
        'ValueRequiredError',
        5,
        'Field adjustmentDescription is required when adjustmentReason is Other.',
        'IncorrectData',
      );
    if (description.length > 255)
      return avaError(
        400,
        'ModelStateInvalid',
        70,
        "Field 'adjustmentDescription' must be no more than 255 characters in length.",
        'IncorrectData',
      );
    const model = body.newTransaction as Record<string, unknown> | undefined;
    if (!model || typeof model !== 'object')
      return avaError(400, 'ValueRequiredError', 5, 'Field newTransaction is required.', 'IncorrectData');
    const problem = validateModel(model, { overrideMix: this.overrideMix });
    if (problem) return problem;
    if ((model.code !== undefined && model.code !== t.code) || String(model.type ?? t.type) !== t.type)
      return avaError(
        400,
        'ModelStateInvalid',
        70,
        'The new transaction must keep the code and type of the document it adjusts.',
        'IncorrectData',
      );
    const found = this.find(t.code, t.type, t.companyCode);
    if (!found) return this.notFound(t.companyCode, t.code);
    if (found.status === 'Cancelled')
      return avaError(
        400,
        'TransactionAlreadyCancelled',
        198,
        'This transaction has already been cancelled.',
        'IncorrectData',
      );
    if (found.locked)
      return avaError(
        400,
        'CannotModifyLockedTransaction',
        1100,
        'This transaction is locked and cannot be modified.',
        'IncorrectData',
      );
    const company = this.state.companies.find((c) => c.companyCode === t.companyCode);
    if (!company) return this.notFound(t.companyCode, t.code);
    const result = buildTransaction(
      { ...model, code: t.code, type: t.type },
      t.code,
      company,
      this.state.nextId++,
      this.now(),
    );
    if (!result.ok) return result.reply;
    this.state.createCalls[t.code] = (this.state.createCalls[t.code] ?? 0) + 1;
    const stored = this.record(
      found,
      result.model,
      { ...model, code: t.code, type: t.type },
      { code: t.code, companyCode: t.companyCode, type: t.type },
      { adjustmentReason: reason, ...(description ? { adjustmentDescription: description } : {}) },
      false,
    );
    return json(200, stored.model);
  }

  private target(r: SandboxRequest): { companyCode: string; code: string; type: string } {
    return {
      companyCode: unescapeCodeFromPath(r.params[0]!),
      code: unescapeCodeFromPath(r.params[1]!),
      type: r.query.get('documentType') ?? 'SalesInvoice',
    };
  }

  private notFound(companyCode: string, code: string): SandboxReply {
    return avaError(
      404,
      'EntityNotFoundError',
      4,
      `Document with ID '${companyCode} - ${code}' not found.`,
      'HttpRequest',
    );
  }

  private get(r: SandboxRequest): SandboxReply {
    const t = this.target(r);
    const include = includeForGet(r);
    if ('error' in include) return include.error;
    const found = this.find(t.code, t.type, t.companyCode);
    return found ? json(200, shapeTransaction(found.model, include)) : this.notFound(t.companyCode, t.code);
  }

  private commit(r: SandboxRequest): SandboxReply {
    const t = this.target(r);
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok || (parsed.value as { commit?: unknown }).commit !== true) {
      return avaError(400, 'ValueRequiredError', 5, 'Field commit is required.', 'IncorrectData');
    }
    const found = this.find(t.code, t.type, t.companyCode);
    if (!found) return this.notFound(t.companyCode, t.code);
    if (found.status === 'Cancelled')
      return avaError(
        400,
        'TransactionAlreadyCancelled',
        198,
        'This transaction has already been cancelled.',
        'IncorrectData',
      );
    found.status = 'Committed';
    (found.model as { status: string }).status = 'Committed';
    this.changed();
    return json(200, found.model);
  }

  private void(r: SandboxRequest): SandboxReply {
    const t = this.target(r);
    const parsed = parseJson(r.rawBody);
    const reason = parsed.ok ? (parsed.value as { code?: unknown }).code : undefined;
    if (!['Unspecified', 'PostFailed', 'DocDeleted', 'DocVoided', 'AdjustmentCancelled'].includes(String(reason))) {
      return avaError(
        400,
        'ValueRequiredError',
        5,
        'Field code is required.',
        'IncorrectData',
        'A void reason code is required.',
      );
    }
    const found = this.find(t.code, t.type, t.companyCode);
    if (!found) return this.notFound(t.companyCode, t.code);
    if (found.locked)
      return avaError(
        400,
        'CannotModifyLockedTransaction',
        1100,
        'This transaction is locked and cannot be modified.',
        'IncorrectData',
      );
    const wasSaved = found.status === 'Saved';
    found.status = 'Cancelled';
    (found.model as { status: string }).status = 'Cancelled';
    // DocDeleted on an uncommitted document deletes it (the document was deleted in the ERP before it was ever
    // reported): it can no longer be got, listed or committed, and its code is free again. The answer is the
    // document as it ended, Cancelled. A committed one is only cancelled, as DocVoided does.
    if (reason === 'DocDeleted' && wasSaved)
      this.state.transactions = this.state.transactions.filter((x) => x.code !== found.code || x.type !== found.type);
    this.changed();
    return json(200, found.model);
  }
}
