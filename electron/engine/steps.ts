import { type Minor, minorToDecimalString, toMinor } from '../../shared/money.js';
import { formatReason, formatReasons } from '../../shared/reason-format.js';
import {
  avataxStatus,
  list,
  money as moneyValue,
  type Reason,
  type ReasonValue,
  reason,
  reasons,
} from '../../shared/reasons.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import type { CreateTransactionModel, TransactionModel } from '../connectors/avatax/types.js';
import { RetryableHttpError } from '../connectors/http.js';
import type { DocumentWriteBack } from '../connectors/visma/client.js';
import { VismaError } from '../connectors/visma/errors.js';
import { allocateBooked } from './allocate.js';
import { totalVat } from './compare.js';
import type { RunContext } from './context.js';
import type { AvaTaxFacts, Facts, Step } from './facts.js';
import type { Recorder } from './recorder.js';
import { refreshFacts } from './situation.js';
import { creditNoteFallback, sameInputs, transactionModel } from './tax-inputs.js';
import { mapTransaction } from './vat-mapping.js';
import { parseServerTime } from './watermark.js';

/**
 * The effects at the edge: each step the decision asks for, carried out against AvaTax or Visma, answered with
 * the facts as they now stand. Every effect is audited through the recorder as it happens.
 */
export async function runStep(
  ctx: RunContext,
  f: Facts,
  step: Exclude<Step, { do: 'finish' }>,
  rec: Recorder,
): Promise<Facts> {
  switch (step.do) {
    case 'check-address': {
      const address = await ctx.addresses.check(f.shipTo!.address!, f.shipTo!.vatNumber, f.shipTo!.vatCountry);
      rec.effect(
        f,
        'address-checked',
        address.valid
          ? reason('effect-address-valid', {
              checkedBy: reasons([reason(`checked-by-${address.checkedBy}`)]),
              source: reasons([reason(`ship-to-source-${f.shipTo!.source ?? 'main-address'}`)]),
            })
          : reason('effect-address-invalid', {
              checkedBy: reasons([reason(`checked-by-${address.checkedBy}`)]),
              reasons: reasons(address.reasons),
            }),
      );
      return { ...f, address };
    }
    case 'calculate': {
      const { model } = transactionModel(f.inputs!, { commit: false });
      await rec.announce(f, step.adjust ? 'adjust' : 'calculate', `AvaTax calculates ${model!.code} (uncommitted)`);
      const { tx, ours } = await send(ctx, f, model!, step.adjust, rec);
      const avatax = facts(ctx, f, tx, undefined, ours);
      if (tx.status !== 'Committed' && tx.status !== 'Cancelled') {
        rec.effect(
          f,
          step.adjust ? 'adjusted' : 'calculated',
          withBasis(
            reason('effect-calculated', {
              code: model!.code,
              tax: money(avatax.mapped.calculatedTax, f),
              status: avataxStatus(tx.status),
            }),
            f,
          ),
          { avataxId: tx.id, totalTax: avatax.mapped.calculatedTax, status: tx.status },
        );
      }
      return { ...f, avatax };
    }
    case 'record-booked': {
      const doc = f.doc!;
      const allocation = allocateBooked(doc, doc.booked!, f.avatax?.mapped.lines ?? [], ctx.book);
      const { model } = transactionModel(f.inputs!, {
        commit: step.commit,
        recordBooked: allocation,
        // The user's words for an adjustment go to AdjustTransaction's description, never into an override.
        reason:
          f.trigger === 'accept' && f.reason
            ? `Accepted as booked in Visma: ${f.reason}`.slice(0, 255)
            : 'VAT booked in Visma.net',
      });
      await rec.announce(
        f,
        step.adjust ? 'adjust' : 'record',
        `AvaTax records ${model!.code} with the VAT Visma booked, ${plain(totalVat(doc.booked!), f)}${step.commit ? ', committed' : ''}`,
      );
      const { tx, ours } = await send(ctx, f, model!, step.adjust, rec);
      const avatax = facts(ctx, f, tx, undefined, ours);
      // AvaTax answered with a document it already held (committed or voided): judged, not counted as ours.
      if (!ours) return { ...f, avatax };
      rec.effect(
        f,
        step.adjust ? 'adjusted' : 'calculated',
        withBasis(
          reason('effect-recorded', {
            status: avataxStatus(tx.status),
            booked: money(totalVat(doc.booked!), f),
            calculated: money(avatax.mapped.calculatedTax, f),
          }),
          f,
        ),
        { avataxId: tx.id, recordedTax: avatax.mapped.recordedTax, calculatedTax: avatax.mapped.calculatedTax },
      );
      return { ...f, avatax, recorded: f.recorded + 1 };
    }
    case 'commit': {
      let tx: TransactionModel;
      await rec.announce(f, 'commit', `AvaTax commits ${f.doc!.code}`);
      try {
        tx = await ctx.avatax.commitTransaction(f.doc!.code, f.inputs!.type, ctx.signal);
      } catch (error) {
        // Voided (or committed) in AvaTax meanwhile: what it holds now is for the decision to judge.
        if (!(error instanceof AvaTaxError && error.kind === 'already-posted')) throw error;
        const held = await find(ctx, transactionModel(f.inputs!, { commit: false }).model!);
        if (!held) throw error;
        return { ...f, avatax: facts(ctx, f, held) };
      }
      const avatax = facts(ctx, f, tx, f.avatax);
      rec.effect(
        f,
        'committed',
        reason('effect-committed', { code: f.doc!.code, recorded: money(avatax.mapped.recordedTax, f) }),
        { avataxId: tx.id },
      );
      return { ...f, avatax };
    }
    case 'void': {
      const code = f.doc?.code ?? f.previous!.avataxCode;
      const type = f.raw.kind === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice';
      let status = 'Cancelled';
      await rec.announce(f, 'void', `AvaTax voids ${code} (${step.reason})`);
      try {
        status = (await ctx.avatax.voidTransaction(code, type, step.reason, ctx.signal)).status;
      } catch (error) {
        if (!(error instanceof AvaTaxError && error.kind === 'not-found')) throw error;
      }
      rec.effect(
        f,
        'voided',
        reason(step.reason === 'DocDeleted' ? 'effect-voided-deleted' : 'effect-voided', { code, reason: step.reason }),
      );
      const mapped = f.avatax?.mapped ?? emptyMapping();
      return { ...f, avatax: { status, current: false, mapped } };
    }
    case 'write-back':
      return writeBack(ctx, f, step.change, rec);
    case 'release': {
      await rec.announce(f, 'release', `Visma releases ${f.raw.referenceNumber}`);
      await ctx.visma.release(f.raw.kind, f.raw.referenceNumber, f.raw.timeStamp, ctx.signal);
      const { document } = await ctx.visma.getDocument(f.raw.kind, f.raw.referenceNumber, ctx.signal);
      rec.effect(f, 'released', reason('effect-released', { status: document.status }));
      return refreshFacts(ctx, f, document);
    }
  }
}

/**
 * PUTs what differs, with If-Match, and reads the document back: what Visma booked is what the decision looks
 * at next, never what was sent. A 412 re-reads it and decides again (a conflict retry adjusts nothing).
 */
async function writeBack(ctx: RunContext, f: Facts, change: DocumentWriteBack, rec: Recorder): Promise<Facts> {
  const { raw } = f;
  const sentAt = ctx.now().getTime();
  // An intent's words stay text until the intents store keeps reasons (electron/jobs/intents.ts says them).
  await rec.announce(f, 'write-back', `Visma is given ${formatReasons(describeChange(change, currencyOf(f)), 'en')}`);
  try {
    await ctx.visma.writeBack(raw.kind, raw.referenceNumber, raw.timeStamp, change, ctx.signal);
  } catch (error) {
    if (error instanceof VismaError && error.kind === 'precondition-failed') {
      const { document } = await ctx.visma.getDocument(raw.kind, raw.referenceNumber, ctx.signal);
      rec.effect(f, 'retried', reason('effect-conflict-read-again'));
      return refreshFacts(ctx, f, document, 'conflict-retry');
    }
    throw error;
  }
  const { document } = await ctx.visma.getDocument(raw.kind, raw.referenceNumber, ctx.signal);
  try {
    ctx.serverOffsets.push(parseServerTime(document.lastModifiedDateTime) - sentAt);
  } catch {
    // An unreadable time teaches nothing about Visma's clock.
  }
  ctx.counts.writtenBack++;
  rec.effect(
    f,
    'written-back',
    reason('effect-written-back', {
      changes: reasons(describeChange(change, currencyOf(f))),
      booked: money(totalVatOf(document, f), f),
    }),
    { vatZoneId: change.vatZoneId ?? null },
  );
  return { ...(await refreshFacts(ctx, f, document)), wrote: f.wrote + 1 };
}

/** A write-back as reasons: what is set on the document (VAT amounts as Visma shows them, signed as sent). */
function describeChange(change: DocumentWriteBack, currency: string): Reason[] {
  const parts: Reason[] = [];
  if (change.vatZoneId) parts.push(reason('write-back-zone', { zone: change.vatZoneId }));
  if (change.lines)
    parts.push(
      reason('write-back-categories', {
        categories: list([...new Set(change.lines.map((l) => l.vatCodeId))]),
        lines: list(change.lines.map((l) => String(l.lineNumber))),
      }),
    );
  if (change.taxDetails && change.taxDetails.length > 0)
    parts.push(
      reason('write-back-vat', {
        amounts: reasons(
          change.taxDetails.map((t) =>
            reason('write-back-vat-line', { vatId: t.taxId, amount: moneyValue(toMinor(t.vatAmount), currency) }),
          ),
        ),
      }),
    );
  if (change.note !== undefined) parts.push(reason('write-back-note'));
  return parts;
}

/**
 * Create (one attempt: a lost answer goes through get, then createoradjust), or createoradjust when adjusting.
 * A code AvaTax already holds committed or voided answers with that document, for the decision to judge.
 */
async function send(
  ctx: RunContext,
  f: Facts,
  model: CreateTransactionModel,
  adjust: boolean,
  rec: Recorder,
): Promise<{ tx: TransactionModel; ours: boolean }> {
  if (adjust) return adjustIn(ctx, f, model, rec);
  try {
    return { tx: await ctx.avatax.createTransaction(model, ctx.signal), ours: true };
  } catch (error) {
    if (error instanceof AvaTaxError && error.kind === 'already-posted') {
      const held = await find(ctx, model);
      if (!held)
        throw new AvaTaxError('data', 400, 'DocumentCodeConflict', `AvaTax refused ${model.code} but does not show it`);
      rec.effect(
        f,
        'already-posted',
        reason('effect-already-held', { code: model.code, status: avataxStatus(held.status) }),
        {
          avataxId: held.id,
        },
      );
      if (held.status === 'Committed') ctx.counts.alreadyPosted++;
      return { tx: held, ours: false };
    }
    if (!(error instanceof RetryableHttpError)) throw error;
    rec.effect(f, 'retried', reason('effect-create-unanswered', { error: error.message }), {
      correlationId: error.correlationId ?? null,
    });
    const held = await find(ctx, model);
    if (held && held.status !== 'Saved') return { tx: held, ours: false };
    return { tx: await ctx.avatax.createOrAdjustTransaction(model, ctx.signal), ours: true };
  }
}

/**
 * A new version of a document AvaTax holds committed goes through AdjustTransaction, with the reason AvaTax keeps
 * on it (`adjustmentReason` ReconciledWithGeneralLedger: AvaTax is brought to what Visma booked) and the user's
 * words as its description, audited; anything else (a voided or uncommitted one recorded again) through
 * createoradjust. A lost answer is looked up: a version made from these inputs is ours.
 */
async function adjustIn(
  ctx: RunContext,
  f: Facts,
  model: CreateTransactionModel,
  rec: Recorder,
): Promise<{ tx: TransactionModel; ours: boolean }> {
  if ((f.avatax?.status ?? f.previous?.avataxStatus) !== 'Committed')
    return { tx: await ctx.avatax.createOrAdjustTransaction(model, ctx.signal), ours: true };
  const words = adjustmentWords(f);
  // AvaTax keeps the description as text (AdjustTransactionModel.adjustmentDescription): in English there.
  const description = formatReason(words, 'en');
  let tx: TransactionModel;
  try {
    tx = await ctx.avatax.adjustTransaction(model.code, model.type, ADJUSTMENT, description, model, ctx.signal);
  } catch (error) {
    if (!(error instanceof RetryableHttpError)) throw error;
    const held = await find(ctx, model);
    if (!held || !sameInputsOf(f, held)) throw error;
    tx = held;
  }
  rec.effect(
    f,
    'adjusted',
    reason('effect-adjusted', {
      code: model.code,
      version: tx.version ?? '?',
      adjustment: ADJUSTMENT,
      description: reasons([words]),
    }),
    { avataxId: tx.id, version: tx.version ?? null, adjustmentReason: ADJUSTMENT },
  );
  return { tx, ours: true };
}

const ADJUSTMENT = 'ReconciledWithGeneralLedger' as const;

/** What the adjustment says: the user's words, when they gave a reason. */
function adjustmentWords(f: Facts): Reason {
  if (f.trigger === 'adjust' && f.reason?.trim()) return reason('text', { text: f.reason.trim() });
  if (f.trigger === 'accept' && f.reason?.trim()) return reason('adjustment-accepted', { reason: f.reason.trim() });
  return reason('adjustment-recorded-again');
}

function sameInputsOf(f: Facts, tx: TransactionModel): boolean {
  return f.inputs !== undefined && sameInputs(f.inputs, tx);
}

async function find(ctx: RunContext, model: CreateTransactionModel): Promise<TransactionModel | undefined> {
  try {
    return await ctx.avatax.getTransaction(model.code, model.type, ctx.signal);
  } catch (error) {
    if (error instanceof AvaTaxError && error.kind === 'not-found') return undefined;
    throw error;
  }
}

/**
 * What AvaTax's answer says: its result mapped to Visma, and whether it was made from the current inputs (an
 * answer to what we just sent was; a document AvaTax already held is compared).
 */
export function facts(ctx: RunContext, f: Facts, tx: TransactionModel, known?: AvaTaxFacts, ours = false): AvaTaxFacts {
  const mapped =
    (tx.lines?.length ?? 0) > 0 || !known
      ? mapTransaction(tx, ctx.mapping, f.shipTo?.address?.country ?? '')
      : known.mapped;
  const current = known ? known.current : ours || (f.inputs !== undefined && sameInputs(f.inputs, tx));
  return {
    status: tx.status,
    current,
    fingerprint: current ? f.fingerprint : undefined,
    mapped,
    id: tx.id,
    locked: tx.locked ?? undefined,
  };
}

function emptyMapping(): AvaTaxFacts['mapped'] {
  return { lines: [], recorded: [], calculated: [], recordedTax: 0, calculatedTax: 0, overridden: false, problems: [] };
}

function totalVatOf(document: { vatTotal: number }, f: Facts): number {
  const sign = f.raw.kind === 'credit-note' ? -1 : 1;
  try {
    return sign * toMinor(document.vatTotal);
  } catch {
    return 0;
  }
}

/** A credit note taxed without its invoice says on what (`creditNoteFallback`), after what was done. */
function withBasis(done: Reason, f: Facts): Reason {
  const fallback = f.doc ? creditNoteFallback(f.doc, f.appliesTo && { date: f.appliesTo.documentDate }) : undefined;
  return fallback ? reason('reasons', { reasons: reasons([done, fallback]) }) : done;
}

function currencyOf(f: Facts): string {
  return f.doc?.currency ?? f.raw.currency;
}

/** An amount of the document's currency as a reason's money value: each language formats it. */
function money(m: Minor, f: Facts): ReasonValue {
  return moneyValue(m, currencyOf(f));
}

/** An amount in an intent's text (intents keep text: see `writeBack`). */
function plain(m: Minor, f: Facts): string {
  return `${minorToDecimalString(m)} ${currencyOf(f)}`;
}
