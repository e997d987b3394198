import { documentCode, parseDocumentCode } from '../../shared/document-code.js';
import type { LedgerDocument } from '../../shared/domain.js';
import type { Minor } from '../../shared/money.js';
import {
  BLOCKING_BUCKETS,
  type DocumentSide,
  emptyBucketCounts,
  type MonthClosing,
  type MonthTotal,
  type ReconciledDocument,
  type Reconciliation,
} from '../../shared/month.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { CheckedRow } from '../engine/vat-mapping.js';
import { RELEASED } from '../engine/visma-document.js';
import { classify, type Pair } from './classify.js';
import { avataxSide, DEAD_AVATAX, destinationCountry, rateFor, vismaSide } from './sides.js';

/** Everything one month's reconciliation is decided from, read beforehand (see read-month.ts). */
export interface MonthInputs {
  month: string;
  from: string;
  to: string;
  /** Visma's invoices and credit notes dated in the month (and any found elsewhere for an AvaTax document). */
  visma: VismaDocument[];
  /** Items of Visma's lists it could not read: they block the month. */
  rejected: { referenceNumber?: string; reason: string }[];
  /** AvaTax's transactions dated in the month (and any found elsewhere for a Visma document). */
  avatax: TransactionModel[];
  ledger: ReadonlyMap<string, LedgerDocument>;
  mapping: readonly CheckedRow[];
  tolerance: Minor;
  baseCurrency?: string;
  now: Date;
  closed?: MonthClosing;
}

const AVATAX_TYPE_OF = { SalesInvoice: 'invoice', ReturnInvoice: 'credit-note' } as const;

/**
 * Matches the month's Visma documents with AvaTax's transactions by document code, sorts each into one bucket,
 * and totals both sides per country, VAT id, rate and currency (and in base currency). Pure: the same inputs give
 * the same reconciliation, so what the screen, the CSV and `reconcile --json` say is one thing.
 */
export function reconcile(input: MonthInputs): Reconciliation {
  const byCode = new Map<string, { visma?: VismaDocument; avatax?: TransactionModel }>();
  for (const doc of input.visma) {
    let code: string;
    try {
      code = documentCode(doc.kind, doc.referenceNumber);
    } catch {
      code = `${doc.kind}:${doc.referenceNumber}`;
    }
    byCode.set(code, { ...byCode.get(code), visma: doc });
  }
  for (const tx of input.avatax) {
    if (!(tx.type in AVATAX_TYPE_OF)) continue;
    const known = byCode.get(tx.code);
    // Several versions of one code: the live one wins (a voided earlier one says nothing about the month).
    if (known?.avatax && known.avatax.status !== 'Cancelled' && tx.status === 'Cancelled') continue;
    byCode.set(tx.code, { ...known, avatax: tx });
  }

  const documents: ReconciledDocument[] = [];
  for (const [code, { visma, avatax }] of byCode) {
    const parsed = parseDocumentCode(code);
    const key = visma
      ? `${visma.kind}:${visma.referenceNumber}`
      : parsed && parsed.type !== 'debit-note'
        ? `${parsed.type}:${parsed.referenceNumber}`
        : undefined;
    const ledger = key ? input.ledger.get(key) : undefined;
    // Voided in AvaTax and unknown to Visma: nothing to report on either side.
    if (!visma && avatax && DEAD_AVATAX.has(avatax.status)) continue;
    const row = reconcileOne(code, key, visma, avatax, ledger, input);
    // Dated outside the month on both sides (found only by a lookup for its other side): not this month's.
    if (!inMonth(row.visma?.date, input) && !inMonth(row.avatax?.date, input)) continue;
    documents.push(row);
  }
  for (const rejected of input.rejected) {
    documents.push({
      code: '',
      referenceNumber: rejected.referenceNumber ?? '(unknown)',
      customerNumber: '',
      customerName: '',
      bucket: 'onlyInVisma',
      differences: [],
      why: [`Visma sent a document we cannot read: ${rejected.reason}`],
      actions: ['correct-in-visma'],
      vatDifference: 0,
    });
  }
  documents.sort((a, b) =>
    BLOCKING_BUCKETS.includes(b.bucket) === BLOCKING_BUCKETS.includes(a.bucket)
      ? (a.visma?.date ?? a.avatax?.date ?? '').localeCompare(b.visma?.date ?? b.avatax?.date ?? '') ||
        a.referenceNumber.localeCompare(b.referenceNumber)
      : BLOCKING_BUCKETS.includes(a.bucket)
        ? -1
        : 1,
  );
  const counts = emptyBucketCounts();
  for (const d of documents) counts[d.bucket]++;
  const totals = totalsOf(documents);
  const vismaBase = documents.reduce((s, d) => s + (d.visma?.reported ? (d.visma.vatBase ?? 0) : 0), 0);
  const avataxBase = documents.reduce((s, d) => s + (d.avatax?.reported ? (d.avatax.vatBase ?? 0) : 0), 0);
  return {
    month: input.month,
    from: input.from,
    to: input.to,
    generatedAt: input.now.toISOString(),
    baseCurrency: input.baseCurrency,
    tolerance: input.tolerance,
    counts,
    clean: BLOCKING_BUCKETS.every((b) => counts[b] === 0),
    documents,
    totals,
    vatBase: { visma: vismaBase, avatax: avataxBase, difference: vismaBase - avataxBase },
    withoutRate: documents.filter((d) => (d.visma ?? d.avatax) && d.exchangeRate === undefined).length,
    problems: input.rejected.map((r) => `${r.referenceNumber ?? 'A document'}: ${r.reason}`),
    ...(input.closed ? { closed: input.closed } : {}),
  };
}

function inMonth(date: string | undefined, input: Pick<MonthInputs, 'from' | 'to'>): boolean {
  return date !== undefined && date >= input.from && date <= input.to;
}

function reconcileOne(
  code: string,
  key: string | undefined,
  visma: VismaDocument | undefined,
  tx: TransactionModel | undefined,
  ledger: LedgerDocument | undefined,
  input: MonthInputs,
): ReconciledDocument {
  const vs = visma ? vismaSide(visma, RELEASED, input.baseCurrency) : undefined;
  const currency = vs?.side?.currency ?? ledger?.currency ?? tx?.currencyCode ?? '';
  const exchangeRate = rateFor(
    currency,
    vs?.doc?.exchangeRate ?? ledger?.exchangeRate ?? numberOr(tx?.exchangeRate),
    input.baseCurrency,
  );
  const country = ledger?.country || (tx ? destinationCountry(tx) : undefined) || visma?.location?.countryId;
  const as = tx ? avataxSide(tx, input.mapping, country, exchangeRate) : undefined;
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
  const vatV = vs?.side?.reported ? vs.side.vat : 0;
  const vatA = as?.side.reported ? as.side.vat : 0;
  const baseV = vs?.side?.reported ? vs.side.vatBase : 0;
  const baseA = as?.side.reported ? as.side.vatBase : 0;
  return {
    ...(key ? { key } : {}),
    code,
    documentType: visma?.kind ?? (tx ? AVATAX_TYPE_OF[tx.type as keyof typeof AVATAX_TYPE_OF] : parsed?.type),
    referenceNumber: visma?.referenceNumber ?? ledger?.referenceNumber ?? parsed?.referenceNumber ?? code,
    customerNumber: visma?.customerNumber ?? ledger?.customerNumber ?? tx?.customerCode ?? '',
    customerName: visma?.customerName ?? ledger?.customerName ?? '',
    country: country?.toUpperCase(),
    vatNumber: ledger?.vatNumber ?? tx?.businessIdentificationNo ?? undefined,
    exchangeRate,
    bucket: verdict.bucket,
    differences: verdict.differences,
    why: verdict.why,
    actions: verdict.actions,
    ...(ledger ? { state: ledger.state } : {}),
    ...(vs?.side ? { visma: vs.side } : {}),
    ...(as ? { avatax: as.side } : {}),
    vatDifference: vatV - vatA,
    ...(baseV !== undefined && baseA !== undefined ? { vatDifferenceBase: baseV - baseA } : {}),
    ...(ledger?.acceptance
      ? { acceptance: { reason: ledger.acceptance.reason, by: ledger.acceptance.by, at: ledger.acceptance.at } }
      : {}),
  };
}

/**
 * Reported figures on each side grouped by ship-to country, VAT id and currency, with the VAT id's rate as
 * Visma shows it: Visma's released documents, AvaTax's committed ones. Base-currency sums leave out documents
 * without an exchange rate (counted in `withoutRate`).
 */
export function totalsOf(documents: readonly ReconciledDocument[]): MonthTotal[] {
  const groups = new Map<string, { total: MonthTotal; codes: Set<string> }>();
  const rates = new Map<string, number>();
  for (const d of documents) for (const l of d.visma?.lines ?? []) if (l.rate !== undefined) rates.set(l.vatId, l.rate);
  const add = (d: ReconciledDocument, side: DocumentSide | undefined, which: 'visma' | 'avatax') => {
    if (!side?.reported) return;
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

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
