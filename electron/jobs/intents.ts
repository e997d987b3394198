import { addMonths } from '../../shared/dates.js';
import { parseDocumentCode } from '../../shared/document-code.js';
import type { MonthClosing } from '../../shared/month.js';
import { avataxStatus, day, monthValue, type Reason, reason, reasons } from '../../shared/reasons.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import { VismaError } from '../connectors/visma/errors.js';
import { kindOf, type VismaDocument } from '../connectors/visma/types.js';
import type { RunContext } from '../engine/context.js';
import type { Trigger } from '../engine/facts.js';
import { processDocument } from '../engine/process-document.js';
import { audit } from '../engine/recorder.js';
import { stub } from '../engine/sync-run.js';
import type { Intent } from '../store/intents.js';
import { type RepairResume, repairMonth } from './repair.js';

/**
 * The next start after a kill: every intent announced and never settled is resolved by reading the service,
 * and its outcome recorded with who asked for it and why. A document's effect is taken up by the document's
 * own processing, started from what AvaTax holds now (so an adjust or a record that did happen is found and
 * recorded, never made a second time; one that did not happen is decided again). A void from Month-end is
 * recorded when AvaTax shows it; a month's close is finished when its audit entry was written; a month's repair
 * is run again to its end.
 */
export async function resolveIntents(ctx: RunContext): Promise<number> {
  const pending = ctx.store.intents.pending();
  for (const intent of pending) {
    ctx.signal?.throwIfAborted();
    let outcome: string;
    if (intent.kind === 'close') outcome = await resolveClose(ctx, intent);
    else if (intent.kind === 'repair') outcome = await resolveRepair(ctx, intent);
    else if (intent.key) outcome = await resolveDocument(ctx, intent);
    else outcome = await resolveCodeOnly(ctx, intent);
    ctx.store.intents.settle(intent.id, outcome);
  }
  if (pending.length > 0) await ctx.store.checkpoint();
  return pending.length;
}

/**
 * What was interrupted, said in the reader's language: the effect (by its kind), who asked, when and why, and
 * what the restart found (`outcome`). The intent's own `what` stays in the intent log as written.
 */
function interrupted(intent: Intent, outcome: Reason): Reason {
  return reason('intent-interrupted', {
    effect: reasons([
      reason(`intent-effect-${intent.kind}`, {
        code: intent.code ?? intent.referenceNumber ?? '',
        month: intent.month ? monthValue(intent.month) : '',
      }),
    ]),
    by: intent.by,
    at: day(intent.at),
    why: reasons(intent.why ? [reason('intent-why', { why: intent.why })] : []),
    outcome: reasons([outcome]),
  });
}

async function held(ctx: RunContext, code: string | undefined, kind: string): Promise<TransactionModel | undefined> {
  if (!code) return undefined;
  const type = kind === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice';
  try {
    return await ctx.avatax.getTransaction(code, type, ctx.signal);
  } catch (error) {
    if (error instanceof AvaTaxError && error.kind === 'not-found') return undefined;
    throw error;
  }
}

async function resolveDocument(ctx: RunContext, intent: Intent): Promise<string> {
  const key = intent.key!;
  const kind = kindOf(key);
  const reference = key.slice(key.indexOf(':') + 1);
  const tx = await held(ctx, intent.code, kind);
  let doc: VismaDocument | undefined;
  try {
    doc = (await ctx.visma.getDocument(kind, reference, ctx.signal)).document;
  } catch (error) {
    if (!(error instanceof VismaError && error.kind === 'not-found')) throw error;
  }
  audit(ctx, {
    action: 'recovered',
    documentKey: key,
    referenceNumber: reference,
    detail: interrupted(
      intent,
      reason('intent-outcome-document', {
        code: intent.code ?? reference,
        avatax: tx ? avataxStatus(tx.status) : reasons([reason('intent-avatax-none')]),
        visma: reasons([doc ? reason('intent-visma-status', { status: doc.status }) : reason('intent-visma-gone')]),
      }),
    ),
    data: { intent: intent.id, kind: intent.kind, by: intent.by, avataxStatus: tx?.status ?? null },
  });
  const previous = await ctx.store.ledger.get(key);
  const trigger: Trigger = intent.trigger === 'accept' || intent.trigger === 'adjust' ? intent.trigger : 'scheduled';
  if (!doc) {
    if (!previous) return 'gone from Visma, unknown to the ledger';
    const state = await processDocument(ctx, stub(previous), 'scheduled', { deleted: true, previous, held: tx });
    return state;
  }
  return processDocument(ctx, doc, trigger, { reason: intent.why, previous, held: tx });
}

/** A void from Month-end of an AvaTax document Visma does not have (another system's, or deleted). */
async function resolveCodeOnly(ctx: RunContext, intent: Intent): Promise<string> {
  const parsed = intent.code ? parseDocumentCode(intent.code) : undefined;
  const tx = await held(ctx, intent.code, parsed?.type ?? 'invoice');
  const done = tx === undefined || tx.status === 'Cancelled';
  audit(ctx, {
    action: done ? 'voided' : 'recovered',
    referenceNumber: parsed?.referenceNumber ?? intent.code,
    detail: interrupted(
      intent,
      done
        ? reason('intent-outcome-voided', { code: intent.code ?? '' })
        : reason('intent-outcome-not-voided', { code: intent.code ?? '', avatax: avataxStatus(tx!.status) }),
    ),
    data: { intent: intent.id, avataxCode: intent.code ?? null, avataxStatus: tx?.status ?? null },
  });
  return done ? 'voided' : 'not done';
}

/** A close killed between its audit entry and state.json is finished; one killed before its entry is not. */
async function resolveClose(ctx: RunContext, intent: Intent): Promise<string> {
  const closing = (intent.data as { closing?: MonthClosing } | undefined)?.closing;
  const month = intent.month ?? closing?.month;
  if (!month || !closing) return 'unreadable';
  if (ctx.store.state.closedMonth(month)) return 'closed';
  // The entry follows the intent: in the company's month of the intent's instant, or a later one.
  const from = addMonths(intent.at.slice(0, 7), -1);
  const trail = [];
  for (const m of ctx.store.audit.months().filter((m) => m >= from)) trail.push(...(await ctx.store.audit.entries(m)));
  const written = trail.some((e) => e.action === 'month-closed' && e.data?.month === month && e.at >= intent.at);
  if (written) {
    await ctx.store.state.closeMonth(closing);
    audit(ctx, {
      action: 'recovered',
      detail: interrupted(intent, reason('intent-outcome-closed', { month: monthValue(month) })),
      data: { intent: intent.id, month },
    });
    return 'closed';
  }
  audit(ctx, {
    action: 'recovered',
    detail: interrupted(intent, reason('intent-outcome-not-closed', { month: monthValue(month) })),
    data: { intent: intent.id, month },
  });
  return 'not closed';
}

/** A repair killed halfway: run again with what the index knew of the month before it, so no row is lost. */
async function resolveRepair(ctx: RunContext, intent: Intent): Promise<string> {
  const resume = intent.data as Partial<RepairResume> | undefined;
  if (!intent.month || !resume?.known) return 'unreadable';
  audit(ctx, {
    action: 'recovered',
    detail: interrupted(intent, reason('intent-outcome-repair', { month: monthValue(intent.month) })),
    data: { intent: intent.id, month: intent.month },
  });
  await repairMonth(ctx, intent.month, { known: resume.known, ...(resume.file ? { file: resume.file } : {}) });
  return 'repaired';
}
