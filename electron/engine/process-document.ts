import type { DocumentState, LedgerDocument } from '../../shared/domain.js';
import type { TransactionModel } from '../connectors/avatax/types.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import { explain } from './compare.js';
import type { RunContext } from './context.js';
import { decide } from './decide.js';
import type { Facts, Trigger } from './facts.js';
import { Recorder } from './recorder.js';
import { factsFor } from './situation.js';
import { facts, runStep } from './steps.js';
import { documentKey } from './visma-document.js';

/** A document settles in a few steps (address, calculate, write, read back, record, commit); more is a loop. */
const MAX_STEPS = 10;

/**
 * Processes one Visma document: gathers the facts, asks the decision for the next step, carries it out, and
 * asks again until the decision says how the document ends; the recorder writes that down.
 */
export async function processDocument(
  ctx: RunContext,
  raw: VismaDocument,
  trigger: Trigger,
  options: {
    reason?: string;
    deleted?: boolean;
    previous?: LedgerDocument;
    /**
     * What AvaTax holds for the document, read just before (a resumed effect): the decision starts from it,
     * so an adjust or a record that did happen is found, never made a second time.
     */
    held?: TransactionModel;
  } = {},
): Promise<DocumentState> {
  const rec = new Recorder(ctx);
  let previous = options.previous;
  let f: Facts | undefined;
  try {
    previous ??= await ctx.store.ledger.get(documentKey(raw));
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
      if (step.do === 'finish') return await rec.finish(now, step.outcome);
      ctx.signal?.throwIfAborted();
      f = await runStep(ctx, now, step, rec);
    }
    return await rec.finish(f, {
      state: 'needs-attention',
      reasons: [`The document did not settle in ${MAX_STEPS} steps: reprocess it, and report it if it happens again`],
      action: 'needs-attention',
      detail: 'Did not settle',
      count: 'needsAttention',
    });
  } catch (error) {
    return rec.failed(raw, previous, error, f);
  }
}
