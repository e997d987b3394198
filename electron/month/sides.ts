import type { VatLine } from '../../shared/domain.js';
import { type Minor, toBase, toMinor } from '../../shared/money.js';
import type { DocumentSide, MonthVatLine } from '../../shared/month.js';
import { type Reason, reason } from '../../shared/reasons.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import { type CheckedRow, mapTransaction } from '../engine/vat-mapping.js';
import { type ReadableDocument, readDocument } from '../engine/visma-document.js';

/**
 * The two sides of a month's document in one shape: what Visma booked (its tax details per VAT id) and what
 * AvaTax recorded (its lines mapped to Visma VAT ids through the same mapping the sync uses). Amounts signed as
 * sales, in the document's currency; base-currency figures use each side's own exchange rate (Visma's on the
 * document, AvaTax's as it holds it), so a liability AvaTax converts at another rate shows as a difference.
 */

/** AvaTax reports a document once it is committed (Locked: committed and filed). */
export const REPORTED_AVATAX = new Set(['Committed', 'Locked']);
/** Not reported, and never will be: voided or cancelled. */
export const DEAD_AVATAX = new Set(['Cancelled', 'Voided', 'Adjusted', 'DocVoided', 'DocDeleted']);

/** Base-currency amount at a side's own rate, by the one rule (`toBase`, shared/money.ts). */
export function baseOf(minor: Minor, rate: number | undefined): Minor | undefined {
  return rate === undefined ? undefined : toBase(minor, rate);
}

function withBase(lines: readonly VatLine[], rate: number | undefined): MonthVatLine[] {
  return lines.map((l) => ({ ...l, taxableBase: baseOf(l.taxable, rate), vatBase: baseOf(l.vat, rate) }));
}

function sumOf(values: (Minor | undefined)[]): Minor | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  return (values as Minor[]).reduce((s, v) => s + v, 0);
}

/** Net, VAT and gross in base currency: the VAT per VAT id converted on its own, then summed. */
function baseFigures(net: Minor, vat: Minor, lines: readonly MonthVatLine[], rate: number | undefined) {
  const vatBase = lines.length > 0 ? sumOf(lines.map((l) => l.vatBase)) : baseOf(vat, rate);
  const netBase = baseOf(net, rate);
  return { netBase, vatBase, grossBase: sumOf([netBase, vatBase]) };
}

export interface VismaSideResult {
  side?: DocumentSide;
  doc?: ReadableDocument;
  problems: Reason[];
}

/** The exchange rate to use for a document: Visma's, or 1 when it is in the base currency. */
export function rateFor(currency: string, exchangeRate: number | undefined, baseCurrency?: string): number | undefined {
  if (exchangeRate !== undefined && exchangeRate > 0) return exchangeRate;
  if (baseCurrency && currency.toUpperCase() === baseCurrency.toUpperCase()) return 1;
  return undefined;
}

export function vismaSide(
  raw: VismaDocument,
  released: ReadonlySet<string>,
  baseCurrency: string | undefined,
  inMonth: (date: string) => boolean,
): VismaSideResult {
  const read = readDocument(raw);
  if (!read.ok) return { problems: read.problems };
  const doc = read.doc;
  const rate = rateFor(doc.currency, doc.exchangeRate, baseCurrency);
  const lines = withBase(doc.booked ?? [], rate);
  const net = doc.netAmount ?? doc.lines.reduce((s, l) => s + l.amount, 0);
  const vat = doc.bookedTotal;
  const problems: Reason[] = [];
  if (doc.booked === undefined) problems.push(reason('visma-no-tax-details'));
  return {
    doc,
    problems,
    side: {
      status: doc.status,
      date: doc.date,
      currency: doc.currency,
      net,
      vat,
      gross: net + vat,
      ...(rate !== undefined ? { exchangeRate: rate } : {}),
      ...baseFigures(net, vat, lines, rate),
      lines,
      reported: released.has(doc.status),
      inMonth: inMonth(doc.date),
    },
  };
}

/** The ship-to country AvaTax taxed the document at (its destination address). */
export function destinationCountry(tx: TransactionModel): string | undefined {
  const addresses = tx.addresses ?? [];
  const shipTo = addresses.find((a) => a.id != null && a.id === tx.destinationAddressId) ?? addresses.at(-1);
  return shipTo?.country?.toUpperCase() || undefined;
}

export interface AvaTaxSideResult {
  side: DocumentSide;
  problems: Reason[];
}

/**
 * AvaTax's exchange rate for a transaction: the rate it holds, or 1.0 when it was sent none ("It defaults to 1.0",
 * AvaTax's CreateTransactionModel.exchangeRate, AvaTax REST v2 swagger 19.6).
 */
export function avataxRate(tx: TransactionModel): number {
  const rate = (tx as { exchangeRate?: unknown }).exchangeRate;
  return typeof rate === 'number' && Number.isFinite(rate) && rate > 0 ? rate : 1;
}

export function avataxSide(
  tx: TransactionModel,
  mapping: readonly CheckedRow[],
  country: string | undefined,
  inMonth: (date: string) => boolean,
): AvaTaxSideResult {
  const problems: Reason[] = [];
  let recorded: VatLine[] = [];
  let calculatedLines: VatLine[] = [];
  let overridden = false;
  const where = country ?? destinationCountry(tx);
  if (!where) problems.push(reason('avatax-no-ship-to'));
  else {
    const mapped = mapTransaction(tx, mapping, where);
    problems.push(...mapped.problems);
    recorded = mapped.recorded;
    calculatedLines = mapped.calculated;
    overridden = mapped.overridden;
  }
  const net = safeMinor(tx.totalAmount);
  const vat = safeMinor(tx.totalTax);
  const calculated = tx.totalTaxCalculated == null ? undefined : safeMinor(tx.totalTaxCalculated);
  const rate = avataxRate(tx);
  const lines = withBase(recorded, rate);
  const date = tx.date.slice(0, 10);
  return {
    problems,
    side: {
      status: tx.status,
      date,
      currency: (tx.currencyCode ?? '').toUpperCase(),
      net,
      vat,
      gross: net + vat,
      exchangeRate: rate,
      ...baseFigures(net, vat, lines, rate),
      lines,
      calculated: withBase(calculatedLines, rate),
      ...(calculated !== undefined && calculated !== vat ? { calculatedVat: calculated } : {}),
      ...(overridden ? { overridden: true } : {}),
      vatNumber: tx.businessIdentificationNo ?? undefined,
      reported: REPORTED_AVATAX.has(tx.status),
      inMonth: inMonth(date),
    },
  };
}

function safeMinor(value: number | null | undefined): Minor {
  try {
    return toMinor(value ?? 0);
  } catch {
    return 0;
  }
}
