import type { DocumentRow } from '../../../../shared/ipc-channels.js';
import type { CustomerGroup } from './AddressEditor.js';

/** One group per ship-to: a customer's location abroad is corrected apart from its main address. */
export function flaggedGroupKey(row: DocumentRow): string {
  return `${row.customerNumber}/${row.flag?.locationId ?? ''}`;
}

/** The flagged documents grouped by the ship-to the fix is made on, by customer name. */
export function flaggedGroups(rows: DocumentRow[], locale: string): CustomerGroup[] {
  const map = new Map<string, CustomerGroup>();
  for (const row of rows) {
    if (row.state !== 'flagged') continue;
    const key = flaggedGroupKey(row);
    const g = map.get(key) ?? {
      key,
      locationId: row.flag?.locationId,
      customerNumber: row.customerNumber,
      customerName: row.customerName,
      documents: [],
      shipTo: row.flag?.shipTo,
      suggestion: row.flag?.suggestedAddress,
      vatNumber: row.flag?.vatNumber,
      reasons: row.flag?.reasons ?? [],
    };
    g.documents.push(row);
    map.set(key, g);
  }
  return [...map.values()].sort((a, b) => a.customerName.localeCompare(b.customerName, locale));
}

/** The group holding a document (its ledger key), so "Fix address" elsewhere opens that customer's form. */
export function groupOfDocument(groups: CustomerGroup[], documentKey: string | undefined): string | undefined {
  if (!documentKey) return undefined;
  return groups.find((g) => g.documents.some((d) => d.key === documentKey))?.key;
}
