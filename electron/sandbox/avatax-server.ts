import { randomUUID } from 'node:crypto';
import { unescapeCodeFromPath } from '../../shared/document-code.js';
import { fromMinor, toMinor } from '../../shared/money.js';
import type { AvaTaxSandboxState, DirectoryAddress, StoredTransaction } from './avatax-state.js';
import { json, parseJson, type SandboxReply, type SandboxRequest, SandboxServer } from './http-kit.js';
import { computeLineTax } from './tax-rules.js';

export interface AvaTaxSandboxOptions {
  state: AvaTaxSandboxState;
  now?: () => number;
  onChange?: (state: AvaTaxSandboxState) => void;
}

const RECORDED = new Set(['SalesInvoice', 'ReturnInvoice', 'PurchaseInvoice', 'ReverseChargeInvoice']);

/**
 * AvaTax REST v2 as the connector uses it: ping, address resolve (US/CA only), create / createoradjust /
 * get / commit / void with real document-status rules, and the {error:{code,message,target,details}} envelope.
 */
export class AvaTaxSandbox {
  readonly server = new SandboxServer('AvaTax');
  private readonly now: () => number;

  constructor(private readonly options: AvaTaxSandboxOptions) {
    this.now = options.now ?? Date.now;
    const s = this.server;
    s.route('GET', /^\/api\/v2\/utilities\/ping$/, (r) => this.ping(r));
    s.route('POST', /^\/api\/v2\/addresses\/resolve$/, (r) => this.authed(r, () => this.resolve(r)));
    s.route('POST', /^\/api\/v2\/transactions\/create$/, (r) => this.authed(r, () => this.create(r, false)));
    s.route('POST', /^\/api\/v2\/transactions\/createoradjust$/, (r) => this.authed(r, () => this.create(r, true)));
    s.route('GET', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)$/, (r) => this.authed(r, () => this.get(r)));
    s.route('POST', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/commit$/, (r) =>
      this.authed(r, () => this.commit(r)),
    );
    s.route('POST', /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/void$/, (r) =>
      this.authed(r, () => this.void(r)),
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
    return this.withHeaders(next());
  }

  // --- addresses -------------------------------------------------------------------------------

  private resolve(r: SandboxRequest): SandboxReply {
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok)
      return avaError(400, 'ModelStateInvalid', 70, 'The request body is not valid JSON.', 'IncorrectData');
    const a = parsed.value as Record<string, string | undefined>;
    const country = (a.country ?? '').toUpperCase();
    const mixed = a.textCase === 'Mixed';
    const echo = {
      line1: a.line1 ?? '',
      line2: a.line2 ?? '',
      line3: a.line3 ?? '',
      city: a.city ?? '',
      region: a.region ?? '',
      country,
      postalCode: a.postalCode ?? '',
    };
    const message = (summary: string, details: string, refersTo = 'Address') => ({
      summary,
      details,
      refersTo,
      severity: 'Error',
      source: 'Avalara.AvaTax.Services.Address',
    });
    if (country !== 'US' && country !== 'CA') {
      return json(200, {
        address: echo,
        resolutionQuality: 'NotCoded',
        messages: [
          message(
            'Address Validation for this country not supported.',
            `Country '${country}' is not supported by address validation.`,
            'Address.Country',
          ),
        ],
      });
    }
    if (!a.postalCode && !(a.line1 && a.city && a.region)) {
      return avaError(
        400,
        'GetTaxError',
        300,
        'An Address is incomplete or invalid.',
        'IncorrectData',
        'You must provide either a valid postal code, line1 + city + region, or line1 + postal code.',
        'Error',
        'Addresses[0]',
      );
    }
    const norm = (s?: string) => (s ?? '').toUpperCase().replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();
    const candidates = this.state.directory.filter(
      (d) =>
        d.country === country &&
        (a.postalCode
          ? norm(d.postalCode) === norm(a.postalCode)
          : norm(d.city) === norm(a.city) && norm(d.region) === norm(a.region)),
    );
    if (candidates.length === 0) {
      return json(200, {
        address: echo,
        resolutionQuality: 'NotCoded',
        messages: [
          message(
            'Invalid ZIP/Postal Code.',
            'The postal code does not exist or is not valid for this region.',
            'Address.PostalCode',
          ),
        ],
      });
    }
    if (!a.line1)
      return json(200, { address: echo, coordinates: coords(candidates[0]!), resolutionQuality: 'NotCoded' });
    const m = /^(\d+)\s+(.*)$/.exec(norm(a.line1));
    const houseNumber = m ? Number(m[1]) : undefined;
    const street = m ? m[2]! : norm(a.line1);
    const sameStreet = candidates.find((d) => norm(d.line1).replace(/^\d+\s+/, '') === street);
    const out = (d: DirectoryAddress, num: number | undefined) => {
      const line1 = `${num ?? d.numbers[0]} ${d.line1.replace(/^\d+\s+/, '')}`;
      const v = {
        line1,
        line2: '',
        line3: '',
        city: d.city,
        region: d.region,
        country: d.country,
        postalCode: d.postalCode,
      };
      return {
        addressType: 'StreetOrResidentialAddress',
        ...(mixed ? v : { ...v, line1: v.line1.toUpperCase(), city: v.city.toUpperCase() }),
        latitude: d.latitude,
        longitude: d.longitude,
      };
    };
    if (
      sameStreet &&
      houseNumber !== undefined &&
      houseNumber >= sameStreet.numbers[0] &&
      houseNumber <= sameStreet.numbers[1]
    ) {
      return json(200, {
        address: echo,
        validatedAddresses: [out(sameStreet, houseNumber)],
        coordinates: coords(sameStreet),
        resolutionQuality: 'Rooftop',
        taxAuthorities: [],
      });
    }
    if (sameStreet) {
      return json(200, {
        address: echo,
        validatedAddresses: [
          out(sameStreet, Math.min(Math.max(houseNumber ?? 1, sameStreet.numbers[0]), sameStreet.numbers[1])),
        ],
        coordinates: coords(sameStreet),
        resolutionQuality: 'Intersection',
        messages: [
          {
            summary: 'The address number is out of range',
            details: 'The address number is out of range',
            refersTo: 'Address.Line0',
            severity: 'Error',
            source: 'Avalara.AvaTax.Common',
          },
        ],
      });
    }
    return json(200, {
      address: echo,
      validatedAddresses: [
        out(
          candidates[0]!,
          candidates[0]!.numbers[0] === 1
            ? Number(/^\d+/.exec(candidates[0]!.line1)?.[0] ?? 1)
            : candidates[0]!.numbers[0],
        ),
      ],
      coordinates: coords(candidates[0]!),
      resolutionQuality: 'PostalCentroidGood',
      messages: [
        message('The address is not deliverable.', 'An exact street name match could not be found.', 'Address.Line0'),
      ],
    });
  }

  // --- transactions ----------------------------------------------------------------------------

  private create(r: SandboxRequest, orAdjust: boolean): SandboxReply {
    const parsed = parseJson(r.rawBody);
    if (!parsed.ok)
      return avaError(400, 'ModelStateInvalid', 70, 'The request body is not valid JSON.', 'IncorrectData');
    const raw = parsed.value as Record<string, unknown>;
    const model = (orAdjust ? raw.createTransactionModel : raw) as Record<string, unknown> | undefined;
    if (!model || typeof model !== 'object')
      return avaError(400, 'ValueRequiredError', 5, 'Field createTransactionModel is required.', 'IncorrectData');
    const problem = validateModel(model);
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

    const result = buildTransaction(model, code, company, this.state.nextId++, this.now());
    if (!result.ok) return result.reply;
    const built = result.model;
    if (!RECORDED.has(type)) return json(200, { ...built, status: 'Temporary' });

    const commit = model.commit === true;
    let version = 1;
    if (existing) {
      version = existing.version + 1;
      if (existing.status === 'Saved' && !orAdjust) {
        this.state.transactions.splice(this.state.transactions.indexOf(existing), 1);
        version = existing.version;
      } else {
        existing.status = 'Adjusted';
        (existing.model as { status: string }).status = 'Adjusted';
      }
    }
    const status = commit ? 'Committed' : 'Saved';
    const stored: StoredTransaction = {
      id: built.id as number,
      code,
      companyCode,
      type,
      status,
      version,
      locked: false,
      model: { ...built, status, version, adjustmentReason: existing && orAdjust ? 'Other' : 'NotAdjusted' },
      request: model,
    };
    this.state.transactions.push(stored);
    this.changed();
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
    const found = this.find(t.code, t.type, t.companyCode);
    return found ? json(200, found.model) : this.notFound(t.companyCode, t.code);
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
    found.status = 'Cancelled';
    (found.model as { status: string }).status = 'Cancelled';
    this.changed();
    return json(200, found.model);
  }
}

function coords(d: DirectoryAddress) {
  return { latitude: d.latitude, longitude: d.longitude };
}

export function avaError(
  status: number,
  code: string,
  number: number,
  message: string,
  target: string,
  description?: string,
  severity = 'Error',
  refersTo?: string,
  faultSubCode?: string,
): SandboxReply {
  return json(status, {
    error: {
      code,
      message,
      target,
      details: [
        {
          code,
          number,
          message,
          description: description ?? message,
          faultCode: status >= 500 ? 'Server' : 'Client',
          ...(faultSubCode ? { faultSubCode } : {}),
          helpLink: `/avatax/errors/${code}`,
          ...(refersTo ? { refersTo } : {}),
          severity,
        },
      ],
    },
  });
}

const LIMITS: [string, number][] = [
  ['code', 50],
  ['customerCode', 50],
  ['companyCode', 50],
  ['businessIdentificationNo', 25],
  ['purchaseOrderNo', 50],
];

function validateModel(m: Record<string, unknown>): SandboxReply | undefined {
  for (const field of ['date', 'customerCode', 'lines']) {
    if (m[field] === undefined || m[field] === null || m[field] === '')
      return avaError(
        400,
        'ValueRequiredError',
        5,
        `Field ${field} is required.`,
        'IncorrectData',
        undefined,
        'Error',
        field,
      );
  }
  for (const [field, max] of LIMITS) {
    if (typeof m[field] === 'string' && (m[field] as string).length > max) {
      return avaError(
        400,
        'ModelStateInvalid',
        70,
        `Field '${field}' must be no more than ${max} characters in length.`,
        'IncorrectData',
        undefined,
        'Error',
        field,
      );
    }
  }
  if (typeof m.date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(m.date))
    return avaError(400, 'ModelStateInvalid', 70, 'Field date is not a valid date.', 'IncorrectData');
  const lines = m.lines as Record<string, unknown>[];
  if (!Array.isArray(lines) || lines.length === 0)
    return avaError(400, 'MissingLine', 311, 'Transactions must have at least one line.', 'IncorrectData');
  const numbers = new Set<string>();
  for (const line of lines) {
    if (typeof line.amount !== 'number')
      return avaError(
        400,
        'ValueRequiredError',
        5,
        'Field amount is required.',
        'IncorrectData',
        undefined,
        'Error',
        'lines.amount',
      );
    const n = String(line.number ?? '');
    if (numbers.has(n))
      return avaError(
        400,
        'GetTaxError',
        300,
        `Duplicate line number ${n}.`,
        'IncorrectData',
        undefined,
        'Error',
        'Lines',
        'DuplicateLineNoError',
      );
    numbers.add(n);
    if (typeof line.quantity === 'number' && line.quantity < 0)
      return avaError(400, 'ModelStateInvalid', 70, 'Quantity should always be positive.', 'IncorrectData');
  }
  const shipTo =
    (m.addresses as Record<string, Record<string, string>> | undefined)?.shipTo ??
    (m.addresses as Record<string, Record<string, string>> | undefined)?.singleLocation;
  if (!shipTo?.country) {
    return avaError(
      400,
      'GetTaxError',
      300,
      'An Address is incomplete or invalid.',
      'IncorrectData',
      'Address is missing or incomplete.',
      'Error',
      'Addresses',
      'InsufficientAddressError',
    );
  }
  return undefined;
}

function buildTransaction(
  m: Record<string, unknown>,
  code: string,
  company: { companyId: number; country: string },
  id: number,
  now: number,
): { ok: true; model: Record<string, unknown> } | { ok: false; reply: SandboxReply } {
  const addresses = m.addresses as Record<string, Record<string, string>>;
  const shipTo = addresses.shipTo ?? addresses.singleLocation!;
  const shipFrom = addresses.shipFrom ?? addresses.singleLocation ?? { country: company.country };
  const bin =
    typeof m.businessIdentificationNo === 'string' && m.businessIdentificationNo
      ? m.businessIdentificationNo
      : undefined;
  const currency = String(m.currencyCode ?? 'USD');
  const taxOverride = m.taxOverride as { type?: string; taxDate?: string } | undefined;
  const date = String(m.date).slice(0, 10);
  const taxDate = taxOverride?.type === 'TaxDate' && taxOverride.taxDate ? taxOverride.taxDate.slice(0, 10) : date;
  const messages: { summary: string; severity: string; source: string }[] = [];
  const lines = (m.lines as Record<string, unknown>[]).map((line, index) => {
    let amount: number;
    try {
      amount = toMinor(line.amount as number);
    } catch {
      amount = Number.NaN;
    }
    const tax = computeLineTax({
      sellerCountry: String(shipFrom.country ?? company.country).toUpperCase(),
      shipToCountry: String(shipTo.country).toUpperCase(),
      shipToRegion: shipTo.region,
      shipToPostalCode: shipTo.postalCode,
      buyerVatNumber: bin,
      taxCode: line.taxCode as string | undefined,
      amount,
    });
    for (const text of tax.messages)
      if (!messages.some((x) => x.summary === text))
        messages.push({ summary: text, severity: 'Success', source: 'Avalara.AvaTax.Services.Tax' });
    return {
      id: id * 100 + index,
      transactionId: id,
      lineNumber: String(line.number ?? index + 1),
      itemCode: line.itemCode ?? '',
      description: line.description ?? '',
      quantity: line.quantity ?? 1,
      lineAmount: fromMinor(amount),
      discountAmount: 0,
      exemptAmount: fromMinor(tax.exempt),
      taxableAmount: fromMinor(tax.taxable),
      tax: fromMinor(tax.tax),
      taxCalculated: fromMinor(tax.tax),
      taxCode: line.taxCode ?? 'P0000000',
      taxDate,
      taxIncluded: false,
      isItemTaxable: tax.taxable !== 0,
      sourcing: 'Destination',
      details: tax.details.map((d, i) => ({
        id: id * 10_000 + index * 100 + i,
        country: d.country,
        region: d.region,
        jurisType: d.jurisType,
        jurisCode: d.jurisCode,
        jurisName: d.jurisName,
        jurisdictionType: d.jurisType,
        taxType: d.taxType,
        taxName: d.taxName,
        rateTypeCode: d.rateTypeCode,
        rate: d.rate,
        tax: fromMinor(d.tax),
        taxCalculated: fromMinor(d.tax),
        taxableAmount: fromMinor(d.taxableAmount),
        nonTaxableAmount: 0,
        exemptAmount: 0,
      })),
      _minor: { amount, tax: tax.tax, taxable: tax.taxable },
    };
  });
  if (lines.some((l) => Number.isNaN(l._minor.amount))) {
    return {
      ok: false,
      reply: avaError(400, 'ModelStateInvalid', 70, 'Field amount is not a valid number.', 'IncorrectData'),
    };
  }
  const totalAmount = lines.reduce((s, l) => s + l._minor.amount, 0);
  const totalTax = lines.reduce((s, l) => s + l._minor.tax, 0);
  const totalTaxable = lines.reduce((s, l) => s + l._minor.taxable, 0);
  const summary = new Map<
    string,
    {
      country: string;
      region: string;
      jurisType: string;
      jurisName: string;
      taxName: string;
      rate: number;
      taxable: number;
      tax: number;
      rateTypeCode: string;
    }
  >();
  for (const l of lines) {
    for (const d of l.details) {
      const key = `${d.jurisCode}|${d.rate}`;
      const s = summary.get(key) ?? {
        country: d.country,
        region: d.region,
        jurisType: d.jurisType,
        jurisName: d.jurisName,
        taxName: d.taxName,
        rate: d.rate,
        taxable: 0,
        tax: 0,
        rateTypeCode: d.rateTypeCode,
      };
      s.taxable += toMinor(d.taxableAmount);
      s.tax += toMinor(d.tax);
      summary.set(key, s);
    }
  }
  const model: Record<string, unknown> = {
    id,
    code,
    companyId: company.companyId,
    date,
    taxDate,
    status: 'Saved',
    type: m.type,
    currencyCode: currency,
    customerCode: m.customerCode,
    businessIdentificationNo: bin ?? null,
    totalAmount: fromMinor(totalAmount),
    totalExempt: fromMinor(totalAmount - totalTaxable),
    totalDiscount: 0,
    totalTaxable: fromMinor(totalTaxable),
    totalTax: fromMinor(totalTax),
    totalTaxCalculated: fromMinor(totalTax),
    locked: false,
    version: 1,
    modifiedDate: new Date(now).toISOString(),
    taxOverrideType: taxOverride?.type ?? 'None',
    lines: lines.map(({ _minor, ...l }) => l),
    addresses: [
      { boundaryLevel: 'Address', ...shipFrom },
      { boundaryLevel: 'Address', ...shipTo },
    ],
    summary: [...summary.values()].map((s) => ({
      country: s.country,
      region: s.region,
      jurisType: s.jurisType,
      jurisName: s.jurisName,
      taxName: s.taxName,
      rateTypeCode: s.rateTypeCode,
      rate: s.rate,
      taxable: fromMinor(s.taxable),
      tax: fromMinor(s.tax),
      taxCalculated: fromMinor(s.tax),
    })),
    messages,
    invoiceMessages: messages
      .filter((x) => /Article/.test(x.summary))
      .map((x) => ({ content: x.summary, lineNumbers: lines.map((l) => l.lineNumber) })),
  };
  return { ok: true, model };
}
