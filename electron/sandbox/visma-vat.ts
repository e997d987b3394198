import { fromMinor, type Minor, taxOn, toMinor } from '../../shared/money.js';
import { json, type SandboxReply, type SandboxRequest } from './http-kit.js';
import { dateFilter, ippError, notFound, page, type VismaContext } from './visma-http.js';
import {
  MASTER_DATA_MODIFIED,
  type SandboxDocument,
  type SandboxTaxDetail,
  type SandboxVat,
  type SandboxVatCategory,
  type SandboxVatZone,
  type VismaSandboxState,
} from './visma-state.js';

/**
 * How Visma.net computes a document's VAT, and its VAT master data (VAT ids, VAT categories, VAT zones).
 *
 * For a zone that is not manual-entry: every VAT id of the document's zone taxes the lines whose VAT category
 * lists it; the VAT is rounded once per VAT id on the document total (not per line). A line whose category
 * shares no VAT id with the zone is untaxed; a document without a zone is untaxed. For a manual-entry zone
 * Visma does not compute: the tax details are what was last sent.
 */

/** The tax details Visma would book (document currency). Pure: the document and state are not changed.
 * `recordId` is the stored detail's id for the same VAT id, or 0 when the sandbox has not stored one yet. */
export function computeVismaVat(
  doc: Pick<SandboxDocument, 'customerVatZoneId' | 'lines' | 'taxDetails'>,
  state: Pick<VismaSandboxState, 'vats' | 'vatCategories' | 'vatZones'>,
): SandboxTaxDetail[] {
  const zoneId = doc.customerVatZoneId;
  if (!zoneId) return [];
  const zone = state.vatZones.find((z) => z.id === zoneId);
  if (zone?.manualVatEntry) return structuredClone(doc.taxDetails);
  const categories = new Map(state.vatCategories.map((c) => [c.vatCategoryId, c]));
  const details: SandboxTaxDetail[] = [];
  for (const vat of state.vats) {
    if (!vat.zones.includes(zoneId)) continue;
    const lines = doc.lines.filter((l) => l.vatCode && categories.get(l.vatCode.id)?.vatIds.includes(vat.vatId));
    if (lines.length === 0) continue;
    const taxable = lines.reduce<Minor>((sum, l) => sum + toMinor(l.amountInCurrency), 0);
    details.push({
      taxId: vat.vatId,
      recordId: doc.taxDetails.find((t) => t.taxId === vat.vatId)?.recordId ?? 0,
      vatId: { number: vat.vatId, description: vat.description },
      vatRate: vat.rate,
      taxableAmount: fromMinor(taxable),
      vatAmount: fromMinor(taxOn(taxable, vat.rate / 100)),
    });
  }
  return details;
}

export function isManualZone(state: Pick<VismaSandboxState, 'vatZones'>, zoneId: string | null): boolean {
  return state.vatZones.some((z) => z.id === zoneId && z.manualVatEntry);
}

/** What Visma does after a change: recompute the tax details (unless the zone is manual-entry) and the totals. */
export function applyVismaVat(doc: SandboxDocument, state: VismaSandboxState): void {
  if (!isManualZone(state, doc.customerVatZoneId)) {
    doc.taxDetails = computeVismaVat(doc, state).map((t) =>
      t.recordId === 0 ? { ...t, recordId: state.nextRecordId++ } : t,
    );
  }
  recomputeTotals(doc);
}

/** Document currency -> base currency, rounded half away from zero to minor units. */
export function toBase(minor: Minor, exchangeRate: number): Minor {
  return taxOn(minor, exchangeRate);
}

/**
 * Base amounts of the lines and the totals, from the document-currency figures. Open detail the contract leaves:
 * `detailTotal = round(detailTotalInCurrency × rate)` and `amount = detailTotal + vatTotal` (base totals add up,
 * like the document-currency ones), and each line's base `amount` is its own conversion.
 */
export function recomputeTotals(doc: SandboxDocument): void {
  const rate = doc.exchangeRate;
  for (const line of doc.lines) {
    line.amount = fromMinor(toBase(toMinor(line.amountInCurrency), rate));
    line.unitPrice = fromMinor(toBase(toMinor(line.unitPriceInCurrency), rate));
  }
  const detail = doc.lines.reduce<Minor>((s, l) => s + toMinor(l.amountInCurrency), 0);
  const vat = doc.taxDetails.reduce<Minor>((s, t) => s + toMinor(t.vatAmount), 0);
  doc.detailTotalInCurrency = fromMinor(detail);
  doc.vatTotalInCurrency = fromMinor(vat);
  doc.amountInCurrency = fromMinor(detail + vat);
  const detailBase = toBase(detail, rate);
  const vatBase = toBase(vat, rate);
  doc.detailTotal = fromMinor(detailBase);
  doc.vatTotal = fromMinor(vatBase);
  doc.amount = fromMinor(detailBase + vatBase);
}

// --- VAT master data routes -------------------------------------------------------------------

const OUTPUT = 'Output';

function zoneRef(z: SandboxVatZone) {
  return { id: z.id, description: z.description, defaultVatCategory: z.defaultVatCategory };
}

function vatInformationDto(state: VismaSandboxState, v: SandboxVat): Record<string, unknown> {
  return {
    vatId: v.vatId,
    description: v.description,
    type: v.type,
    reverseVat: v.reverseVat,
    lastModifiedDateTime: v.lastModifiedDateTime ?? MASTER_DATA_MODIFIED,
    schedules: [{ startDate: MASTER_DATA_MODIFIED, vatRate: v.rate, groupType: OUTPUT }],
    categories: state.vatCategories
      .filter((c) => c.vatIds.includes(v.vatId))
      .map((c) => ({ vatCategoryId: c.vatCategoryId, description: c.description })),
    zones: state.vatZones.filter((z) => v.zones.includes(z.id)).map(zoneRef),
  };
}

function vatCategoryDto(state: VismaSandboxState, c: SandboxVatCategory): Record<string, unknown> {
  return {
    vatCategoryId: c.vatCategoryId,
    description: c.description,
    active: c.active,
    excludeListedTaxes: false,
    lastModifiedDateTime: c.lastModifiedDateTime ?? MASTER_DATA_MODIFIED,
    vatCategoryLines: c.vatIds.flatMap((id) => {
      const v = state.vats.find((x) => x.vatId === id);
      if (!v) return [];
      return [
        {
          vatId: v.vatId,
          description: v.description,
          type: v.type,
          calculateOn: 'CalcOnItemAmount',
          cashDiscount: 'ReducesTaxableAmount',
          vatRates: [{ revisionID: '1', vatRate: v.rate, groupType: OUTPUT, startDate: MASTER_DATA_MODIFIED }],
        },
      ];
    }),
  };
}

export function vatZoneDto(state: VismaSandboxState, z: SandboxVatZone): Record<string, unknown> {
  const category = state.vatCategories.find((c) => c.vatCategoryId === z.defaultVatCategory);
  return {
    ...zoneRef(z),
    defaultTaxCategory: category ? { number: category.vatCategoryId, description: category.description } : null,
  };
}

/** GET /v1/vat: every VAT id, no paging (Visma only has the deprecated numberToRead / skipRecords). */
export function listVats(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const filter = dateFilter(r.query, 'lastModifiedDateTime');
  if ('error' in filter) return ippError(400, filter.error, '10010');
  return json(
    200,
    ctx.state.vats
      .filter((v) => filter.test(v.lastModifiedDateTime ?? MASTER_DATA_MODIFIED))
      .map((v) => vatInformationDto(ctx.state, v)),
  );
}

/** GET /v1/vatCategory: every category, active or not, no paging. */
export function listVatCategories(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const filter = dateFilter(r.query, 'lastModifiedDateTime');
  if ('error' in filter) return ippError(400, filter.error, '10010');
  return json(
    200,
    ctx.state.vatCategories
      .filter((c) => filter.test(c.lastModifiedDateTime ?? MASTER_DATA_MODIFIED))
      .map((c) => vatCategoryDto(ctx.state, c)),
  );
}

export function getVatCategory(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const c = ctx.state.vatCategories.find((x) => x.vatCategoryId === r.params[0]);
  return c ? json(200, vatCategoryDto(ctx.state, c)) : notFound('VAT category', r.params[0]!);
}

/** GET /v1/vatZone: paged like the other lists. The manual-entry flag is not in the API. */
export function listVatZones(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  return page(
    r,
    ctx.state.vatZones.map((z) => vatZoneDto(ctx.state, z)),
    ctx.maxPageSize,
  );
}

export function getVatZone(ctx: VismaContext, r: SandboxRequest): SandboxReply {
  const z = ctx.state.vatZones.find((x) => x.id === r.params[0]);
  return z ? json(200, vatZoneDto(ctx.state, z)) : notFound('VAT zone', r.params[0]!);
}
