import type { LedgerDocument } from '../../shared/domain.js';
import { VismaError } from '../connectors/visma/errors.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { RunContext } from './context.js';
import type { Facts, Trigger } from './facts.js';
import { resolveShipTo } from './ship-to.js';
import { fingerprint, taxInputsOf, transactionModel } from './tax-inputs.js';
import { readDocument } from './visma-document.js';

/**
 * The facts about one Visma document as it stands: read and checked, its ship-to resolved from the invoice's
 * location (customer and location read once per run), its tax inputs and their fingerprint.
 */
export async function factsFor(
  ctx: RunContext,
  raw: VismaDocument,
  trigger: Trigger,
  previous: LedgerDocument | undefined,
  reason?: string,
): Promise<Facts> {
  const base: Facts = {
    trigger,
    reason,
    by: ctx.by,
    policy: ctx.policy,
    previous,
    raw,
    problems: [],
    wrote: 0,
    recorded: 0,
  };
  return describe(ctx, base, raw);
}

/** The same facts after Visma answered with a newer version (read-back, 412): what AvaTax holds is kept. */
export async function refreshFacts(ctx: RunContext, f: Facts, raw: VismaDocument, trigger?: Trigger): Promise<Facts> {
  const next = await describe(ctx, { ...f, trigger: trigger ?? f.trigger, raw, problems: [] }, raw);
  const sameShipTo = JSON.stringify(next.shipTo) === JSON.stringify(f.shipTo);
  return {
    ...next,
    address: sameShipTo ? f.address : undefined,
    avatax: f.avatax ? { ...f.avatax, current: f.avatax.fingerprint === next.fingerprint } : undefined,
  };
}

async function describe(ctx: RunContext, f: Facts, raw: VismaDocument): Promise<Facts> {
  const read = readDocument(raw);
  if (!read.ok) return { ...f, doc: undefined, problems: read.problems };
  const doc = read.doc;
  // Customer and location are asked for together (one round trip, not two); the customer's failure comes first.
  const pendingLocation = doc.locationId
    ? ctx.locations.get(`${doc.customerNumber}\u0000${doc.locationId}`)
    : undefined;
  pendingLocation?.catch(() => undefined);
  const { customer } = await ctx.customers.get(doc.customerNumber);
  let location: Awaited<ReturnType<typeof ctx.locations.get>>['location'] | undefined;
  if (pendingLocation) {
    try {
      location = (await pendingLocation).location;
    } catch (error) {
      // A location Visma no longer has: the customer's own addresses are the ship-to.
      if (!(error instanceof VismaError && error.kind === 'not-found')) throw error;
    }
  }
  const shipTo = resolveShipTo(customer, location);
  const facts: Facts = { ...f, doc, shipTo, problems: [] };
  if (!shipTo.address) return facts;
  const original = doc.appliesToInvoice ? await ctx.store.ledger.get(`invoice:${doc.appliesToInvoice}`) : undefined;
  const inputs = taxInputsOf(
    doc,
    shipTo.address,
    shipTo.vatNumber,
    ctx.settings,
    original ? { date: original.documentDate, vatNumber: original.vatNumber, lines: original.lines } : undefined,
  );
  const print = fingerprint(inputs);
  // AvaTax already holds a document made from exactly these inputs: what the model check refuses, it never sent.
  // Not checked again (a sync that finds nothing changed does this for every document of the month).
  const prev = f.previous;
  const taken =
    (prev?.state === 'posted' || prev?.state === 'calculated') &&
    (prev.avataxFingerprint ?? prev.fingerprint) === print;
  const problems = taken ? [] : transactionModel(inputs, { commit: false }).problems;
  return { ...facts, appliesTo: original, inputs, fingerprint: print, problems };
}
