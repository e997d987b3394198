import type { DocumentRow } from './ipc-channels.js';
import { type Minor, toBase, toMinor } from './money.js';
import { formatReason } from './reason-format.js';

/**
 * The Transactions grid's view of the documents, the same in the renderer and in main: how rows sort by a
 * column, and what the filtered rows add up to. Export the current view writes exactly the rows in the order
 * the grid shows, because both sides sort with this function.
 */

export const SORT_COLUMNS = ['date', 'ref', 'type', 'customer', 'country', 'amount', 'tax', 'state', 'reason'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';
export interface DocumentSort {
  column: SortColumn;
  direction: SortDirection;
}

/** Newest first, as the grid opens. */
export const DEFAULT_SORT: DocumentSort = { column: 'date', direction: 'desc' };

const text = (a: string, b: string) => a.localeCompare(b, 'sv', { numeric: true, sensitivity: 'base' });

/**
 * Sorts a copy. A document without tax yet (null) sorts after every amount, whichever the direction. Reasons sort
 * by their words in `locale` (the grid's language, or the export's), as the reader sees them.
 */
export function sortRows(
  rows: readonly DocumentRow[],
  sort: DocumentSort = DEFAULT_SORT,
  locale = 'en',
): DocumentRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const words = new Map<DocumentRow, string>();
  const reasonOf = (r: DocumentRow) => {
    const known = words.get(r);
    if (known !== undefined) return known;
    const w = r.reason === undefined ? '' : formatReason(r.reason, locale);
    words.set(r, w);
    return w;
  };
  const by = (a: DocumentRow, b: DocumentRow): number => {
    switch (sort.column) {
      case 'date':
        return a.documentDate.localeCompare(b.documentDate);
      case 'ref':
        return text(a.referenceNumber, b.referenceNumber);
      case 'type':
        return a.documentType.localeCompare(b.documentType);
      case 'customer':
        return text(a.customerName, b.customerName);
      case 'country':
        return a.country.localeCompare(b.country);
      case 'amount':
        return a.currency === b.currency ? a.amount - b.amount : a.currency.localeCompare(b.currency);
      case 'tax':
        return a.currency === b.currency ? (a.totalTax ?? 0) - (b.totalTax ?? 0) : a.currency.localeCompare(b.currency);
      case 'state':
        return a.state.localeCompare(b.state);
      case 'reason':
        return text(reasonOf(a), reasonOf(b));
    }
  };
  return [...rows].sort((a, b) => {
    if (sort.column === 'tax' && (a.totalTax === null) !== (b.totalTax === null)) return a.totalTax === null ? 1 : -1;
    // Ties keep the grid's usual order: newest document, highest number first.
    return (
      sign * by(a, b) || b.documentDate.localeCompare(a.documentDate) || text(b.referenceNumber, a.referenceNumber)
    );
  });
}

/**
 * One currency's sums, in minor units. `withoutTax`: documents with no tax recorded yet (not counted as zero);
 * `bookedWithoutTax`: the VAT Visma booked on those of them it has booked (a variance in needs attention): said
 * beside the total, never added to it.
 */
export interface CurrencyTotal {
  currency: string;
  documents: number;
  amount: Minor;
  tax: Minor;
  withoutTax: number;
  bookedWithoutTax: Minor;
  /** How many of the `withoutTax` documents Visma has booked VAT on (0.00 included): what `bookedWithoutTax` sums. */
  bookedCount: number;
}

export interface ViewTotals {
  byCurrency: CurrencyTotal[];
  /**
   * In the company's base currency, when it is known: each document at Visma's exchange rate by the one rule
   * (shared/money.ts `toBase`; the VAT per VAT id, as month-end and the documents CSV count it).
   */
  base?: CurrencyTotal & { withoutRate: number };
}

/**
 * The filtered rows' totals per currency, and in the base currency where every document's rate is known: a
 * document in the base currency counts at 1, one without Visma's rate is left out and counted in `withoutRate`.
 */
export function totalsOf(rows: readonly DocumentRow[], baseCurrency?: string): ViewTotals {
  const map = new Map<string, CurrencyTotal>();
  const base = baseCurrency
    ? {
        currency: baseCurrency,
        documents: 0,
        amount: 0,
        tax: 0,
        withoutTax: 0,
        bookedWithoutTax: 0,
        bookedCount: 0,
        withoutRate: 0,
      }
    : undefined;
  for (const r of rows) {
    const t = map.get(r.currency) ?? {
      currency: r.currency,
      documents: 0,
      amount: 0,
      tax: 0,
      withoutTax: 0,
      bookedWithoutTax: 0,
      bookedCount: 0,
    };
    const amount = toMinor(r.amount);
    const tax = r.totalTax === null ? undefined : toMinor(r.totalTax);
    const booked = tax === undefined && r.bookedTax !== null ? toMinor(r.bookedTax) : 0;
    const hasBooked = tax === undefined && r.bookedTax !== null ? 1 : 0;
    t.documents++;
    t.amount += amount;
    if (tax === undefined) {
      t.withoutTax++;
      t.bookedWithoutTax += booked;
      t.bookedCount += hasBooked;
    } else t.tax += tax;
    map.set(r.currency, t);
    if (base) {
      const rate = r.currency === base.currency ? 1 : r.exchangeRate;
      if (rate === undefined) {
        base.withoutRate++;
        continue;
      }
      base.documents++;
      base.amount += toBase(amount, rate);
      if (tax === undefined) {
        base.withoutTax++;
        base.bookedWithoutTax += toBase(booked, rate);
        base.bookedCount += hasBooked;
      } else
        base.tax += r.taxBase !== undefined && r.currency !== base.currency ? toMinor(r.taxBase) : toBase(tax, rate);
    }
  }
  const byCurrency = [...map.values()].sort(
    (a, b) => b.documents - a.documents || a.currency.localeCompare(b.currency),
  );
  return base ? { byCurrency, base } : { byCurrency };
}
