import type { DocumentState, LedgerDocument } from '../../shared/domain.js';
import { reason } from '../../shared/reasons.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import { explain } from './compare.js';
import type { RunContext } from './context.js';
import { correctionOf, decide, followUpsOf } from './decide.js';
import type { Facts, FollowUp, Trigger } from './facts.js';
import { documentLock } from './keyed-lock.js';
import { Recorder } from './recorder.js';
import { factsFor } from './situation.js';
import { facts, runStep } from './steps.js';
import { documentKey } from './visma-document.js';

/** A document settles in a few steps (address, calculate, write, read back, record, commit); more is a loop. */
const MAX_STEPS = 10;

export interface ProcessOptions {
  reason?: string;
  deleted?: boolean;
  /** The ledger's row when the caller has it; read again under the document's lock (the newer one wins). */
  previous?: LedgerDocument;
  /**
   * What AvaTax holds for the document, read just before (a resumed effect): the decision starts from it,
   * so an adjust or a record that did happen is found, never made a second time.
   */
  held?: TransactionModel;
}

/**
 * Processes one Visma document: gathers the facts, asks the decision for the next step, carries it out, and
 * asks again until the decision says how the document ends; the recorder writes that down. One writer per
 * document: it runs under the document's lock, and what its outcome asks of other documents (the invoice a
 * credit note corrects) runs afterwards under theirs, decided from their rows as they are then.
 */
export async function processDocument(
  ctx: RunContext,
  raw: VismaDocument,
  trigger: Trigger,
  options: ProcessOptions = {},
): Promise<DocumentState> {
  const lock = documentLock(ctx.store);
  const { state, followUps } = await lock.run(documentKey(raw), () => settle(ctx, raw, trigger, options));
  for (const followUp of followUps)
    await lock.run(followUp.key, async () => {
      const invoice = await ctx.store.ledger.get(followUp.key);
      const acceptance = correctionOf(invoice, followUp, ctx.now().toISOString());
      if (invoice && acceptance) await new Recorder(ctx).corrected(invoice, acceptance);
    });
  return state;
}

async function settle(
  ctx: RunContext,
  raw: VismaDocument,
  trigger: Trigger,
  options: ProcessOptions,
): Promise<{ state: DocumentState; followUps: FollowUp[] }> {
  const rec = new Recorder(ctx);
  let previous = options.previous;
  let f: Facts | undefined;
  const done = (state: DocumentState) => ({ state, followUps: [] });
  try {
    // Read under the lock: a row written by the work before this one on the same document is the one to follow.
    previous = (await ctx.store.ledger.get(documentKey(raw))) ?? options.previous;
    f = options.deleted
      ? { trigger, by: ctx.by, policy: ctx.policy, previous, raw, problems: [], wrote: 0, recorded: 0, deleted: true }
      : await factsFor(ctx, raw, trigger, previous, options.reason);
    if (options.held && !options.deleted) f = { ...f, avatax: facts(ctx, f, options.held) };
    else if (options.held) f = { ...f, avatax: { ...facts(ctx, f, options.held), current: false } };
    for (let i = 0; i < MAX_STEPS; i++) {
      const now: Facts = f;
      const step = decide(now, (differences) =>
        explain(differences, now.doc!, now.avatax?.mapped.lines ?? [], ctx.book),
      );
      if (step.do === 'finish')
        return { state: await rec.finish(now, step.outcome), followUps: followUpsOf(now, step.outcome) };
      ctx.signal?.throwIfAborted();
      f = await runStep(ctx, now, step, rec);
    }
    return done(
      await rec.finish(f, {
        state: 'needs-attention',
        reasons: [reason('did-not-settle', { steps: MAX_STEPS })],
        action: 'needs-attention',
        detail: reason('did-not-settle', { steps: MAX_STEPS }),
        count: 'needsAttention',
      }),
    );
  } catch (error) {
    return done(await rec.failed(raw, previous, error, f));
  }
}
