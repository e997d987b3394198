import { allocate, fromMinor, toMinor } from '../../shared/money.js';
import { avaError, incompleteAddress } from './avatax-errors.js';
import { parseTaxOverride, type TaxOverride } from './avatax-overrides.js';
import type { SandboxReply } from './http-kit.js';
import { computeLineTax } from './tax-rules.js';

/** Validation of a CreateTransactionModel and the TransactionModel the sandbox answers with. */
const LIMITS: [string, number][] = [
  ['code', 50],
  ['customerCode', 50],
  ['companyCode', 50],
  ['businessIdentificationNo', 25],
  ['purchaseOrderNo', 50],
];

/**
 * How the sandbox takes a transaction-level override beside line-level ones. Avalara states that a transaction
 * cannot carry both at once: 'refuse' (the default) answers 400; 'allow' keeps both, as an older sandbox did (a
 * document TaxAmount beside line TaxAmounts is refused either way: which would win is not documented).
 */
export type OverrideMix = 'refuse' | 'allow';

export function validateModel(
  m: Record<string, unknown>,
  options: { overrideMix: OverrideMix } = { overrideMix: 'refuse' },
): SandboxReply | undefined {
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
  if (m.exchangeRate !== undefined && m.exchangeRate !== null) {
    if (typeof m.exchangeRate !== 'number' || !Number.isFinite(m.exchangeRate) || m.exchangeRate <= 0)
      return avaError(400, 'ModelStateInvalid', 70, 'Field exchangeRate must be a positive number.', 'IncorrectData');
  }
  if (
    m.exchangeRateCurrencyCode !== undefined &&
    m.exchangeRateCurrencyCode !== null &&
    (typeof m.exchangeRateCurrencyCode !== 'string' || !/^[A-Z]{3}$/i.test(m.exchangeRateCurrencyCode))
  )
    return avaError(
      400,
      'ModelStateInvalid',
      70,
      "Field 'exchangeRateCurrencyCode' must be no more than 3 characters in length.",
      'IncorrectData',
    );
  const docOverride = parseTaxOverride(m.taxOverride, 'taxOverride');
  if (!docOverride.ok) return docOverride.reply;
  for (const [i, line] of lines.entries()) {
    // Stricter than AvaTax: line-level addresses would be ignored here, and a silently ignored ship-to is a
    // wrong tax; the sandbox refuses them instead.
    if (line.addresses !== undefined && line.addresses !== null)
      return avaError(
        400,
        'ModelStateInvalid',
        70,
        'Line-level addresses are not supported by this sandbox: send the addresses on the document.',
        'IncorrectData',
        undefined,
        'Error',
        `lines[${i}].addresses`,
      );
    const lineOverride = parseTaxOverride(line.taxOverride, `lines[${i}].taxOverride`);
    if (!lineOverride.ok) return lineOverride.reply;
    const overridden = (o: TaxOverride | undefined) => o !== undefined && o.type !== 'None';
    if (options.overrideMix === 'refuse' && overridden(docOverride.value) && overridden(lineOverride.value))
      return avaError(
        400,
        'ModelStateInvalid',
        70,
        `A document-level ${docOverride.value!.type} override cannot be combined with line-level overrides: use one or the other.`,
        'IncorrectData',
        undefined,
        'Error',
        'taxOverride',
      );
    if (docOverride.value?.type === 'TaxAmount' && lineOverride.value?.type === 'TaxAmount')
      return avaError(
        400,
        'ModelStateInvalid',
        70,
        'A TaxAmount override on the document cannot be combined with TaxAmount overrides on its lines.',
        'IncorrectData',
        undefined,
        'Error',
        `lines[${i}].taxOverride`,
      );
  }
  const shipTo =
    (m.addresses as Record<string, Record<string, string>> | undefined)?.shipTo ??
    (m.addresses as Record<string, Record<string, string>> | undefined)?.singleLocation;
  if (!shipTo?.country) {
    return incompleteAddress('Address is missing or incomplete.', 'Addresses', 'InsufficientAddressError');
  }
  return undefined;
}

type Address = Record<string, unknown>;

const ADDRESS_FIELDS = ['line1', 'line2', 'line3', 'city', 'region', 'postalCode', 'country', 'latitude', 'longitude'];

/** A TransactionAddressModel: an id, and the fields that were sent. */
function addressModel(id: number, transactionId: number, sent: Address): Record<string, unknown> {
  const echo = Object.fromEntries(ADDRESS_FIELDS.filter((f) => sent[f] !== undefined).map((f) => [f, sent[f]]));
  return { id, transactionId, boundaryLevel: 'Address', ...echo };
}

/** AvaTax's short jurisdiction type codes on line details (the summary uses the long names). */
const JURIS_CODE: Record<string, string> = { Country: 'CNT', State: 'STA', County: 'CTY', City: 'CIT', Special: 'STJ' };

/**
 * The TransactionModel for a validated CreateTransactionModel. Tax overrides: a line's `TaxAmount` becomes its
 * `tax` (its details scaled to add up to it, largest remainder) while `taxCalculated` keeps AvaTax's own figure; a
 * document `TaxAmount` is spread over the lines in proportion to their calculated tax (their amounts when that is
 * zero) and then applied like line overrides. A line without any detail (no nexus) keeps the amount as its tax.
 */
export function buildTransaction(
  m: Record<string, unknown>,
  code: string,
  company: { companyId: number; country: string },
  id: number,
  now: number,
): { ok: true; model: Record<string, unknown> } | { ok: false; reply: SandboxReply } {
  const addresses = m.addresses as Record<string, Address>;
  const shipTo = addresses.shipTo ?? addresses.singleLocation!;
  const shipFrom = addresses.shipFrom ?? addresses.singleLocation ?? { country: company.country };
  const originAddressId = id * 10 + 1;
  const destinationAddressId = shipFrom === shipTo ? originAddressId : id * 10 + 2;
  const bin =
    typeof m.businessIdentificationNo === 'string' && m.businessIdentificationNo
      ? m.businessIdentificationNo
      : undefined;
  const currency = String(m.currencyCode ?? 'USD');
  // The rate to the company's base currency: what was sent, or 1.0 ("It defaults to 1.0", CreateTransactionModel).
  const exchangeRate = typeof m.exchangeRate === 'number' && m.exchangeRate > 0 ? m.exchangeRate : 1;
  const type = String(m.type ?? 'SalesOrder');
  const docOverride = (parseTaxOverride(m.taxOverride, 'taxOverride') as { value?: TaxOverride }).value;
  const date = String(m.date).slice(0, 10);
  const taxDate = docOverride?.type === 'TaxDate' ? docOverride.taxDate! : date;
  const messages: { summary: string; severity: string; source: string }[] = [];
  const computed = (m.lines as Record<string, unknown>[]).map((line, index) => {
    let amount: number;
    try {
      amount = toMinor(line.amount as number);
    } catch {
      amount = Number.NaN;
    }
    const tax = Number.isNaN(amount)
      ? undefined
      : computeLineTax({
          sellerCountry: String(shipFrom.country ?? company.country).toUpperCase(),
          shipToCountry: String(shipTo.country).toUpperCase(),
          shipToRegion: shipTo.region as string | undefined,
          shipToPostalCode: shipTo.postalCode as string | undefined,
          buyerVatNumber: bin,
          taxCode: line.taxCode as string | undefined,
          amount,
          documentType: type,
        });
    const override = (parseTaxOverride(line.taxOverride, `lines[${index}].taxOverride`) as { value?: TaxOverride })
      .value;
    return { line, index, amount, tax, override };
  });
  if (computed.some((c) => c.tax === undefined)) {
    return {
      ok: false,
      reply: avaError(400, 'ModelStateInvalid', 70, 'Field amount is not a valid number.', 'IncorrectData'),
    };
  }
  if (docOverride?.type === 'TaxAmount') {
    const shares = allocate(
      docOverride.taxAmount!,
      computed.map((c) => c.tax!.tax),
      computed.map((c) => c.amount),
    );
    computed.forEach((c, i) => {
      c.override = { type: 'TaxAmount', taxAmount: shares[i]!, reason: docOverride.reason };
    });
  }
  const lines = computed.map(({ line, index, amount, tax: t, override }) => {
    const tax = t!;
    for (const text of tax.messages)
      if (!messages.some((x) => x.summary === text))
        messages.push({ summary: text, severity: 'Success', source: 'Avalara.AvaTax.Services.Tax' });
    const lineId = id * 100 + index;
    const finalTax = override?.type === 'TaxAmount' ? override.taxAmount! : tax.tax;
    const detailTaxes =
      finalTax === tax.tax
        ? tax.details.map((d) => d.tax)
        : allocate(
            finalTax,
            tax.details.map((d) => d.tax),
            tax.details.map((d) => d.taxableAmount),
          );
    return {
      id: lineId,
      transactionId: id,
      lineNumber: String(line.number ?? index + 1),
      itemCode: line.itemCode ?? '',
      description: line.description ?? '',
      quantity: line.quantity ?? 1,
      originAddressId,
      destinationAddressId,
      lineAmount: fromMinor(amount),
      discountAmount: 0,
      exemptAmount: fromMinor(tax.exempt),
      taxableAmount: fromMinor(tax.taxable),
      tax: fromMinor(finalTax),
      taxCalculated: fromMinor(tax.tax),
      taxCode: line.taxCode ?? 'P0000000',
      taxDate: override?.type === 'TaxDate' ? override.taxDate! : taxDate,
      taxOverrideType: override?.type ?? 'None',
      taxOverrideAmount: override?.type === 'TaxAmount' ? fromMinor(override.taxAmount!) : 0,
      taxOverrideReason: override?.reason ?? '',
      taxIncluded: false,
      isItemTaxable: tax.taxable !== 0,
      sourcing: 'Destination',
      details: tax.details.map((d, i) => ({
        id: id * 10_000 + index * 100 + i,
        transactionLineId: lineId,
        transactionId: id,
        addressId: destinationAddressId,
        country: d.country,
        region: d.region,
        jurisType: JURIS_CODE[d.jurisType] ?? d.jurisType,
        jurisCode: d.jurisCode,
        jurisName: d.jurisName,
        jurisdictionType: d.jurisType,
        taxType: d.taxType,
        taxName: d.taxName,
        rateTypeCode: d.rateTypeCode,
        rate: d.rate,
        tax: fromMinor(detailTaxes[i]!),
        taxCalculated: fromMinor(d.tax),
        taxableAmount: fromMinor(d.taxableAmount),
        nonTaxableAmount: 0,
        exemptAmount: 0,
      })),
      _minor: { amount, tax: finalTax, taxCalculated: tax.tax, taxable: tax.taxable, details: detailTaxes },
      _raw: tax.details,
    };
  });
  const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((s, l) => s + f(l), 0);
  const totalAmount = sum((l) => l._minor.amount);
  const totalTaxable = sum((l) => l._minor.taxable);
  const summary = new Map<
    string,
    {
      country: string;
      region: string;
      jurisType: string;
      jurisCode: string;
      jurisName: string;
      taxType: string;
      taxName: string;
      rate: number;
      taxable: number;
      tax: number;
      taxCalculated: number;
      rateTypeCode: string;
    }
  >();
  for (const l of lines) {
    l._raw.forEach((d, i) => {
      const key = `${d.jurisCode}|${d.taxType}|${d.rate}`;
      const s = summary.get(key) ?? {
        country: d.country,
        region: d.region,
        jurisType: d.jurisType,
        jurisCode: d.jurisCode,
        jurisName: d.jurisName,
        taxType: d.taxType,
        taxName: d.taxName,
        rate: d.rate,
        taxable: 0,
        tax: 0,
        taxCalculated: 0,
        rateTypeCode: d.rateTypeCode,
      };
      s.taxable += d.taxableAmount;
      s.tax += l._minor.details[i]!;
      s.taxCalculated += d.tax;
      summary.set(key, s);
    });
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
    exchangeRate,
    ...(typeof m.exchangeRateCurrencyCode === 'string'
      ? { exchangeRateCurrencyCode: m.exchangeRateCurrencyCode.toUpperCase() }
      : {}),
    exchangeRateEffectiveDate:
      typeof m.exchangeRateEffectiveDate === 'string' ? m.exchangeRateEffectiveDate.slice(0, 10) : date,
    customerCode: m.customerCode,
    ...(bin ? { businessIdentificationNo: bin } : {}), // AvaTax leaves out what is null
    ...(typeof m.referenceCode === 'string' && m.referenceCode ? { referenceCode: m.referenceCode } : {}),
    totalAmount: fromMinor(totalAmount),
    totalExempt: fromMinor(totalAmount - totalTaxable),
    totalDiscount: 0,
    totalTaxable: fromMinor(totalTaxable),
    totalTax: fromMinor(sum((l) => l._minor.tax)),
    totalTaxCalculated: fromMinor(sum((l) => l._minor.taxCalculated)),
    locked: false,
    version: 1,
    modifiedDate: new Date(now).toISOString(),
    taxOverrideType: docOverride?.type ?? 'None',
    taxOverrideAmount: docOverride?.type === 'TaxAmount' ? fromMinor(docOverride.taxAmount!) : 0,
    taxOverrideReason: docOverride?.reason ?? '',
    originAddressId,
    destinationAddressId,
    lines: lines.map(({ _minor, _raw, ...l }) => l),
    addresses:
      originAddressId === destinationAddressId
        ? [addressModel(originAddressId, id, shipTo)]
        : [addressModel(originAddressId, id, shipFrom), addressModel(destinationAddressId, id, shipTo)],
    summary: [...summary.values()].map((s) => ({
      country: s.country,
      region: s.region,
      jurisType: s.jurisType,
      jurisCode: s.jurisCode,
      jurisName: s.jurisName,
      taxType: s.taxType,
      taxName: s.taxName,
      rateTypeCode: s.rateTypeCode,
      rate: s.rate,
      taxable: fromMinor(s.taxable),
      tax: fromMinor(s.tax),
      taxCalculated: fromMinor(s.taxCalculated),
    })),
    messages,
    invoiceMessages: messages
      .filter((x) => /Article/.test(x.summary))
      .map((x) => ({ content: x.summary, lineNumbers: lines.map((l) => l.lineNumber) })),
  };
  return { ok: true, model };
}
