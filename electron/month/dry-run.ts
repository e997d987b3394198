import type { DocumentKind } from '../../shared/month.js';
import { asReason, day, money, type Reason, reason, reasons } from '../../shared/reasons.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import { compareVat, explain, totalVat } from '../engine/compare.js';
import type { RunContext } from '../engine/context.js';
import { ConfigurationError, describeFailure, RefusedError } from '../engine/errors.js';
import { runPool } from '../engine/pool.js';
import { audit } from '../engine/recorder.js';
import { factsFor } from '../engine/situation.js';
import { readVatBook } from '../engine/sync-run.js';
import { transactionModel } from '../engine/tax-inputs.js';
import { mapTransaction } from '../engine/vat-mapping.js';
import { documentKey } from '../engine/visma-document.js';
import { listSelection, type Selection } from './listing.js';

/**
 * The dry run: what AvaTax would calculate for a set of documents, against the VAT Visma booked (nothing recorded
 * in AvaTax, nothing written to Visma). Its result types live in shared/month.ts, where the desk reads them too.
 */
export type { DryRunDocument, DryRunResult, DryRunSelection, DryRunTotal, DryRunVatLine } from '../../shared/month.js';

import type { DryRunDocument, DryRunResult, DryRunSelection, DryRunTotal } from '../../shared/month.js';

export interface DryRunOptions {
  onProgress?: (progress: { done: number; total: number }) => void;
}

const UNRELEASED_STATUSES = ['Hold', 'Balanced'];

/** Which documents, as the trail says it: "2026-10-01 to 2026-10-31; customer 10001; unreleased". */
export function describeSelection(s: DryRunSelection): Reason[] {
  return [
    ...(s.range ? [reason('selection-range', { from: day(s.range.from), to: day(s.range.to) })] : []),
    ...(s.customer ? [reason('selection-customer', { customer: s.customer })] : []),
    ...(s.unreleased ? [reason('selection-unreleased')] : []),
  ];
}

export async function dryRun(
  ctx: RunContext,
  selection: DryRunSelection,
  options: DryRunOptions = {},
): Promise<DryRunResult> {
  if (!selection.range && !selection.customer && !selection.unreleased)
    throw new RefusedError(reason('dry-run-no-selection'));
  try {
    return await run(ctx, selection, options);
  } catch (error) {
    // Wrong credentials stop it as they stop a sync: a configuration error (the CLI exits 2).
    const failure = describeFailure(error);
    if (failure.kind === 'auth' && !(error instanceof ConfigurationError))
      throw new ConfigurationError(failure.message);
    throw error;
  }
}

async function run(ctx: RunContext, selection: DryRunSelection, options: DryRunOptions): Promise<DryRunResult> {
  const notes: Reason[] = await readVatBook(ctx);
  const sel: Selection = {
    range: selection.range,
    customer: selection.customer,
    statuses: selection.unreleased ? UNRELEASED_STATUSES : undefined,
  };
  const listed = await listSelection(ctx.visma, sel, ctx.signal);
  for (const r of listed.rejected)
    notes.push(
      reason(r.referenceNumber ? 'dry-run-unreadable-number' : 'dry-run-unreadable', {
        kind: reasons([reason(`kind-${r.kind}`)]),
        ...(r.referenceNumber ? { reference: r.referenceNumber } : {}),
        reason: reasons([r.reason]),
      }),
    );
  // A voided document books nothing and is reported nowhere: there is nothing to compare.
  const raws = listed.documents.filter((d) => d.status !== 'Voided');
  const documents: DryRunDocument[] = new Array(raws.length);
  let done = 0;
  options.onProgress?.({ done, total: raws.length });
  await runPool(
    raws,
    ctx.settings.sync.concurrency,
    async (raw, index) => {
      documents[index] = await estimate(ctx, raw);
      done++;
      options.onProgress?.({ done, total: raws.length });
    },
    () => ctx.signal?.aborted ?? false,
  );
  ctx.signal?.throwIfAborted();
  const totals = totalsOf(documents);
  const result: DryRunResult = {
    runId: ctx.runId,
    at: ctx.now().toISOString(),
    selection,
    documents,
    totals,
    notes,
  };
  const differing = documents.filter((d) => d.differs).length;
  const problems = documents.filter((d) => d.problems.length > 0).length;
  audit(ctx, {
    action: 'dry-run',
    detail: reason(notes.length > 0 ? 'dry-run-done-notes' : 'dry-run-done', {
      selection: reasons(describeSelection(selection)),
      count: documents.length,
      differing,
      problems,
      difference: reasons(
        totals.length > 0
          ? totals.map((t) => reason('amount', { amount: money(t.difference, t.currency) }))
          : [reason('dry-run-no-vat')],
      ),
      ...(notes.length > 0 ? { notes: reasons(notes) } : {}),
    }),
    data: {
      documents: documents.length,
      calculated: documents.filter((d) => d.calculatedVat !== null).length,
      differing,
      problems,
      from: selection.range?.from ?? null,
      to: selection.range?.to ?? null,
      customer: selection.customer ?? null,
      unreleased: selection.unreleased ?? false,
    },
  });
  await ctx.store.checkpoint();
  return result;
}

/** One document: read and checked as the sync reads it, then calculated as an estimate and compared. */
async function estimate(ctx: RunContext, raw: VismaDocument): Promise<DryRunDocument> {
  const key = documentKey(raw);
  const row: DryRunDocument = {
    // The dry run lists invoices and credit notes only (listing.ts' default kinds).
    documentType: raw.kind as DocumentKind,
    referenceNumber: raw.referenceNumber,
    customerNumber: raw.customerNumber,
    customerName: raw.customerName,
    documentDate: raw.documentDate.slice(0, 10),
    currency: raw.currency,
    status: raw.status,
    ledgerState: ctx.store.ledger.entry(key)?.state,
    bookedVat: null,
    calculatedVat: null,
    difference: null,
    differs: false,
    lines: [],
    explanations: [],
    problems: [],
  };
  try {
    const f = await factsFor(ctx, raw, 'scheduled', await ctx.store.ledger.get(key));
    const doc = f.doc;
    if (!doc) return { ...row, problems: f.problems };
    row.currency = doc.currency;
    const booked = doc.booked;
    if (!booked) return { ...row, problems: [reason('visma-no-tax-details')] };
    row.bookedVat = totalVat(booked);
    if (!f.shipTo?.address) return { ...row, problems: [reason('customer-no-address')] };
    if (f.problems.length > 0) return { ...row, problems: f.problems };
    const address = await ctx.addresses.check(f.shipTo.address, f.shipTo.vatNumber);
    if (!address.valid)
      return {
        ...row,
        problems: [reason('dry-run-address-flagged', { reasons: reasons(address.reasons.map(asReason)) })],
      };
    const { model, problems } = transactionModel(f.inputs!, { commit: false, estimate: true });
    if (!model) return { ...row, problems };
    const tx = await ctx.avatax.estimateTransaction(model, ctx.signal);
    const mapped = mapTransaction(tx, ctx.mapping, f.shipTo.address.country);
    const cmp = compareVat(booked, mapped.calculated, 0);
    const ids = [...new Set([...booked, ...mapped.calculated].map((v) => v.vatId))].sort();
    row.lines = ids.map((vatId) => {
      const b = booked.find((v) => v.vatId === vatId);
      const c = mapped.calculated.find((v) => v.vatId === vatId);
      return {
        vatId,
        bookedTaxable: b?.taxable ?? 0,
        bookedVat: b?.vat ?? 0,
        calculatedTaxable: c?.taxable ?? 0,
        calculatedVat: c?.vat ?? 0,
        difference: (b?.vat ?? 0) - (c?.vat ?? 0),
      };
    });
    row.calculatedVat = mapped.calculatedTax;
    row.difference = row.bookedVat - mapped.calculatedTax;
    row.differs = row.difference !== 0 || !cmp.equal;
    row.explanations = explain(cmp.differences, doc, mapped.lines, ctx.book);
    row.problems = mapped.problems;
    return row;
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.kind === 'auth' || failure.kind === 'cancelled') throw error;
    return {
      ...row,
      problems: [...row.problems, reason('dry-run-not-calculated', { reason: reasons([failure.reason]) })],
    };
  }
}

function totalsOf(documents: readonly DryRunDocument[]): DryRunTotal[] {
  const byCurrency = new Map<string, DryRunTotal>();
  for (const d of documents) {
    const t = byCurrency.get(d.currency) ?? {
      currency: d.currency,
      documents: 0,
      calculated: 0,
      bookedVat: 0,
      calculatedVat: 0,
      difference: 0,
      differing: 0,
      withProblems: 0,
    };
    t.documents++;
    if (d.problems.length > 0) t.withProblems++;
    if (d.calculatedVat !== null && d.bookedVat !== null) {
      t.calculated++;
      t.bookedVat += d.bookedVat;
      t.calculatedVat += d.calculatedVat;
      t.difference += d.bookedVat - d.calculatedVat;
      if (d.differs) t.differing++;
    }
    byCurrency.set(d.currency, t);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
