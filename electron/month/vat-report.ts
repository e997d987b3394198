import type { Minor } from '../../shared/money.js';
import {
  BLOCKING_BUCKETS,
  type ReconciledDocument,
  type Reconciliation,
  type SupplyAmounts,
  type VatReturn,
} from '../../shared/month.js';
import { list, monthValue, type Reason, reason, reasons } from '../../shared/reasons.js';
import { EU_COUNTRIES, normaliseVatNumber } from '../engine/countries.js';

/**
 * The figures the VAT returns are filed from, for one month, in the company's base currency: what Visma booked for
 * its released documents dated in the month (the books), credit notes netted (they are negative). Domestic VAT
 * (the domestic return) and OSS VAT (the OSS return, per country of consumption) are apart, never one sum. By Visma VAT id with its
 * description, by ship-to country, by kind of supply (domestic, intra-EU B2B, export, OSS per destination), and
 * the EU sales list (intra-EU B2B per buyer VAT number). Pure: built from the reconciliation, so the return and
 * the close check are the same figures.
 */
export type SupplyKind = 'domestic' | 'intra-eu-b2b' | 'oss' | 'export' | 'unknown';

export interface Amounts {
  taxable: Minor;
  vat: Minor;
  documents: number;
}

export interface VatReport {
  month: string;
  baseCurrency?: string;
  homeCountry: string;
  /** The reconciliation was clean: complete, and nothing blocks the month. */
  clean: boolean;
  blocking: number;
  notes: Reason[];
  /** What each return is filed from, apart: domestic VAT, OSS per country, intra-EU B2B, exports. */
  vatReturn: VatReturn;
  byVatId: ({ vatId: string; description: string; rate?: number } & Amounts)[];
  byCountry: ({ country: string } & Amounts)[];
  bySupply: ({ kind: SupplyKind; label: Reason; country?: string } & Amounts)[];
  euSalesList: ({ vatNumber: string; country: string; customerNumber: string; customerName: string } & Omit<
    Amounts,
    'vat'
  >)[];
  /** Every supply of the month together (domestic, OSS, intra-EU, exports): not a figure any return is filed from. */
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

/** Visma's reported lines of a document that have base-currency figures: what the return sums. */
function returnLines(d: ReconciledDocument) {
  return (d.visma?.lines ?? []).filter((l) => l.vatBase !== undefined && l.taxableBase !== undefined);
}

/** The documents a return counts: released in Visma and dated in the month by Visma. */
export function booksOfMonth(documents: readonly ReconciledDocument[]): ReconciledDocument[] {
  return documents.filter((d) => d.visma?.reported && d.visma.inMonth);
}

const none = (): SupplyAmounts => ({ taxable: 0, vat: 0, documents: 0 });

/**
 * The month's books apart per return (shared/month.ts `VatReturn`): each document's base-currency figures by the
 * one rule (each VAT id converted on its own), under the kind of supply its ship-to country and buyer VAT number
 * make it. Domestic per VAT id, the others per country.
 */
export function vatReturnOf(documents: readonly ReconciledDocument[], homeCountry: string | undefined): VatReturn {
  const out: VatReturn = {
    ...(homeCountry ? { homeCountry } : {}),
    domestic: { ...none(), byVatId: [] },
    oss: { ...none(), byCountry: [] },
    intraEuB2b: { ...none(), byCountry: [] },
    exports: { ...none(), byCountry: [] },
    unknown: none(),
  };
  const add = (a: SupplyAmounts, taxable: Minor, vat: Minor) => {
    a.taxable += taxable;
    a.vat += vat;
    a.documents++;
  };
  const row = <T extends SupplyAmounts>(list: T[], match: (x: T) => boolean, make: () => T): T => {
    const found = list.find(match);
    if (found) return found;
    const made = make();
    list.push(made);
    return made;
  };
  for (const d of booksOfMonth(documents)) {
    const lines = returnLines(d);
    if (lines.length === 0) continue;
    const taxable = lines.reduce((s, l) => s + l.taxableBase!, 0);
    const vat = lines.reduce((s, l) => s + l.vatBase!, 0);
    const kind = returnKind(d, homeCountry);
    const country = d.country ?? '';
    if (kind === 'domestic') {
      add(out.domestic, taxable, vat);
      for (const l of lines)
        add(
          row(
            out.domestic.byVatId,
            (x) => x.vatId === l.vatId,
            () => ({
              vatId: l.vatId,
              ...(l.rate !== undefined ? { rate: l.rate } : {}),
              ...none(),
            }),
          ),
          l.taxableBase!,
          l.vatBase!,
        );
    } else if (kind === 'unknown') add(out.unknown, taxable, vat);
    else {
      const group = kind === 'oss' ? out.oss : kind === 'intra-eu-b2b' ? out.intraEuB2b : out.exports;
      add(group, taxable, vat);
      add(
        row(
          group.byCountry,
          (x) => x.country === country,
          () => ({ country, ...none() }),
        ),
        taxable,
        vat,
      );
    }
  }
  out.domestic.byVatId.sort((a, b) => a.vatId.localeCompare(b.vatId));
  for (const g of [out.oss, out.intraEuB2b, out.exports])
    g.byCountry.sort((a, b) => a.country.localeCompare(b.country));
  return out;
}

/** The supply kind a document counts under in the returns: unknown for an EU buyer nobody knows the VAT number of. */
function returnKind(d: ReconciledDocument, homeCountry: string | undefined): SupplyKind {
  if (!homeCountry) return 'unknown';
  const kind = supplyKind(d.country, d.vatNumber, homeCountry);
  return d.buyerUnknown && (kind === 'oss' || kind === 'intra-eu-b2b') ? 'unknown' : kind;
}

export function buildVatReport(r: Reconciliation, homeCountry: string, vats?: VatDescriptions): VatReport {
  const notes: Reason[] = [];
  const blocking = r.documents.filter((d) => BLOCKING_BUCKETS.includes(d.bucket)).length;
  if (r.incomplete.length > 0 || r.problems.length > 0)
    notes.push(
      reason('vat-report-incomplete', {
        month: monthValue(r.month),
        doubts: reasons([...r.incomplete, ...r.problems]),
      }),
    );
  if (blocking > 0) notes.push(reason('vat-report-not-clean', { month: monthValue(r.month), count: blocking }));
  const reported = booksOfMonth(r.documents);
  const noRate = reported.filter((d) => d.visma!.lines.some((l) => l.vatBase === undefined));
  if (noRate.length > 0)
    notes.push(
      reason('vat-report-without-rate', {
        count: noRate.length,
        references: list(noRate.slice(0, 10).map((d) => d.referenceNumber)),
      }),
    );
  const noDetails = reported.filter((d) => d.visma!.lines.length === 0 && d.visma!.net !== 0);
  if (noDetails.length > 0)
    notes.push(
      reason('vat-report-without-details', {
        count: noDetails.length,
        references: list(noDetails.map((d) => d.referenceNumber)),
      }),
    );

  const byVatId = new Group<{ vatId: string; description: string; rate?: number }>();
  const byCountry = new Group<{ country: string }>();
  const bySupply = new Group<{ kind: SupplyKind; label: Reason; country?: string }>();
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
    const kind = returnKind(d, homeCountry);
    const perCountry = kind === 'oss' || kind === 'intra-eu-b2b' || kind === 'export';
    bySupply.add(
      `${kind}\u0000${perCountry ? country : ''}`,
      { kind, label: reason(`supply-${kind}`), ...(perCountry ? { country } : {}) },
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
    vatReturn: vatReturnOf(r.documents, homeCountry),
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
