import type { LedgerDocument } from '../../shared/domain.js';
import { reason, reasons } from '../../shared/reasons.js';
import { VismaError } from '../connectors/visma/errors.js';
import { kindOf, type VismaDocument } from '../connectors/visma/types.js';
import type { RunContext } from './context.js';
import { describeFailure } from './errors.js';
import { audit } from './recorder.js';
import { UNRELEASED } from './visma-document.js';

/** Documents read one by one per run to confirm a deletion; more wait for the next run (in turn). */
export const MAX_DELETION_CHECKS = 25;

/**
 * When the check is large: more calculated documents to account for than `large` (some pages of Visma's unreleased
 * lists), it runs at most once every `everyMs`.
 */
export const DELETION_CHECK = { large: 200, everyMs: 60 * 60_000 };

export interface CalculatedCheck {
  /** Visma no longer has them: two signals agree (absent from its unreleased lists, 404 on a GET). */
  deleted: LedgerDocument[];
  /** Visma still has them, though the run's listing did not bring them: processed like any document. */
  found: VismaDocument[];
}

/**
 * A document deleted in Visma never appears in a modified-since listing, so a `calculated` one (AvaTax holds it
 * Saved, uncommitted) would wait forever. Visma deletes only unreleased documents, so the calculated documents the
 * run's listing did not bring are looked for in Visma's own lists of Hold and Balanced documents (pages only,
 * without tax details); only those missing there are read one by one, at most MAX_DELETION_CHECKS per run (one
 * found there after all, released say, is processed like any other). A
 * document counts as deleted only when Visma then answers 404 for it: any other answer leaves it as it is, and a
 * list Visma would not give means nothing is concluded in this run.
 *
 * Those lists cost a call per 100 unreleased documents (Visma's page cap here) on every run, whatever the run has
 * to do: 490 calls for a month of 49,000, 40 % of Visma's hourly 15,000 at a run every 5 minutes (visma.md,
 * rate limits). So a large check (DELETION_CHECK) runs at most once an hour, and a run that skips it says so in
 * the audit trail: a deleted document is found within the hour. Its AvaTax document is uncommitted meanwhile (in
 * no filing), so the hour changes no figure the user reports.
 */
export async function checkCalculated(ctx: RunContext, listed: ReadonlySet<string>): Promise<CalculatedCheck> {
  const result: CalculatedCheck = { deleted: [], found: [] };
  // From the ledger's index alone: no month is opened unless a document turns out to be deleted.
  const keys = ctx.store.ledger.keys(
    (e, key) => e.state === 'calculated' && !listed.has(key) && /^(invoice|credit-note|debit-note):/.test(key),
  );
  const now = ctx.now();
  if (keys.length === 0) {
    ctx.store.state.noteDeletionCheck(now.toISOString());
    return result;
  }
  const next = nextLargeCheck(ctx.store.state.deletionCheckedAt);
  if (keys.length > DELETION_CHECK.large && next !== undefined && now.getTime() < next) {
    audit(ctx, {
      action: 'fetched',
      detail: reason('deleted-check-deferred', { count: keys.length, at: { date: new Date(next).toISOString() } }),
    });
    return result;
  }
  const kinds = [...new Set(keys.map((k) => kindOf(k)))];
  const present = new Set<string>();
  try {
    // Every list asked for at once (a round trip each, not one after another); any failure concludes nothing.
    const lists = kinds.flatMap((kind) =>
      [...UNRELEASED].map(async (status) => {
        const page = await ctx.visma.listDocuments(kind, { status, taxDetails: false }, { signal: ctx.signal });
        return { kind, page };
      }),
    );
    for (const list of lists) list.catch(() => undefined);
    for (const { kind, page } of await Promise.all(lists)) {
      for (const d of page.documents) present.add(`${kind}:${d.referenceNumber}`);
      for (const r of page.rejected) if (r.referenceNumber) present.add(`${kind}:${r.referenceNumber}`);
    }
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.kind === 'auth' || failure.kind === 'cancelled') throw error;
    audit(ctx, {
      action: 'failed',
      detail: reason('deleted-check-failed', { error: reasons([failure.reason]) }),
    });
    return result;
  }
  // Every calculated document is now accounted for: in Visma's lists, or missing there and read by itself (in
  // turn, MAX_DELETION_CHECKS a check).
  ctx.store.state.noteDeletionCheck(now.toISOString());
  const missing = keys.filter((k) => !present.has(k));
  for (const key of inTurn(missing, ctx.store.state.runs().length)) {
    const kind = kindOf(key);
    const reference = key.slice(key.indexOf(':') + 1);
    try {
      result.found.push((await ctx.visma.getDocument(kind, reference, ctx.signal)).document);
    } catch (error) {
      if (error instanceof VismaError && error.kind === 'not-found') {
        const row = await ctx.store.ledger.get(key);
        if (row) result.deleted.push(row);
        continue;
      }
      const failure = describeFailure(error);
      if (failure.kind === 'auth' || failure.kind === 'cancelled') throw error;
      // Anything but "not found" proves nothing: the document stays as it is until a run can tell.
    }
  }
  return result;
}

/** When a large check is due again (ms), or undefined when none was ever made. */
function nextLargeCheck(checkedAt: string | undefined): number | undefined {
  const at = checkedAt === undefined ? Number.NaN : Date.parse(checkedAt);
  return Number.isFinite(at) ? at + DELETION_CHECK.everyMs : undefined;
}

/** At most MAX_DELETION_CHECKS of them, a different slice each run, so every one is reached in turn. */
function inTurn<T>(items: readonly T[], run: number): T[] {
  if (items.length <= MAX_DELETION_CHECKS) return [...items];
  const start = (run * MAX_DELETION_CHECKS) % items.length;
  return [...items.slice(start), ...items.slice(0, start)].slice(0, MAX_DELETION_CHECKS);
}
