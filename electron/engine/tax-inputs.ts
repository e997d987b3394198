import { createHash } from 'node:crypto';
import type { ShipTo } from '../../shared/domain.js';
import { fromMinor, type Minor, toMinor } from '../../shared/money.js';
import { day, type Reason, reason, reasons } from '../../shared/reasons.js';
import type { Settings } from '../../shared/settings.js';
import {
  type CreateTransactionModel,
  createTransactionSchema,
  type TransactionModel,
} from '../connectors/avatax/types.js';
import type { ReadableDocument } from './visma-document.js';

/**
 * One value for what decides a document's tax: it feeds the fingerprint (has anything changed since we last
 * looked?), the AvaTax model we send, and the comparison with a transaction AvaTax already holds. Amounts are
 * signed as sales, as AvaTax wants them: a credit note's lines negated as they are, every line keeping its own
 * sign.
 */
export interface TaxLine {
  number: string;
  amount: Minor;
  quantity: number;
  taxCode: string;
  itemCode?: string;
  description?: string;
}

export interface TaxInputs {
  type: 'SalesInvoice' | 'ReturnInvoice';
  code: string;
  companyCode: string;
  date: string;
  /** The date tax is reckoned at: a credit note's original invoice date. */
  taxDate?: string;
  /** The invoice a credit note names (Visma's applications), for the return's reference in AvaTax. */
  invoiceReference?: string;
  customerCode: string;
  currency: string;
  /** The buyer's VAT number (B2B), with its country prefix. */
  vatNumber?: string;
  shipFrom: ShipTo;
  shipTo: ShipTo;
  lines: TaxLine[];
  /**
   * Visma's rate from the document's currency to the company's base currency, when they differ: AvaTax reports
   * the tax in the base currency at it, and without it converts at 1.0. Not a tax input (not in the fingerprint):
   * a transaction made before rates were sent is still the same document, and the reconciliation names a rate
   * that differs.
   */
  exchange?: { rate: number; currency: string };
}

/** What a credit note takes from the invoice it names, as the ledger recorded that invoice. */
export interface OriginalInvoice {
  date: string;
  vatNumber?: string;
  /** The invoice's lines as AvaTax recorded them: line number, item code ('' for none) and tax code. */
  lines?: readonly { lineNumber: number; itemCode?: string; taxCode?: string }[];
}

export function taxInputsOf(
  doc: ReadableDocument,
  shipTo: ShipTo,
  vatNumber: string | undefined,
  settings: Settings,
  /** A credit note that names its invoice takes that invoice's tax date, buyer VAT number and tax codes. */
  original?: OriginalInvoice,
): TaxInputs {
  const credit = doc.kind === 'credit-note';
  return {
    type: doc.kind === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice',
    code: doc.code,
    companyCode: settings.avalara.companyCode,
    date: doc.date,
    taxDate: credit ? (original?.date ?? doc.origDate ?? doc.date) : undefined,
    invoiceReference: credit ? doc.appliesToInvoice : undefined,
    customerCode: doc.customerNumber,
    currency: doc.currency,
    vatNumber: credit ? (original?.vatNumber ?? vatNumber) : vatNumber,
    ...exchangeOf(doc, settings.company.baseCurrency),
    shipFrom: { ...settings.company.shipFrom },
    shipTo,
    lines: doc.lines.map((l) => ({
      number: String(l.number),
      amount: l.amount,
      quantity: l.quantity,
      taxCode:
        (credit && original ? invoiceTaxCode(l, original) : undefined) ??
        ((l.itemCode && settings.itemTaxCodes[l.itemCode]) || settings.defaultTaxCode),
      itemCode: l.itemCode ? l.itemCode.slice(0, 50) : undefined,
      description: l.description ? l.description.slice(0, 2096) : undefined,
    })),
  };
}

/** Visma's rate, when the document is not in the base currency (and both are known). */
function exchangeOf(
  doc: Pick<ReadableDocument, 'currency' | 'exchangeRate'>,
  baseCurrency: string | undefined,
): Pick<TaxInputs, 'exchange'> {
  if (!baseCurrency || doc.currency.toUpperCase() === baseCurrency.toUpperCase()) return {};
  if (doc.exchangeRate === undefined || !(doc.exchangeRate > 0)) return {};
  return { exchange: { rate: doc.exchangeRate, currency: baseCurrency.toUpperCase() } };
}

/**
 * What a credit note is taxed on when it names no invoice the ledger knows (Visma's `applications`, asked for with
 * `expandApplications=true`, are empty, or name an invoice this app never recorded): the tax date is the credit
 * note's own `origInvoiceDate` (Visma's date of the original invoice), else its document date; the buyer VAT number
 * is the customer's (or location's) current one; the tax codes are the ones in Settings. Said as a reason for the
 * audit trail; undefined for an invoice, or a credit note whose invoice is known.
 */
export function creditNoteFallback(
  doc: Pick<ReadableDocument, 'kind' | 'appliesToInvoice' | 'origDate' | 'date'>,
  original: OriginalInvoice | undefined,
): Reason | undefined {
  if (doc.kind !== 'credit-note' || original) return undefined;
  const named = doc.appliesToInvoice
    ? reason('credit-note-names-unknown-invoice', { invoice: doc.appliesToInvoice })
    : reason('credit-note-names-no-invoice');
  const date = doc.origDate
    ? reason('credit-note-tax-date-original', { date: day(doc.origDate) })
    : reason('credit-note-tax-date-own', { date: day(doc.date) });
  return reason('credit-note-basis', { named: reasons([named]), date: reasons([date]) });
}

/**
 * The tax code a credit note's line takes from the invoice it credits, so the return is taxed as the sale was
 * (the item's tax code in Settings may have changed since):
 * - a line with an item code takes the tax code of the invoice's lines with the same item code; if those lines
 *   carry different tax codes, the one with the same line number decides, and without one nothing is taken;
 * - a line without an item code takes the tax code of the invoice line with the same line number, when that
 *   line had no item code either;
 * - otherwise (no matching line, or an invoice recorded before item codes were kept) Settings decide.
 */
export function invoiceTaxCode(
  line: { number: number; itemCode?: string },
  original: OriginalInvoice,
): string | undefined {
  const lines = (original.lines ?? []).filter((l) => l.taxCode);
  const item = norm(line.itemCode);
  if (item) {
    const same = lines.filter((l) => l.itemCode !== undefined && norm(l.itemCode) === item);
    const codes = new Set(same.map((l) => l.taxCode));
    if (codes.size === 1) return same[0]!.taxCode;
    return same.find((l) => l.lineNumber === line.number)?.taxCode;
  }
  return lines.find((l) => l.lineNumber === line.number && l.itemCode === '')?.taxCode;
}

function norm(code: string | undefined): string {
  return (code ?? '').trim().toUpperCase();
}

/**
 * Line numbers in numeric order ('2' before '10'). One collator for every comparison: localeCompare with a locale
 * and options builds one on each call, which cost 2 % of a no-change sync's CPU (the same order either way).
 */
const LINE_ORDER = new Intl.Collator('en', { numeric: true });

/** What two sets of tax inputs must share to be the same: the part AvaTax echoes back, normalised. */
function comparable(inputs: Omit<TaxInputs, 'companyCode' | 'shipFrom'> & { shipFrom?: ShipTo }) {
  return {
    type: inputs.type,
    date: inputs.date,
    taxDate: inputs.taxDate ?? inputs.date,
    customer: inputs.customerCode,
    currency: inputs.currency.toUpperCase(),
    vat: inputs.vatNumber ?? '',
    shipTo: place(inputs.shipTo),
    lines: inputs.lines
      .map((l) => [l.number, l.amount, l.taxCode.toUpperCase(), (l.itemCode ?? '').toUpperCase()])
      .sort((a, b) => LINE_ORDER.compare(String(a[0]), String(b[0]))),
  };
}

function place(a: ShipTo): string[] {
  const norm = (s: string | undefined) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toUpperCase();
  return [norm(a.line1), norm(a.city), norm(a.region), norm(a.postalCode).replace(/\s/g, ''), norm(a.country)];
}

/** A SHA-256 of the comparable inputs plus the ship-from: changes when, and only when, the tax could. */
export function fingerprint(inputs: TaxInputs): string {
  return createHash('sha256')
    .update(JSON.stringify([comparable(inputs), place(inputs.shipFrom)]))
    .digest('hex')
    .slice(0, 32);
}

/** Whether a transaction AvaTax already holds was made from these inputs (same comparison as the fingerprint). */
export function sameInputs(inputs: TaxInputs, tx: TransactionModel): boolean {
  const fromTx = inputsOfTransaction(tx);
  return fromTx !== undefined && JSON.stringify(comparable(inputs)) === JSON.stringify(comparable(fromTx));
}

/** The inputs a transaction was made from, as far as AvaTax tells (undefined when it does not say enough). */
export function inputsOfTransaction(tx: TransactionModel): Omit<TaxInputs, 'companyCode' | 'shipFrom'> | undefined {
  const addresses = tx.addresses ?? [];
  const shipTo = addresses.find((a) => a.id != null && a.id === tx.destinationAddressId) ?? addresses.at(-1);
  if (!shipTo) return undefined;
  try {
    return {
      type: tx.type === 'ReturnInvoice' ? 'ReturnInvoice' : 'SalesInvoice',
      code: tx.code,
      date: tx.date.slice(0, 10),
      taxDate: taxDateInReference(tx.referenceCode) ?? tx.taxDate?.slice(0, 10) ?? tx.date.slice(0, 10),
      customerCode: tx.customerCode ?? '',
      currency: tx.currencyCode ?? '',
      vatNumber: tx.businessIdentificationNo ?? undefined,
      shipTo: {
        line1: shipTo.line1 ?? '',
        city: shipTo.city ?? '',
        region: shipTo.region ?? undefined,
        postalCode: shipTo.postalCode ?? '',
        country: shipTo.country ?? '',
      },
      lines: (tx.lines ?? []).map((l) => ({
        number: l.lineNumber,
        amount: toMinor(l.lineAmount ?? 0),
        quantity: l.quantity ?? 0,
        taxCode: l.taxCode ?? '',
        itemCode: l.itemCode ?? undefined,
      })),
    };
  } catch {
    return undefined;
  }
}

/**
 * A return's reference to its original document (`referenceCode`, "could be used to reference the original
 * document for a return invoice" in AvaTax's model): the invoice it names and the tax date it is reckoned at. It
 * keeps the invoice's tax date on the record where AvaTax takes no TaxDate override (beside line overrides).
 */
export function returnReference(inputs: Pick<TaxInputs, 'invoiceReference' | 'taxDate'>): string | undefined {
  if (!inputs.taxDate) return undefined;
  return `${inputs.invoiceReference ? `Return of invoice ${inputs.invoiceReference}` : 'Return'} (tax date ${inputs.taxDate})`;
}

function taxDateInReference(reference: string | null | undefined): string | undefined {
  return /\(tax date (\d{4}-\d{2}-\d{2})\)$/.exec(reference ?? '')?.[1];
}

/**
 * The CreateTransactionModel, validated against AvaTax's field limits. `recordBooked` records the VAT Visma
 * booked instead of AvaTax's figure: a TaxAmount override per line, while AvaTax still reports its own. Avalara
 * states that a transaction cannot carry a transaction-level override and line-level ones at once, so a recorded
 * credit note carries no TaxDate override: its invoice's tax date stays in the return's reference
 * (`returnReference`), and only its calculation (no line overrides) is reckoned at that date.
 */
export function transactionModel(
  inputs: TaxInputs,
  options: {
    commit: boolean;
    recordBooked?: Map<string, Minor>;
    reason?: string;
    /** A dry run: the same document as an estimate (`SalesOrder`, a credit note `ReturnOrder`), never recorded. */
    estimate?: boolean;
  },
): { model?: CreateTransactionModel; problems: Reason[] } {
  const model: CreateTransactionModel = {
    type: options.estimate ? (inputs.type === 'ReturnInvoice' ? 'ReturnOrder' : 'SalesOrder') : inputs.type,
    code: inputs.code,
    companyCode: inputs.companyCode,
    date: inputs.date,
    customerCode: inputs.customerCode,
    currencyCode: inputs.currency,
    businessIdentificationNo: inputs.vatNumber,
    // "Currency exchange rate from this transaction to the company base currency … It defaults to 1.0"
    // (CreateTransactionModel, AvaTax REST v2 19.6 / 21.12 swagger): Visma's rate on the document date.
    ...(inputs.exchange
      ? {
          exchangeRate: inputs.exchange.rate,
          exchangeRateCurrencyCode: inputs.exchange.currency,
          exchangeRateEffectiveDate: inputs.date,
        }
      : {}),
    commit: options.estimate ? false : options.commit,
    addresses: { shipFrom: { ...inputs.shipFrom }, shipTo: { ...inputs.shipTo } },
    lines: inputs.lines.map((l) => {
      const booked = options.recordBooked?.get(l.number);
      return {
        number: l.number,
        quantity: l.quantity,
        amount: fromMinor(l.amount),
        taxCode: l.taxCode,
        itemCode: l.itemCode,
        description: l.description,
        ...(booked === undefined
          ? {}
          : {
              taxOverride: {
                type: 'TaxAmount' as const,
                taxAmount: fromMinor(booked),
                reason: options.reason ?? 'VAT booked in Visma.net',
              },
            }),
      };
    }),
    ...(inputs.taxDate && !options.recordBooked
      ? { taxOverride: { type: 'TaxDate' as const, taxDate: inputs.taxDate, reason: 'Return' } }
      : {}),
    ...(returnReference(inputs) ? { referenceCode: returnReference(inputs) } : {}),
  };
  const parsed = createTransactionSchema.safeParse(model);
  if (!parsed.success)
    return {
      // Our schema of AvaTax's model: its field and its check, quoted inside our words.
      problems: parsed.error.issues.map((i) =>
        reason('avatax-would-refuse', { field: i.path.join('.'), message: i.message }),
      ),
    };
  return { model: parsed.data, problems: [] };
}
