import { fromMinor, toMinor } from '../../shared/money.js';
import { avaError, incompleteAddress } from './avatax-errors.js';
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

export function validateModel(m: Record<string, unknown>): SandboxReply | undefined {
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
    return incompleteAddress('Address is missing or incomplete.', 'Addresses', 'InsufficientAddressError');
  }
  return undefined;
}

export function buildTransaction(
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
