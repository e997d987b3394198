import type { LedgerDocument } from '../../shared/domain.js';
import type { DocumentRow } from '../../shared/ipc-channels.js';
import { fromMinor, vatInBase } from '../../shared/money.js';
import { taxMinor } from '../../shared/tax-details.js';

/** A ledger document as the table, the CLI's list and the flagged workbench show it (amounts as decimals). */
export function toRow(d: LedgerDocument): DocumentRow {
  return {
    key: d.key,
    documentType: d.documentType,
    referenceNumber: d.referenceNumber,
    customerNumber: d.customerNumber,
    customerName: d.customerName,
    documentDate: d.documentDate,
    currency: d.currency,
    amount: fromMinor(d.amount),
    totalTax: taxOf(d),
    bookedTax: d.bookedTax === undefined ? null : fromMinor(d.bookedTax),
    calculatedTax: d.calculatedTax === undefined ? null : fromMinor(d.calculatedTax),
    state: d.state,
    country: d.country,
    avataxCode: d.avataxCode,
    reason: d.reasons[0] ?? '',
    ...(d.exchangeRate !== undefined ? { exchangeRate: d.exchangeRate } : {}),
    ...taxBaseOf(d),
    ...(d.state === 'flagged'
      ? {
          flag: {
            shipTo: d.shipTo,
            suggestedAddress: d.suggestedAddress,
            reasons: d.reasons,
            locationId: d.shipToSource === 'location' ? d.locationId : undefined,
            vatNumber: d.vatNumber,
          },
        }
      : {}),
  };
}

/** The tax in base currency by the one rule: Visma's VAT per VAT id, each converted on its own, then summed. */
function taxBaseOf(d: LedgerDocument): { taxBase?: number } {
  const tax = taxMinor(d);
  if (tax === undefined || d.exchangeRate === undefined) return {};
  const lines = d.booked && d.booked.reduce((s, l) => s + l.vat, 0) === tax ? d.booked : [{ vat: tax }];
  return { taxBase: fromMinor(vatInBase(lines, d.exchangeRate)) };
}

function taxOf(d: LedgerDocument): number | null {
  const tax = taxMinor(d);
  return tax === undefined ? null : fromMinor(tax);
}
