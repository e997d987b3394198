import type { LineResult, VatLine } from '../../shared/domain.js';
import { type Minor, rateKey, toMinor } from '../../shared/money.js';
import { money, type Reason, rate as rateValue, reason, reasons } from '../../shared/reasons.js';
import type { VatMappingRow } from '../../shared/settings.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VatBook } from './vat-book.js';

/** AvaTax's result for a document, mapped line by line to Visma's VAT zone, category and VAT id. */
export interface MappedTransaction {
  lines: LineResult[];
  /** What AvaTax recorded per VAT id, and what it calculated itself, signed as sales (credit notes negative). */
  recorded: VatLine[];
  calculated: VatLine[];
  recordedTax: Minor;
  calculatedTax: Minor;
  /** The VAT zone the mapping asks for (one per document), when any row names one. */
  vatZoneId?: string;
  /** It records a tax calculated elsewhere (TaxAmount overrides): the VAT Visma booked. */
  overridden: boolean;
  problems: Reason[];
}

/** A row and, when Visma's VAT data refuses it, why: a refused row never maps a line. */
export interface CheckedRow extends VatMappingRow {
  index: number;
  refused?: Reason;
}

/**
 * Maps AvaTax's lines (by line number) through the mapping rows. A line's taxing country and rate come from its
 * details (the rates of the details that carry tax; all of them on a zero-rated line); an Output/Input pair is a
 * reverse charge and maps as one line. The most specific matching row wins; an unmapped line is a problem,
 * never a guess. AvaTax's amounts are used as they are: never recomputed from a rate.
 */
export function mapTransaction(
  tx: TransactionModel,
  rows: readonly CheckedRow[],
  shipToCountry: string,
): MappedTransaction {
  const problems: Reason[] = [];
  const country = shipToCountry.toUpperCase();
  const zones = new Set<string>();
  const lines: LineResult[] = (tx.lines ?? []).map((l) => {
    const details = l.details ?? [];
    const reverseCharge = details.some((d) => d.taxType === 'Output') && details.some((d) => d.taxType === 'Input');
    const taxed = details.filter((d) => (d.tax ?? 0) !== 0 && (!reverseCharge || d.taxType === 'Output'));
    const counted = reverseCharge ? details.filter((d) => d.taxType === 'Output') : taxed.length > 0 ? taxed : details;
    const rate = Math.round(counted.reduce((s, d) => s + (d.rate ?? 0), 0) * 1_000_000) / 1_000_000;
    const taxCountry = (counted[0]?.country ?? details[0]?.country ?? country).toUpperCase();
    const row = pickRow(rows, { country, taxCountry, rate, reverseCharge });
    const where = reasons([
      reason(reverseCharge ? 'mapping-line-reverse-charge' : 'mapping-line', {
        taxCountry,
        rate: rateValue(rate),
        country,
        line: String(l.lineNumber),
      }),
    ]);
    if (!row) problems.push(reason('mapping-missing', { where }));
    else if (row.refused)
      problems.push(reason('mapping-row-refused', { row: row.index + 1, where, problem: reasons([row.refused]) }));
    if (row?.vatZoneId) zones.add(row.vatZoneId);
    const tax = toMinor(l.tax ?? 0);
    return {
      lineNumber: Number(l.lineNumber),
      amount: toMinor(l.lineAmount ?? 0),
      taxableAmount: toMinor(l.taxableAmount ?? 0),
      tax,
      taxCalculated: l.taxCalculated === null || l.taxCalculated === undefined ? tax : toMinor(l.taxCalculated),
      rate,
      taxCountry,
      country,
      reverseCharge,
      vatZoneId: row?.refused ? undefined : row?.vatZoneId,
      vatCategoryId: row?.refused ? undefined : row?.vatCategoryId,
      vatId: row?.refused ? undefined : row?.vatId,
      taxCode: l.taxCode ?? undefined,
      itemCode: l.itemCode ?? '',
    };
  });
  if (zones.size > 1) problems.push(reason('mapping-zones-differ', { zones: [...zones].join(', ') }));
  const recordedTax = toMinor(tx.totalTax ?? 0);
  const calculatedTax = toMinor(tx.totalTaxCalculated ?? tx.totalTax ?? 0);
  const sum = lines.reduce((s, l) => s + l.tax, 0);
  if (sum !== recordedTax)
    problems.push(
      reason('avatax-lines-not-summing', {
        lines: money(sum, tx.currencyCode ?? ''),
        total: money(recordedTax, tx.currencyCode ?? ''),
      }),
    );
  return {
    lines,
    recorded: byVatId(lines, 'tax'),
    calculated: byVatId(lines, 'taxCalculated'),
    recordedTax,
    calculatedTax,
    overridden: (tx.lines ?? []).some((l) => l.taxOverrideType === 'TaxAmount') || tx.taxOverrideType === 'TaxAmount',
    vatZoneId: zones.size === 1 ? [...zones][0] : undefined,
    problems,
  };
}

function pickRow(
  rows: readonly CheckedRow[],
  line: { country: string; taxCountry: string; rate: number; reverseCharge: boolean },
): CheckedRow | undefined {
  const candidates = rows.filter(
    (r) =>
      r.country === line.country &&
      (r.taxCountry === undefined || r.taxCountry === line.taxCountry) &&
      (r.reverseCharge ?? false) === line.reverseCharge &&
      (r.rate === undefined || rateKey(r.rate) === rateKey(line.rate)),
  );
  const score = (r: CheckedRow) => (r.taxCountry ? 2 : 0) + (r.rate !== undefined ? 1 : 0);
  return candidates.sort((a, b) => score(b) - score(a) || a.index - b.index)[0];
}

/** AvaTax's line amounts grouped per Visma VAT id. */
export function byVatId(lines: readonly LineResult[], which: 'tax' | 'taxCalculated'): VatLine[] {
  const out = new Map<string, VatLine>();
  for (const l of lines) {
    if (!l.vatId) continue;
    const v = out.get(l.vatId) ?? { vatId: l.vatId, taxable: 0, vat: 0 };
    v.taxable += l.taxableAmount;
    v.vat += l[which];
    out.set(l.vatId, v);
  }
  return [...out.values()].sort((a, b) => a.vatId.localeCompare(b.vatId));
}

/**
 * Checks each row against Visma's VAT data: its category must carry its VAT id, its zone (when named) must hold
 * it, and its rate must be the rate Visma has for that VAT id (a reverse charge books none, a row without a rate
 * covers a varying sales tax). A refused row is kept, with the reason, so the documents it would map say why.
 */
export function checkMapping(rows: readonly VatMappingRow[], book: VatBook | undefined): CheckedRow[] {
  return rows.map((row, index) => ({ ...row, index, refused: book ? refusal(row, book) : undefined }));
}

function refusal(row: VatMappingRow, book: VatBook): Reason | undefined {
  const { vatCategoryId: category, vatId, vatZoneId: zone } = row;
  if (!book.hasCategory(category)) return reason('mapping-no-category', { category });
  if (!book.hasVat(vatId)) return reason('mapping-no-vat-id', { vatId });
  if (!book.categoryCarries(category, vatId)) return reason('mapping-category-lacks-vat-id', { category, vatId });
  if (zone && !book.hasZone(zone)) return reason('mapping-no-zone', { zone });
  if (zone && !book.zoneHas(zone, vatId)) return reason('mapping-zone-lacks-vat-id', { zone, vatId });
  const visma = book.rateOf(vatId);
  if (row.rate !== undefined && !row.reverseCharge && visma !== undefined && rateKey(visma / 100) !== rateKey(row.rate))
    return reason('mapping-rate-differs', { vatId, visma: rateValue(visma / 100), row: rateValue(row.rate) });
  return undefined;
}
