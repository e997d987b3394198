import { documentCode, MAX_CODE_LENGTH } from '../../shared/document-code.js';
import type { VatLine } from '../../shared/domain.js';
import { type Minor, toMinor } from '../../shared/money.js';
import { type Reason, reason } from '../../shared/reasons.js';
import type { VismaDocument, VismaDocumentKind } from '../connectors/visma/types.js';

/**
 * A Visma document read into what the engine works with, checked at the edge: a document it cannot describe
 * (a reference AvaTax cannot take as a code, an amount out of range, no lines) is never half processed; it
 * carries its problems and ends in needs attention with them, and the run goes on.
 */
export interface ReadableLine {
  number: number;
  /** In the document's currency, signed as a sale (a discount line negative; a credit note's lines negated). */
  amount: Minor;
  quantity: number;
  itemCode?: string;
  description?: string;
  /** The line's Visma VAT category. */
  vatCategoryId?: string;
}

export interface ReadableDocument {
  key: string;
  kind: VismaDocumentKind;
  referenceNumber: string;
  code: string;
  status: string;
  released: boolean;
  voided: boolean;
  customerNumber: string;
  customerName: string;
  date: string;
  /** A credit note's original invoice date (its tax date). */
  origDate?: string;
  appliesToInvoice?: string;
  currency: string;
  exchangeRate?: number;
  /**
   * Gross and net in the document's currency. Every amount here is signed as a sale: Visma shows a credit note
   * positive (its type gives the sign), AvaTax and the month's sums want it negative. Converted back only where
   * something is written to Visma.
   */
  amount: Minor;
  netAmount?: Minor;
  lines: ReadableLine[];
  vatZoneId?: string;
  locationId?: string;
  /** The VAT Visma booked per VAT id, in the document's currency; undefined when the listing did not carry it. */
  booked?: VatLine[];
  bookedTotal: Minor;
  note?: string;
  timeStamp: string;
  lastModified: string;
}

/**
 * Visma's document statuses are its CashSaleStatusEnum (Pionect/visma-php-sdk `src/Enums`, from Visma's OpenAPI;
 * the same list in the legacy Swagger's CustomerInvoiceDto.status): Hold, Balanced, Voided, Scheduled, Open,
 * Closed, PendingPrint, PendingEmail, CreditHold, CcHold, Reserved. Released in Visma, its VAT can no longer
 * change: Open (accepts due dates only) and Closed (nothing).
 */
export const RELEASED = new Set(['Open', 'Closed']);
/**
 * Not released yet, so the VAT is set before Visma books it. Besides Hold and Balanced, the three statuses a
 * balanced document waits in before its release (Visma.net's customer-document workflow, inherited from the ERP it
 * is built on): PendingPrint and PendingEmail (the customer's documents must be printed or e-mailed first; the
 * invoice DTO's `dontPrint` / `dontEmail` flags switch that off) and CreditHold (the customer is over its credit
 * limit, as the customer's own `CreditHold` status says, until someone releases the hold). None of the stored
 * material states the meaning in words: docs/api-assumptions.md lists it, and the sandbox takes the stricter
 * reading (only a Balanced document can be released).
 */
export const UNRELEASED = new Set(['Hold', 'Balanced', 'PendingPrint', 'PendingEmail', 'CreditHold']);
/** A recurring-invoice template (`Scheduled`): never a sale, never sent to AvaTax nor written to. */
export const TEMPLATE = 'Scheduled';

/** AvaTax takes amounts as doubles; Visma's own fields stop well short of this (100 billion in any currency). */
const MAX_AMOUNT_MINOR = 10_000_000_000_000;

export function documentKey(doc: Pick<VismaDocument, 'kind' | 'referenceNumber'>): string {
  return `${doc.kind}:${doc.referenceNumber}`;
}

export function readDocument(
  doc: VismaDocument,
): { ok: true; doc: ReadableDocument } | { ok: false; problems: Reason[] } {
  const problems: Reason[] = [];
  const sign = doc.kind === 'credit-note' ? -1 : 1;
  const ref = doc.referenceNumber;
  let code = '';
  if (ref.trim() === '') problems.push(reason('document-no-number'));
  else if (ref !== ref.trim()) problems.push(reason('document-number-spaces', { number: ref, trimmed: ref.trim() }));
  else if (/\p{Cc}/u.test(ref)) problems.push(reason('document-number-control'));
  else {
    try {
      code = documentCode(doc.kind, ref);
    } catch {
      problems.push(reason('document-number-too-long', { length: ref.length, max: MAX_CODE_LENGTH }));
    }
  }
  const date = /^\d{4}-\d{2}-\d{2}/.exec(doc.documentDate)?.[0];
  if (!date || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    problems.push(reason('document-date-invalid', { date: doc.documentDate }));
  if (!/^[A-Z]{3}$/.test(doc.currency.trim().toUpperCase())) problems.push(reason('document-no-currency'));
  if (doc.lines.length === 0) problems.push(reason('document-no-lines'));
  const lines: ReadableLine[] = [];
  for (const l of doc.lines) {
    const raw = l.amountInCurrency ?? l.amount;
    if (raw === null || raw === undefined) {
      problems.push(reason('line-no-amount', { line: String(l.lineNumber) }));
      continue;
    }
    const amount = amountOf(raw);
    if (amount === undefined) {
      problems.push(reason('line-amount-unreadable', { line: String(l.lineNumber), amount: String(raw) }));
      continue;
    }
    lines.push({
      number: l.lineNumber,
      amount: sign * amount,
      quantity: Number.isFinite(l.quantity) ? Math.abs(l.quantity ?? 1) : 1,
      itemCode: l.inventoryNumber ?? undefined,
      description: l.description ?? undefined,
      vatCategoryId: l.vatCode?.id ?? undefined,
    });
  }
  if (new Set(doc.lines.map((l) => l.lineNumber)).size !== doc.lines.length) problems.push(reason('lines-same-number'));
  const amount = sign * (amountOf(doc.amount) ?? 0);
  const booked = doc.taxDetails === undefined ? undefined : bookedOf(doc, sign);
  if (booked === null) problems.push(reason('booked-unreadable'));
  else if (
    booked &&
    inBaseCurrency(doc, sign * booked.reduce((s, b) => s + b.vat, 0), sign * booked.reduce((s, b) => s + b.taxable, 0))
  )
    problems.push(reason('booked-in-base-currency', { currency: doc.currency }));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    doc: {
      key: documentKey(doc),
      kind: doc.kind,
      referenceNumber: ref,
      code,
      status: doc.status,
      released: RELEASED.has(doc.status),
      voided: doc.status === 'Voided',
      customerNumber: doc.customerNumber,
      customerName: doc.customerName,
      date: date!,
      origDate: /^\d{4}-\d{2}-\d{2}/.exec(doc.origInvoiceDate ?? '')?.[0],
      appliesToInvoice: doc.appliesToInvoice,
      currency: doc.currency.trim().toUpperCase(),
      exchangeRate: doc.exchangeRate && doc.exchangeRate > 0 ? doc.exchangeRate : undefined,
      amount,
      netAmount: doc.netAmount === undefined ? undefined : sign * (amountOf(doc.netAmount) ?? 0),
      lines,
      vatZoneId: doc.vatZoneId,
      locationId: doc.location?.id,
      booked: booked ?? undefined,
      bookedTotal: booked ? booked.reduce((s, b) => s + b.vat, 0) : sign * (amountOf(doc.vatTotal) ?? 0),
      note: doc.note,
      timeStamp: doc.timeStamp,
      lastModified: doc.lastModifiedDateTime,
    },
  };
}

/**
 * Visma's tax details per VAT id (a VAT id listed twice is added up), signed as a sale; null when an amount is
 * unreadable.
 */
export function bookedOf(doc: Pick<VismaDocument, 'taxDetails'>, sign: 1 | -1): VatLine[] | null {
  const byId = new Map<string, VatLine>();
  for (const t of doc.taxDetails ?? []) {
    const vatId = t.taxId ?? t.vatId?.number;
    if (!vatId) continue;
    const taxable = amountOf(t.taxableAmount ?? 0);
    const vat = amountOf(t.vatAmount ?? 0);
    if (taxable === undefined || vat === undefined) return null;
    const line = byId.get(vatId) ?? { vatId, taxable: 0, vat: 0, rate: t.vatRate ?? undefined };
    line.taxable += sign * taxable;
    line.vat += sign * vat;
    byId.set(vatId, line);
  }
  return [...byId.values()].sort((a, b) => a.vatId.localeCompare(b.vatId));
}

/**
 * The details add up to the base-currency totals and not the document-currency ones (a foreign-currency
 * document): by their VAT, or, when the VAT is zero, by their taxable amounts.
 */
function inBaseCurrency(doc: VismaDocument, vat: Minor, taxable: Minor): boolean {
  // Each detail converted on its own may round a minor unit away from the converted total.
  const slack = (doc.taxDetails?.length ?? 0) + 1;
  const matchesBase = (sum: Minor, inCurrency: number | undefined, base: number | undefined) => {
    const c = inCurrency === undefined ? undefined : amountOf(inCurrency);
    const b = base === undefined ? undefined : amountOf(base);
    if (b === undefined || c === undefined || Math.abs(b - c) <= 2 * slack) return false;
    return Math.abs(Math.abs(sum) - Math.abs(b)) <= slack && Math.abs(Math.abs(sum) - Math.abs(c)) > slack;
  };
  return (
    matchesBase(vat, doc.vatTotal, doc.vatTotalBase) ||
    (vat === 0 && matchesBase(taxable, doc.netAmount, doc.netAmountBase))
  );
}

function amountOf(value: number | string): Minor | undefined {
  try {
    const minor = toMinor(value);
    return Math.abs(minor) < MAX_AMOUNT_MINOR ? minor : undefined;
  } catch {
    return undefined;
  }
}
