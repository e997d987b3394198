import type { VismaVatData } from '../connectors/visma/client.js';

/**
 * What Visma's VAT master data says, read once per run: Visma taxes a line by a VAT id only when that id is in
 * both the line's VAT category and the document's VAT zone. Used to check mapping rows and to explain why Visma
 * booked something other than AvaTax calculated.
 */
export class VatBook {
  private readonly categories = new Map<string, { active: boolean; vatIds: Set<string> }>();
  private readonly zones = new Map<string, { defaultCategory?: string; vatIds: Set<string> }>();
  private readonly vats = new Map<string, { rate?: number; description: string; reverse: boolean }>();

  constructor(data: VismaVatData) {
    for (const c of data.categories)
      this.categories.set(c.vatCategoryId, {
        active: c.active !== false,
        vatIds: new Set((c.vatCategoryLines ?? []).map((l) => l.vatId)),
      });
    for (const z of data.zones)
      this.zones.set(z.id, { defaultCategory: z.defaultVatCategory ?? undefined, vatIds: new Set() });
    for (const v of data.vats) {
      const rate =
        latestRate(v.schedules) ??
        latestRate(
          data.categories.flatMap((c) =>
            (c.vatCategoryLines ?? []).filter((l) => l.vatId === v.vatId).flatMap((l) => l.vatRates ?? []),
          ),
        );
      this.vats.set(v.vatId, { rate, description: v.description ?? v.vatId, reverse: v.reverseVat === true });
      for (const z of v.zones ?? []) if (z.id) this.zones.get(z.id)?.vatIds.add(v.vatId);
    }
  }

  hasCategory(id: string): boolean {
    return this.categories.has(id);
  }

  hasZone(id: string): boolean {
    return this.zones.has(id);
  }

  hasVat(id: string): boolean {
    return this.vats.has(id);
  }

  categoryCarries(categoryId: string, vatId: string): boolean {
    return this.categories.get(categoryId)?.vatIds.has(vatId) ?? false;
  }

  zoneHas(zoneId: string, vatId: string): boolean {
    return this.zones.get(zoneId)?.vatIds.has(vatId) ?? false;
  }

  /** Percent, as Visma shows it. */
  rateOf(vatId: string): number | undefined {
    return this.vats.get(vatId)?.rate;
  }

  describe(vatId: string): string {
    return this.vats.get(vatId)?.description ?? vatId;
  }

  /** The VAT ids Visma applies to a line of this category in this zone. */
  applied(categoryId: string | undefined, zoneId: string | undefined): string[] {
    if (!categoryId || !zoneId) return [];
    const inZone = this.zones.get(zoneId)?.vatIds ?? new Set<string>();
    return [...(this.categories.get(categoryId)?.vatIds ?? [])].filter((v) => inZone.has(v));
  }
}

function latestRate(
  rates: { vatRate?: number | null; startDate?: string | null }[] | null | undefined,
): number | undefined {
  const known = (rates ?? []).filter((r) => typeof r.vatRate === 'number');
  known.sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
  return known.at(-1)?.vatRate ?? undefined;
}
