import type { VatLine } from '../../shared/domain.js';
import { type Minor, taxOn, toMinor } from '../../shared/money.js';
import type { DocumentSide, MonthVatLine } from '../../shared/month.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import { type CheckedRow, mapTransaction } from '../engine/vat-mapping.js';
import { type ReadableDocument, readDocument } from '../engine/visma-document.js';

/**
 * The two sides of a month's document in one shape: what Visma booked (its tax details per VAT id) and what
 * AvaTax recorded (its lines mapped to Visma VAT ids through the same mapping the sync uses). Amounts signed as
 * sales, in the document's currency; base-currency figures use Visma's exchange rate for both sides, so a
 * difference is never one of conversion.
 */

/** AvaTax reports a document once it is committed (Locked: committed and filed). */
export const REPORTED_AVATAX = new Set(['Committed', 'Locked']);
/** Not reported, and never will be: voided or cancelled. */
export const DEAD_AVATAX = new Set(['Cancelled', 'Voided', 'Adjusted', 'DocVoided', 'DocDeleted']);

/** Base-currency amount at Visma's rate (base = document currency × rate), rounded half away from zero. */
export function toBase(minor: Minor, rate: number | undefined): Minor | undefined {
  return rate === undefined ? undefined : taxOn(minor, rate);
}

function withBase(lines: readonly VatLine[], rate: number | undefined): MonthVatLine[] {
  return lines.map((l) => ({ ...l, taxableBase: toBase(l.taxable, rate), vatBase: toBase(l.vat, rate) }));
}

function sumOf(values: (Minor | undefined)[]): Minor | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  return (values as Minor[]).reduce((s, v) => s + v, 0);
}

export interface VismaSideResult {
  side?: DocumentSide;
  doc?: ReadableDocument;
  problems: string[];
}

/** The exchange rate to use for a document: Visma's, or 1 when it is in the base currency. */
export function rateFor(currency: string, exchangeRate: number | undefined, baseCurrency?: string): number | undefined {
  if (exchangeRate !== undefined && exchangeRate > 0) return exchangeRate;
  if (baseCurrency && currency.toUpperCase() === baseCurrency.toUpperCase()) return 1;
  return undefined;
}

export function vismaSide(raw: VismaDocument, released: ReadonlySet<string>, baseCurrency?: string): VismaSideResult {
  const read = readDocument(raw);
  if (!read.ok) return { problems: read.problems };
  const doc = read.doc;
  const rate = rateFor(doc.currency, doc.exchangeRate, baseCurrency);
  const lines = withBase(doc.booked ?? [], rate);
  const net = doc.netAmount ?? doc.lines.reduce((s, l) => s + l.amount, 0);
  const vat = doc.bookedTotal;
  const problems: string[] = [];
  if (doc.booked === undefined) problems.push('Visma sent it without its tax details');
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
      netBase: toBase(net, rate),
      vatBase: sumOf(lines.map((l) => l.vatBase)) ?? toBase(vat, rate),
      grossBase: sumOf([toBase(net, rate), sumOf(lines.map((l) => l.vatBase)) ?? toBase(vat, rate)]),
      lines,
      reported: released.has(doc.status),
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
  problems: string[];
}

export function avataxSide(
  tx: TransactionModel,
  mapping: readonly CheckedRow[],
  country: string | undefined,
  rate: number | undefined,
): AvaTaxSideResult {
  const problems: string[] = [];
  let lines: VatLine[] = [];
  const where = country ?? destinationCountry(tx);
  if (!where) problems.push('AvaTax does not say where it was shipped to');
  else {
    const mapped = mapTransaction(tx, mapping, where);
    problems.push(...mapped.problems);
    lines = mapped.recorded;
  }
  const net = safeMinor(tx.totalAmount);
  const vat = safeMinor(tx.totalTax);
  const calculated = tx.totalTaxCalculated == null ? undefined : safeMinor(tx.totalTaxCalculated);
  const withRates = withBase(lines, rate);
  return {
    problems,
    side: {
      status: tx.status,
      date: tx.date.slice(0, 10),
      currency: (tx.currencyCode ?? '').toUpperCase(),
      net,
      vat,
      gross: net + vat,
      netBase: toBase(net, rate),
      vatBase: lines.length > 0 ? sumOf(withRates.map((l) => l.vatBase)) : toBase(vat, rate),
      grossBase: sumOf([
        toBase(net, rate),
        lines.length > 0 ? sumOf(withRates.map((l) => l.vatBase)) : toBase(vat, rate),
      ]),
      lines: withRates,
      ...(calculated !== undefined && calculated !== vat ? { calculatedVat: calculated } : {}),
      vatNumber: tx.businessIdentificationNo ?? undefined,
      reported: REPORTED_AVATAX.has(tx.status),
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
