import type { Minor } from '../../shared/money.js';
import type { ReconciledDocument, Reconciliation } from '../../shared/month.js';
import { EU_COUNTRIES, normaliseVatNumber } from '../engine/countries.js';

/**
 * The figures a VAT return is filed from, for one month, in the company's base currency: what Visma booked for
 * its released documents (the books), credit notes netted (they are negative). By Visma VAT id with its
 * description, by ship-to country, by kind of supply (domestic, intra-EU B2B, export, OSS per destination), and
 * the EU sales list (intra-EU B2B per buyer VAT number). Pure: built from the reconciliation, so the return and
 * the close check are the same figures.
 */
export type SupplyKind = 'domestic' | 'intra-eu-b2b' | 'oss' | 'export' | 'unknown';

export const SUPPLY_LABELS: Record<SupplyKind, string> = {
  domestic: 'Domestic sales',
  'intra-eu-b2b': 'Intra-EU supplies to VAT-registered buyers (reverse charge)',
  oss: 'Distance sales to EU consumers (OSS)',
  export: 'Exports outside the EU',
  unknown: 'Ship-to country unknown',
};

export interface Amounts {
  taxable: Minor;
  vat: Minor;
  documents: number;
}

export interface VatReport {
  month: string;
  baseCurrency?: string;
  homeCountry: string;
  /** The reconciliation was clean: nothing blocks the month. */
  clean: boolean;
  blocking: number;
  notes: string[];
  byVatId: ({ vatId: string; description: string; rate?: number } & Amounts)[];
  byCountry: ({ country: string } & Amounts)[];
  bySupply: ({ kind: SupplyKind; label: string; country?: string } & Amounts)[];
  euSalesList: ({ vatNumber: string; country: string; customerNumber: string; customerName: string } & Omit<
    Amounts,
    'vat'
  >)[];
  total: Amounts;
}

export interface VatDescriptions {
  describe(vatId: string): string;
  rateOf(vatId: string): number | undefined;
}

/** Domestic when shipped at home; in the EU with a buyer VAT number B2B, without one OSS; else an export. */
export function supplyKind(country: string | undefined, vatNumber: string | undefined, home: string): SupplyKind {
  if (!country) return 'unknown';
  const c = country.toUpperCase();
  if (c === home.toUpperCase()) return 'domestic';
  if (EU_COUNTRIES.has(c)) return vatNumber?.trim() ? 'intra-eu-b2b' : 'oss';
  return 'export';
}

export function buildVatReport(r: Reconciliation, homeCountry: string, vats?: VatDescriptions): VatReport {
  const notes: string[] = [];
  const blocking = r.documents.filter((d) => !['matched', 'accepted'].includes(d.bucket)).length;
  if (!r.clean)
    notes.push(
      `${r.month} is not clean: ${blocking} documents block it (see the reconciliation); these figures are Visma's books as they stand`,
    );
  const reported = r.documents.filter((d) => d.visma?.reported);
  const noRate = reported.filter((d) => d.visma!.lines.some((l) => l.vatBase === undefined));
  if (noRate.length > 0)
    notes.push(
      `${noRate.length} documents have no exchange rate and are left out of the base-currency figures: ${noRate
        .slice(0, 10)
        .map((d) => d.referenceNumber)
        .join(', ')}`,
    );
  const noDetails = reported.filter((d) => d.visma!.lines.length === 0 && d.visma!.net !== 0);
  if (noDetails.length > 0)
    notes.push(
      `${noDetails.length} released documents carry no VAT details in Visma: ${noDetails.map((d) => d.referenceNumber).join(', ')}`,
    );

  const byVatId = new Group<{ vatId: string; description: string; rate?: number }>();
  const byCountry = new Group<{ country: string }>();
  const bySupply = new Group<{ kind: SupplyKind; label: string; country?: string }>();
  const eu = new Map<string, VatReport['euSalesList'][number]>();
  const total: Amounts = { taxable: 0, vat: 0, documents: 0 };

  for (const d of reported) {
    const lines = d.visma!.lines.filter((l) => l.vatBase !== undefined && l.taxableBase !== undefined);
    if (lines.length === 0) continue;
    const taxable = lines.reduce((s, l) => s + l.taxableBase!, 0);
    const vat = lines.reduce((s, l) => s + l.vatBase!, 0);
    total.taxable += taxable;
    total.vat += vat;
    total.documents++;
    for (const l of lines) {
      const rate = vats?.rateOf(l.vatId) ?? l.rate;
      byVatId.add(
        l.vatId,
        { vatId: l.vatId, description: vats?.describe(l.vatId) ?? l.vatId, ...(rate !== undefined ? { rate } : {}) },
        d,
        l.taxableBase!,
        l.vatBase!,
      );
    }
    const country = d.country ?? '';
    byCountry.add(country, { country }, d, taxable, vat);
    const kind = supplyKind(d.country, d.vatNumber, homeCountry);
    const perCountry = kind === 'oss' || kind === 'intra-eu-b2b' || kind === 'export';
    bySupply.add(
      `${kind}\u0000${perCountry ? country : ''}`,
      { kind, label: SUPPLY_LABELS[kind], ...(perCountry ? { country } : {}) },
      d,
      taxable,
      vat,
    );
    if (kind === 'intra-eu-b2b') {
      const number = normaliseVatNumber(d.vatNumber!);
      const row = eu.get(number) ?? {
        vatNumber: number,
        country,
        customerNumber: d.customerNumber,
        customerName: d.customerName,
        taxable: 0,
        documents: 0,
      };
      row.taxable += taxable;
      row.documents++;
      eu.set(number, row);
    }
  }
  const order: SupplyKind[] = ['domestic', 'intra-eu-b2b', 'oss', 'export', 'unknown'];
  return {
    month: r.month,
    baseCurrency: r.baseCurrency,
    homeCountry,
    clean: r.clean,
    blocking,
    notes,
    byVatId: byVatId.rows().sort((a, b) => a.vatId.localeCompare(b.vatId)),
    byCountry: byCountry.rows().sort((a, b) => a.country.localeCompare(b.country)),
    bySupply: bySupply
      .rows()
      .sort(
        (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.country ?? '').localeCompare(b.country ?? ''),
      ),
    euSalesList: [...eu.values()].sort(
      (a, b) => a.country.localeCompare(b.country) || a.vatNumber.localeCompare(b.vatNumber),
    ),
    total,
  };
}

/** Sums per key, counting each document once per key. */
class Group<K extends object> {
  private readonly map = new Map<string, { row: K & Amounts; seen: Set<string> }>();

  add(key: string, row: K, d: ReconciledDocument, taxable: Minor, vat: Minor): void {
    const g = this.map.get(key) ?? { row: { ...row, taxable: 0, vat: 0, documents: 0 }, seen: new Set<string>() };
    g.row.taxable += taxable;
    g.row.vat += vat;
    g.seen.add(d.code || d.referenceNumber);
    g.row.documents = g.seen.size;
    this.map.set(key, g);
  }

  rows(): (K & Amounts)[] {
    return [...this.map.values()].map((g) => g.row);
  }
}
