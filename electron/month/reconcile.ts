import { documentCode, parseDocumentCode } from '../../shared/document-code.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { type Minor, toBase } from '../../shared/money.js';
import {
  BLOCKING_BUCKETS,
  type DocumentSide,
  emptyBucketCounts,
  type MonthClosing,
  type MonthTotal,
  type ReconciledDocument,
  type Reconciliation,
} from '../../shared/month.js';
import { type Reason, reason, reasons } from '../../shared/reasons.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { CheckedRow } from '../engine/vat-mapping.js';
import { RELEASED } from '../engine/visma-document.js';
import { classify, type Pair } from './classify.js';
import { currentVersions } from './completeness.js';
import { avataxSide, DEAD_AVATAX, destinationCountry, rateFor, vismaSide } from './sides.js';
import { vatReturnOf } from './vat-report.js';

/** Everything one month's reconciliation is decided from, read beforehand (see read-month.ts). */
export interface MonthInputs {
  month: string;
  from: string;
  to: string;
  /** Visma's documents dated in the month (and any found elsewhere for an AvaTax document or a ledger row). */
  visma: VismaDocument[];
  /** Items of Visma's lists it could not read: they block the month. */
  rejected: { referenceNumber?: string; reason: Reason }[];
  /** AvaTax's transactions dated in the month, every version listed (and any found elsewhere by code). */
  avatax: TransactionModel[];
  ledger: ReadonlyMap<string, LedgerDocument>;
  /** Why the listings may not be the whole month (completeness.ts, read-month.ts): each keeps it from clean. */
  doubts: Reason[];
  mapping: readonly CheckedRow[];
  tolerance: Minor;
  baseCurrency?: string;
  /** The company's own country (its ship-from): domestic supplies are the ones shipped within it. */
  homeCountry?: string;
  now: Date;
  closed?: MonthClosing;
}

const AVATAX_TYPE_OF = { SalesInvoice: 'invoice', ReturnInvoice: 'credit-note' } as const;

/**
 * Matches the month's Visma documents with AvaTax's transactions by document code, sorts each into one bucket,
 * and totals both sides per country, VAT id, rate and currency (and in base currency), each side in the month it
 * dates the document. Pure: the same inputs give the same reconciliation, whatever order the lists came in, so
 * what the screen, the CSV and `reconcile --json` say is one thing.
 */
export function reconcile(input: MonthInputs): Reconciliation {
  const inMonth = (date: string) => date >= input.from && date <= input.to;
  const byCode = new Map<string, { visma?: VismaDocument; avatax?: TransactionModel }>();
  for (const doc of [...input.visma].sort(byNumber)) {
    const code = codeOf(doc);
    if (byCode.get(code)?.visma) continue; // listed twice: said as a doubt by the listing's check
    byCode.set(code, { ...byCode.get(code), visma: doc });
  }
  const versions = currentVersions(input.avatax.filter((tx) => tx.type in AVATAX_TYPE_OF));
  for (const tx of versions.current) byCode.set(tx.code, { ...byCode.get(tx.code), avatax: tx });
  const incomplete = [...input.doubts, ...versions.doubts];

  const documents: ReconciledDocument[] = [];
  for (const [code, { visma, avatax }] of byCode) {
    const parsed = parseDocumentCode(code);
    const key = visma
      ? `${visma.kind}:${visma.referenceNumber}`
      : parsed
        ? `${parsed.type}:${parsed.referenceNumber}`
        : undefined;
    const ledger = key ? input.ledger.get(key) : undefined;
    // Voided in AvaTax and unknown to Visma: nothing to report on either side.
    if (!visma && avatax && DEAD_AVATAX.has(avatax.status)) continue;
    const row = reconcileOne(code, key, visma, avatax, ledger, input, inMonth);
    // Dated outside the month on both sides (found only by a lookup for its other side): not this month's.
    if (!row.visma?.inMonth && !row.avatax?.inMonth) continue;
    documents.push(row);
  }
  for (const rejected of input.rejected) {
    documents.push({
      code: '',
      referenceNumber: rejected.referenceNumber ?? '',
      customerNumber: '',
      customerName: '',
      bucket: 'onlyInVisma',
      differences: [],
      why: [reason('month-visma-rejected', { reason: reasons([rejected.reason]) })],
      actions: ['correct-in-visma'],
      variance: { visma: 0, avatax: 0, difference: 0, avataxFigure: 'recorded' },
    });
  }
  documents.sort(
    (a, b) =>
      Number(BLOCKING_BUCKETS.includes(b.bucket)) - Number(BLOCKING_BUCKETS.includes(a.bucket)) ||
      (a.visma?.date ?? a.avatax?.date ?? '').localeCompare(b.visma?.date ?? b.avatax?.date ?? '') ||
      a.referenceNumber.localeCompare(b.referenceNumber, 'en', { numeric: true }) ||
      a.code.localeCompare(b.code),
  );
  const counts = emptyBucketCounts();
  for (const d of documents) counts[d.bucket]++;
  const counted = (side: DocumentSide | undefined) => (side?.reported && side.inMonth ? (side.vatBase ?? 0) : 0);
  const vismaBase = documents.reduce((s, d) => s + counted(d.visma), 0);
  const avataxBase = documents.reduce((s, d) => s + counted(d.avatax), 0);
  const problems = input.rejected.map((r) =>
    reason('month-visma-rejected-item', { reference: r.referenceNumber ?? '—', reason: reasons([r.reason]) }),
  );
  return {
    month: input.month,
    from: input.from,
    to: input.to,
    generatedAt: input.now.toISOString(),
    baseCurrency: input.baseCurrency,
    tolerance: input.tolerance,
    counts,
    clean: BLOCKING_BUCKETS.every((b) => counts[b] === 0) && incomplete.length === 0 && problems.length === 0,
    documents,
    totals: totalsOf(documents),
    vatBase: { visma: vismaBase, avatax: avataxBase, difference: vismaBase - avataxBase },
    vatReturn: vatReturnOf(documents, input.homeCountry),
    withoutRate: documents.filter((d) => (d.visma ?? d.avatax) && d.exchangeRate === undefined).length,
    problems,
    incomplete,
    ...(input.closed ? { closed: input.closed } : {}),
  };
}

function codeOf(doc: VismaDocument): string {
  try {
    return documentCode(doc.kind, doc.referenceNumber);
  } catch {
    return `${doc.kind}:${doc.referenceNumber}`;
  }
}

function byNumber(a: VismaDocument, b: VismaDocument): number {
  return (
    a.kind.localeCompare(b.kind) ||
    a.referenceNumber.localeCompare(b.referenceNumber) ||
    b.timeStamp.localeCompare(a.timeStamp)
  );
}

function reconcileOne(
  code: string,
  key: string | undefined,
  visma: VismaDocument | undefined,
  tx: TransactionModel | undefined,
  ledger: LedgerDocument | undefined,
  input: MonthInputs,
  inMonth: (date: string) => boolean,
): ReconciledDocument {
  const vs = visma ? vismaSide(visma, RELEASED, input.baseCurrency, inMonth) : undefined;
  const country = ledger?.country || (tx ? destinationCountry(tx) : undefined) || visma?.location?.countryId;
  const as = tx ? avataxSide(tx, input.mapping, country, inMonth) : undefined;
  const exchangeRate =
    vs?.side?.exchangeRate ??
    rateFor(vs?.side?.currency ?? ledger?.currency ?? '', ledger?.exchangeRate, input.baseCurrency) ??
    as?.side.exchangeRate;
  const pair: Pair = {
    visma: vs?.side,
    vismaProblems: vs && !vs.side ? vs.problems : undefined,
    avatax: as?.side,
    avataxProblems: as?.problems.length ? as.problems : undefined,
    ledger,
    foreign: !visma && parseDocumentCode(code) === undefined,
  };
  const verdict = classify(pair, input.tolerance);
  const parsed = parseDocumentCode(code);
  return {
    ...(key ? { key } : {}),
    code,
    documentType:
      visma?.kind ?? parsed?.type ?? (tx ? AVATAX_TYPE_OF[tx.type as keyof typeof AVATAX_TYPE_OF] : undefined),
    referenceNumber: visma?.referenceNumber ?? ledger?.referenceNumber ?? parsed?.referenceNumber ?? code,
    customerNumber: visma?.customerNumber ?? ledger?.customerNumber ?? tx?.customerCode ?? '',
    customerName: visma?.customerName ?? ledger?.customerName ?? '',
    country: country?.toUpperCase(),
    // Visma's buyer VAT number as the ledger read it; AvaTax's only for a document the ledger does not know.
    vatNumber: ledger ? ledger.vatNumber : (tx?.businessIdentificationNo ?? undefined),
    ...(!ledger && !tx ? { buyerUnknown: true } : {}),
    exchangeRate,
    bucket: verdict.bucket,
    differences: verdict.differences,
    why: verdict.why,
    actions: verdict.actions,
    ...(ledger ? { state: ledger.state } : {}),
    ...(vs?.side ? { visma: vs.side } : {}),
    ...(as ? { avatax: as.side } : {}),
    variance: varianceOf(vs?.side, as?.side, input.tolerance),
    ...(ledger?.acceptance
      ? { acceptance: { reason: ledger.acceptance.reason, by: ledger.acceptance.by, at: ledger.acceptance.at } }
      : {}),
  };
}

/**
 * The document's variance, one sign everywhere: Visma − AvaTax. AvaTax's figure is what it records, unless that
 * is Visma's VAT while its own calculation says otherwise: then its calculation, the difference that blocks.
 */
export function varianceOf(
  v: DocumentSide | undefined,
  a: DocumentSide | undefined,
  tolerance: Minor,
): ReconciledDocument['variance'] {
  const live = (s: DocumentSide | undefined) => s !== undefined && s.status !== 'Voided' && !DEAD_AVATAX.has(s.status);
  const vismaVat = live(v) ? v!.vat : 0;
  const vismaBase = live(v) ? v!.vatBase : 0;
  let avataxVat = 0;
  let avataxBase: Minor | undefined = 0;
  let avataxFigure: 'recorded' | 'calculated' = 'recorded';
  if (live(a)) {
    const calculated = a!.calculatedVat;
    const slack = tolerance * Math.max(1, a!.lines.length);
    if (calculated !== undefined && a!.vat === vismaVat && Math.abs(calculated - a!.vat) > slack) {
      avataxFigure = 'calculated';
      avataxVat = calculated;
      const lines = a!.calculated ?? [];
      avataxBase =
        lines.length > 0 && lines.every((l) => l.vatBase !== undefined)
          ? lines.reduce((s, l) => s + l.vatBase!, 0)
          : a!.exchangeRate !== undefined
            ? toBase(calculated, a!.exchangeRate)
            : undefined;
    } else {
      avataxVat = a!.vat;
      avataxBase = a!.vatBase;
    }
  }
  return {
    visma: vismaVat,
    avatax: avataxVat,
    difference: vismaVat - avataxVat,
    ...(vismaBase !== undefined ? { vismaBase } : {}),
    ...(avataxBase !== undefined ? { avataxBase } : {}),
    ...(vismaBase !== undefined && avataxBase !== undefined ? { differenceBase: vismaBase - avataxBase } : {}),
    avataxFigure,
  };
}

/**
 * Reported figures on each side grouped by ship-to country, VAT id and currency, with the VAT id's rate as
 * Visma shows it: Visma's released documents, AvaTax's committed ones, each side only in the month it dates the
 * document. Base-currency sums leave out documents without an exchange rate (counted in `withoutRate`).
 */
export function totalsOf(documents: readonly ReconciledDocument[]): MonthTotal[] {
  const groups = new Map<string, { total: MonthTotal; codes: Set<string> }>();
  const rates = new Map<string, number>();
  for (const d of documents) for (const l of d.visma?.lines ?? []) if (l.rate !== undefined) rates.set(l.vatId, l.rate);
  const add = (d: ReconciledDocument, side: DocumentSide | undefined, which: 'visma' | 'avatax') => {
    if (!side?.reported || !side.inMonth) return;
    for (const line of side.lines) {
      const k = [d.country ?? '', line.vatId, side.currency].join('\u0000');
      const rate = rates.get(line.vatId);
      const g = groups.get(k) ?? {
        codes: new Set<string>(),
        total: {
          country: d.country ?? '',
          vatId: line.vatId,
          ...(rate !== undefined ? { rate } : {}),
          currency: side.currency,
          visma: { taxable: 0, vat: 0, taxableBase: 0, vatBase: 0 },
          avatax: { taxable: 0, vat: 0, taxableBase: 0, vatBase: 0 },
          documents: 0,
        },
      };
      const t = g.total[which];
      t.taxable += line.taxable;
      t.vat += line.vat;
      t.taxableBase += line.taxableBase ?? 0;
      t.vatBase += line.vatBase ?? 0;
      g.codes.add(d.code || d.referenceNumber);
      g.total.documents = g.codes.size;
      groups.set(k, g);
    }
  };
  for (const d of documents) {
    add(d, d.visma, 'visma');
    add(d, d.avatax, 'avatax');
  }
  return [...groups.values()]
    .map((g) => g.total)
    .sort(
      (a, b) =>
        a.country.localeCompare(b.country) || a.vatId.localeCompare(b.vatId) || a.currency.localeCompare(b.currency),
    );
}
