import { fromMinor, type Minor, toMinor } from '../../shared/money.js';
import type { SandboxReply, SandboxRequest } from './http-kit.js';
import {
  type DocumentKind,
  documentIfMatchFails,
  documentLabel,
  findDocument,
  LINE_KEY,
  TAX_KEY,
} from './visma-documents.js';
import {
  etag,
  fieldError,
  ippError,
  notFound,
  notSupported,
  parseBody,
  parseDateValue,
  unwrap,
  type VismaContext,
} from './visma-http.js';
import type { SandboxDocument, SandboxLine, SandboxTaxDetail, SandboxVatCategory } from './visma-state.js';
import { applyVismaVat, isManualZone, recomputeTotals } from './visma-vat.js';

/**
 * PUT /v1/customerinvoice/{n}, /v1/customerCreditNote/{n} and /v1/customerDebitNote/{n}.
 * - Open (released): only documentDueDate and cashDiscountDate. Closed / Voided: nothing.
 * - Hold / Balanced: line VAT categories, tax detail lines, the VAT zone, the note, hold and the two dates.
 * Everything is validated before anything changes: a 400 leaves the document untouched.
 * After the change Visma recomputes the tax details unless the zone is manual-entry (sent tax lines are then
 * ignored); in a manual-entry zone the sent lines replace or follow the existing ones (`taxDetailsOnPut`).
 *
 * Stricter than the contract spells out (open details): a line item or tax detail line with a field other than
 * the accepted ones is refused; `vatCodeId` and `customerVatZoneId` cannot be null; a tax detail `taxId` that is
 * no VAT id at all is refused in any zone; amounts with more than two decimals are refused, not rounded.
 */

type Result<T> = { ok: true; value: T } | { ok: false; reply: SandboxReply };

const DATE_FIELDS = ['documentDueDate', 'cashDiscountDate'] as const;

interface Dates {
  documentDueDate?: string;
  cashDiscountDate?: string | null;
}

function parseDates(body: Record<string, unknown>): Result<Dates> {
  const dates: Dates = {};
  if (body.documentDueDate !== undefined) {
    const d = parseDateValue(body.documentDueDate, 'DocumentDueDate', false);
    if (!d.ok) return d;
    dates.documentDueDate = d.value!;
  }
  if (body.cashDiscountDate !== undefined) {
    const d = parseDateValue(body.cashDiscountDate, 'CashDiscountDate', true);
    if (!d.ok) return d;
    dates.cashDiscountDate = d.value;
  }
  return { ok: true, value: dates };
}

function applyDates(doc: SandboxDocument, dates: Dates): void {
  if (dates.documentDueDate !== undefined) doc.documentDueDate = dates.documentDueDate;
  if (dates.cashDiscountDate !== undefined) doc.cashDiscountDate = dates.cashDiscountDate;
}

/** An amount with at most two decimals, in minor units. */
function amount(wrapped: unknown, field: string): Result<Minor> {
  const v = unwrap(wrapped);
  if (!v.ok || typeof v.value !== 'number' || !Number.isFinite(v.value))
    return { ok: false, reply: fieldError(field, 'expected {"value": <number>}') };
  if (toMinor(v.value, 4) % 100 !== 0)
    return { ok: false, reply: fieldError(field, `${v.value} has more than two decimals.`) };
  return { ok: true, value: toMinor(v.value) };
}

function parseLines(
  ctx: VismaContext,
  doc: SandboxDocument,
  key: string,
  raw: unknown,
): Result<{ line: SandboxLine; category: SandboxVatCategory }[]> {
  if (!Array.isArray(raw)) return { ok: false, reply: fieldError(key, 'must be an array') };
  const changes: { line: SandboxLine; category: SandboxVatCategory }[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item !== 'object' || item === null) return { ok: false, reply: fieldError(key, 'expected objects') };
    const fields = item as Record<string, unknown>;
    for (const f of Object.keys(fields))
      if (!['operation', 'lineNumber', 'vatCodeId'].includes(f))
        return { ok: false, reply: notSupported(`${key}.${f}`) };
    if (fields.operation !== 'Update')
      return { ok: false, reply: fieldError(`${key}.operation`, 'only Update is supported for existing lines') };
    const lineNumber = unwrap(fields.lineNumber);
    if (!lineNumber.ok || typeof lineNumber.value !== 'number')
      return { ok: false, reply: fieldError(`${key}.lineNumber`, 'expected {"value": <number>}') };
    const line = doc.lines.find((l) => l.lineNumber === lineNumber.value);
    if (!line) return { ok: false, reply: fieldError(`${key}.lineNumber`, `line ${lineNumber.value} does not exist`) };
    if (fields.vatCodeId === undefined) continue;
    const v = unwrap(fields.vatCodeId);
    if (!v.ok || typeof v.value !== 'string')
      return { ok: false, reply: fieldError('VatCodeId', 'expected {"value": "<VAT category>"}') };
    const category = ctx.state.vatCategories.find((c) => c.vatCategoryId === v.value);
    if (!category) return { ok: false, reply: fieldError('VatCodeId', `VAT category '${v.value}' does not exist.`) };
    if (!category.active)
      return { ok: false, reply: fieldError('VatCodeId', `VAT category '${v.value}' is not active.`) };
    changes.push({ line, category });
  }
  return { ok: true, value: changes };
}

function parseTaxLines(
  ctx: VismaContext,
  key: string,
  raw: unknown,
  zoneId: string | null,
  manual: boolean,
): Result<SandboxTaxDetail[]> {
  if (!Array.isArray(raw)) return { ok: false, reply: fieldError(key, 'must be an array') };
  const lines: SandboxTaxDetail[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item !== 'object' || item === null) return { ok: false, reply: fieldError(key, 'expected objects') };
    const fields = item as Record<string, unknown>;
    for (const f of Object.keys(fields))
      if (!['taxId', 'taxableAmount', 'vatAmount'].includes(f))
        return { ok: false, reply: notSupported(`${key}.${f}`) };
    const taxId = unwrap(fields.taxId);
    if (!taxId.ok || typeof taxId.value !== 'string')
      return { ok: false, reply: fieldError('TaxId', 'expected {"value": "<VAT id>"}') };
    const vat = ctx.state.vats.find((v) => v.vatId === taxId.value);
    if (!vat) return { ok: false, reply: fieldError('TaxId', `VAT id '${taxId.value}' does not exist.`) };
    if (manual && (zoneId === null || !vat.zones.includes(zoneId)))
      return { ok: false, reply: fieldError('TaxId', `VAT id '${vat.vatId}' is not in VAT zone '${zoneId}'.`) };
    const taxable = amount(fields.taxableAmount, 'TaxableAmount');
    if (!taxable.ok) return taxable;
    const vatAmount = amount(fields.vatAmount, 'VatAmount');
    if (!vatAmount.ok) return vatAmount;
    lines.push({
      taxId: vat.vatId,
      recordId: 0,
      vatId: { number: vat.vatId, description: vat.description },
      vatRate: vat.rate,
      taxableAmount: fromMinor(taxable.value),
      vatAmount: fromMinor(vatAmount.value),
    });
  }
  return { ok: true, value: lines };
}

export function putDocument(ctx: VismaContext, r: SandboxRequest, kind: DocumentKind): SandboxReply {
  const doc = findDocument(ctx.state, kind, r.params[0]!);
  if (!doc) return notFound(documentLabel(kind), r.params[0]!);
  const stale = documentIfMatchFails(ctx, r, doc);
  if (stale) return stale;
  const parsed = parseBody(r);
  if (!parsed.ok) return parsed.reply;
  const body = parsed.body;
  if (doc.status === 'Closed' || doc.status === 'Voided')
    return ippError(
      400,
      `Error: Document ${doc.referenceNumber} has status ${doc.status} and cannot be changed.`,
      '10021',
    );
  if (doc.status === 'Open') {
    if (Object.keys(body).some((k) => !(DATE_FIELDS as readonly string[]).includes(k)))
      return ippError(
        400,
        `Error: Document ${doc.referenceNumber} is released: only the due date and the cash discount date can be changed.`,
        '10021',
      );
    const dates = parseDates(body);
    if (!dates.ok) return dates.reply;
    applyDates(doc, dates.value);
    ctx.touch(doc);
    return { status: 204, headers: etag(doc.timeStamp) };
  }

  const lineKey = LINE_KEY[kind];
  const taxKey = TAX_KEY[kind];
  const allowed = [lineKey, taxKey, 'customerVatZoneId', 'note', 'hold', ...DATE_FIELDS];
  for (const key of Object.keys(body)) if (!allowed.includes(key)) return notSupported(key);

  const lineChanges =
    body[lineKey] === undefined ? { ok: true as const, value: [] } : parseLines(ctx, doc, lineKey, body[lineKey]);
  if (!lineChanges.ok) return lineChanges.reply;
  let zoneId = doc.customerVatZoneId;
  if (body.customerVatZoneId !== undefined) {
    const z = unwrap(body.customerVatZoneId);
    if (!z.ok || typeof z.value !== 'string' || !ctx.state.vatZones.some((x) => x.id === z.value))
      return fieldError('CustomerVatZoneId', `VAT zone '${z.ok ? String(z.value) : ''}' does not exist.`);
    zoneId = z.value;
  }
  const manual = isManualZone(ctx.state, zoneId);
  let taxLines: SandboxTaxDetail[] | undefined;
  if (body[taxKey] !== undefined) {
    const t = parseTaxLines(ctx, taxKey, body[taxKey], zoneId, manual);
    if (!t.ok) return t.reply;
    taxLines = t.value;
  }
  let note: string | null | undefined;
  if (body.note !== undefined) {
    const n = unwrap(body.note);
    if (!n.ok || (n.value !== null && typeof n.value !== 'string'))
      return fieldError('Note', 'expected {"value": "<text>"}');
    note = n.value as string | null;
  }
  let hold: boolean | undefined;
  if (body.hold !== undefined) {
    const h = unwrap(body.hold);
    if (!h.ok || typeof h.value !== 'boolean') return fieldError('Hold', 'expected {"value": true|false}');
    hold = h.value;
  }
  const dates = parseDates(body);
  if (!dates.ok) return dates.reply;

  for (const { line, category } of lineChanges.value)
    line.vatCode = { id: category.vatCategoryId, description: category.description };
  doc.customerVatZoneId = zoneId;
  if (note !== undefined) doc.note = note;
  if (hold !== undefined) {
    doc.hold = hold;
    doc.status = hold ? 'Hold' : 'Balanced';
  }
  applyDates(doc, dates.value);
  if (!manual) {
    applyVismaVat(doc, ctx.state); // sent tax detail lines are ignored: Visma computes
  } else {
    if (taxLines) {
      const stored = taxLines.map((t) => ({ ...t, recordId: ctx.state.nextRecordId++ }));
      doc.taxDetails = ctx.taxDetailsOnPut === 'append' ? [...doc.taxDetails, ...stored] : stored;
    }
    recomputeTotals(doc);
  }
  ctx.touch(doc);
  return { status: 204, headers: etag(doc.timeStamp) };
}
