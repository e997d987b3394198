import type { VatLists } from '../../shared/ipc-channels.js';
import type { VatMappingRow } from '../../shared/settings.js';

/**
 * The VAT mapping in one unit: percent on screen (typing 14 means 14 %), an exact fraction in the settings
 * (0.14). The typed decimal is read as text, so 25.5 is stored as 0.255 and never as 0.25500000000000006.
 */
export function percentToFraction(text: string): number | undefined | 'invalid' {
  const t = text.trim().replace(/\s|%/g, '');
  if (t === '') return undefined;
  const m = /^(\d{1,3})(?:[.,](\d{1,4}))?$/.exec(t);
  if (!m) return 'invalid';
  const decimals = (m[2] ?? '').length;
  // An integer divided by a power of ten is the double nearest the decimal: the same as Number('0.255').
  const fraction = Number(`${m[1]}${m[2] ?? ''}`) / 10 ** (decimals + 2);
  return fraction > 1 ? 'invalid' : fraction;
}

/** 0.255 → "25.5" (in the locale's decimal sign: "25,5" in Swedish, Danish and German). */
export function fractionToPercentText(fraction: number | undefined, decimalSign = '.'): string {
  if (fraction === undefined || Number.isNaN(fraction)) return '';
  return String(Number((fraction * 100).toFixed(4))).replace('.', decimalSign);
}

/** The decimal sign of a locale, as Intl writes 1.5. */
export function decimalSignOf(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/** Why Visma's lists refuse a row, as a translation key and its values; the same rules the sync applies. */
export type Refusal =
  | { key: 'noCategory'; category: string }
  | { key: 'inactiveCategory'; category: string }
  | { key: 'noVatId'; vatId: string }
  | { key: 'categoryLacksVatId'; category: string; vatId: string }
  | { key: 'noZone'; zone: string }
  | { key: 'zoneLacksVatId'; zone: string; vatId: string }
  | { key: 'rateDiffers'; vatId: string; visma: number; row: number };

export function refusalOf(row: VatMappingRow, lists: VatLists): Refusal | undefined {
  const category = lists.categories.find((c) => c.id === row.vatCategoryId);
  if (row.vatCategoryId && !category) return { key: 'noCategory', category: row.vatCategoryId };
  const vat = lists.vats.find((v) => v.id === row.vatId);
  if (row.vatId && !vat) return { key: 'noVatId', vatId: row.vatId };
  if (category && row.vatId && !category.vatIds.includes(row.vatId))
    return { key: 'categoryLacksVatId', category: category.id, vatId: row.vatId };
  if (category && !category.active) return { key: 'inactiveCategory', category: category.id };
  if (row.vatZoneId) {
    const zone = lists.zones.find((z) => z.id === row.vatZoneId);
    if (!zone) return { key: 'noZone', zone: row.vatZoneId };
    if (row.vatId && !zone.vatIds.includes(row.vatId))
      return { key: 'zoneLacksVatId', zone: zone.id, vatId: row.vatId };
  }
  // A reverse charge books no VAT in Visma; a row without a rate covers a varying sales tax.
  if (
    vat?.rate !== undefined &&
    typeof row.rate === 'number' &&
    !Number.isNaN(row.rate) &&
    !row.reverseCharge &&
    Math.round(vat.rate * 10_000) !== Math.round(row.rate * 1_000_000)
  )
    return { key: 'rateDiffers', vatId: vat.id, visma: vat.rate, row: Number((row.rate * 100).toFixed(4)) };
  return undefined;
}

/** The VAT ids Visma allows for a row: those of its category, and of its zone when it names one. */
export function vatIdsFor(row: Pick<VatMappingRow, 'vatCategoryId' | 'vatZoneId'>, lists: VatLists): string[] {
  const category = lists.categories.find((c) => c.id === row.vatCategoryId);
  const zone = row.vatZoneId ? lists.zones.find((z) => z.id === row.vatZoneId) : undefined;
  return lists.vats
    .map((v) => v.id)
    .filter((id) => (!category || category.vatIds.includes(id)) && (!zone || zone.vatIds.includes(id)));
}
