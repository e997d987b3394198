import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../electron/connectors/http.js';
import type { BackfillRecord, Pacer } from '../../electron/month/backfill.js';
import { avataxCreates, type EngineWorld, startEngineWorld, vismaPuts } from '../helpers/engine.js';

/**
 * A pace whose clock runs only when the backfill waits, and whose waits can be held: while the gate is shut a
 * wait does not end (a pace of one a minute, as the desk may ask, is hours of waiting for a year). A held wait
 * still ends when its signal aborts, as the real one does.
 */
function gatedPacer(): Pacer & { shut(): void; open(): void; held: number } {
  let gate: Promise<void> | undefined;
  let release: (() => void) | undefined;
  const p = {
    t: 0,
    held: 0,
    now: () => p.t,
    shut: () => {
      gate ??= new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    open: () => {
      release?.();
      gate = undefined;
    },
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason;
      if (gate) {
        p.held++;
        await new Promise<void>((resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          void gate?.then(resolve);
        });
      }
      p.t += ms;
    },
  };
  return p;
}

const states = async (w: EngineWorld) =>
  Object.fromEntries(
    (await w.store.ledger.all()).map((d) => [d.key, [d.state, d.bookedTax, d.calculatedTax, d.recordedTax]]),
  );

const settled = <T>(p: Promise<T>) => {
  const s = { done: false };
  p.then(
    () => (s.done = true),
    () => (s.done = true),
  );
  return s;
};

describe('the job slot while a paced backfill runs (issue 14, item 12)', () => {
  const worlds: EngineWorld[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.close();
  });
  const world = async () => {
    const w = await startEngineWorld({ invoices: 16, creditNotes: 4 });
    worlds.push(w);
    const dates = w.sandboxes.visma.state.documents.map((d) => d.documentDate).sort();
    return { w, range: { from: dates[0]!, to: dates.at(-1)! } };
  };

  it('a Sync now and a Reconcile are answered between batches; the backfill then finishes its range, nothing lost or done twice', async () => {
    // The reference: the same company, the backfill alone.
    const alone = await world();
    const reference = await alone.w.engine.backfill({ range: alone.range }, 'cli', {
      perMinute: 1,
      pacer: gatedPacer(),
    });
    expect(reference).toMatchObject({ status: 'completed', done: 20, total: 20 });

    const { w, range } = await world();
    const pacer = gatedPacer();
    const back = w.engine.backfill({ range }, 'cli', {
      perMinute: 1,
      pacer,
      // The sixth document waits a minute behind the fifth, and the wait is held: hours, as far as anyone can tell.
      onProgress: (p) => p.done === 5 && pacer.shut(),
    });
    const backSettled = settled(back);
    await expect.poll(() => pacer.held, { timeout: 10_000 }).toBe(1);
    // Asked for while the backfill waits for its pace. Before the fix these waited behind the whole backfill:
    // the gate never opens, so they never answered.
    const asked = Promise.all([w.engine.run('user'), w.engine.reconcileMonth(range.to.slice(0, 7), 'user')]);
    const [summary, reconciliation] = await asked;
    expect(summary).toMatchObject({ outcome: 'completed' });
    expect(reconciliation).toMatchObject({ month: range.to.slice(0, 7) });
    expect(backSettled.done).toBe(false);
    expect(w.engine.backfillStatus()).toMatchObject({ status: 'running' });
    expect(w.engine.backfillStatus()!.done).toBe(5);
    // Its wait was cut short for them and taken up again after them, still held.
    await expect.poll(() => pacer.held, { timeout: 10_000 }).toBe(2);

    pacer.open();
    const record: BackfillRecord = await back;
    expect(record).toMatchObject({ status: 'completed', done: 20, total: 20 });
    // Nothing lost: every document ends as the backfill alone left it; nothing done twice: AvaTax was asked to
    // create (or adjust) each document as often as by the backfill alone, and Visma written to as often.
    expect(await states(w)).toEqual(await states(alone.w));
    const codes = (x: EngineWorld) => avataxCreates(x).map((c) => c.code);
    expect(codes(w).sort()).toEqual(codes(alone.w).sort());
    expect(vismaPuts(w).sort()).toEqual(vismaPuts(alone.w).sort());
    // One job at a time, in the run history too: the sync and the reconcile between the backfill's batches.
    expect(w.store.state.runs().map((r) => [r.kind, r.outcome])).toEqual([
      ['sync', 'completed'],
      ['backfill', 'completed'],
    ]);
  }, 60_000);

  it('names the job running and the ones waiting; a pause asked while the backfill gives way stops it there, its position kept', async () => {
    const { w, range } = await world();
    const pacer = gatedPacer();
    const pause = new AbortController();
    const seen: { jobs: unknown; backfill?: string }[] = [];
    w.engine.onProgress(() => seen.push({ jobs: w.engine.jobs, backfill: w.engine.backfillStatus()?.status }));
    expect(w.engine.jobs).toEqual({ waiting: [] });
    let sync: Promise<unknown> | undefined;
    const back = w.engine.backfill({ range }, 'cli', {
      perMinute: 1,
      pacer,
      pause: pause.signal,
      onProgress: (p) => {
        if (p.done !== 3 || sync) return;
        pacer.shut();
        sync = w.engine.run('user');
        // Asked for: it waits for the backfill's next batch boundary.
        seen.push({ jobs: w.engine.jobs });
        // The user pauses the backfill while the sync has its turn.
        w.engine.onProgress(() => pause.abort());
      },
    });
    await expect.poll(() => sync, { timeout: 10_000 }).toBeDefined();
    await sync;
    const record = await back;
    expect(seen[0]).toEqual({ jobs: { running: 'backfill', waiting: ['sync'] } });
    // While the sync runs between batches, the backfill waits its turn and is still running, not paused.
    expect(seen[1]).toEqual({ jobs: { running: 'sync', waiting: ['backfill'] }, backfill: 'running' });
    // Back in the slot it sees the pause at once: no further document, the position on disk where it stopped.
    expect(record).toMatchObject({ status: 'paused', done: 3, total: 20 });
    // It gave way at the boundary, before its wait: the held wait was never begun.
    expect(pacer.held).toBe(0);
    expect(w.engine.jobs).toEqual({ waiting: [] });
    expect(w.engine.backfillStatus()).toMatchObject({ status: 'paused', done: 3 });

    pacer.open();
    const resumed = await w.engine.backfill({ resume: true }, 'cli', { pacer, perMinute: 1000 });
    expect(resumed).toMatchObject({ status: 'completed', done: 20, total: 20 });
    expect(await w.store.ledger.all()).toHaveLength(20);
  }, 60_000);

  it('a turn given after documents passed quietly saves the position first: the next job starts from a boundary', async () => {
    const { w, range } = await world();
    // Everything already recorded: the backfill passes each document over quietly (its position is saved only
    // every fifty such), so the turn itself must make the boundary.
    expect((await w.engine.run('user')).outcome).toBe('completed');
    const onDisk: unknown[] = [];
    w.engine.onProgress(() => {
      if (onDisk.length === 0)
        onDisk.push(JSON.parse(readFileSync(join(w.dir, 'state.json'), 'utf8')).backfill, w.engine.backfillStatus());
    });
    let sync: Promise<unknown> | undefined;
    const record = await w.engine.backfill({ range }, 'cli', {
      perMinute: 1000,
      pacer: gatedPacer(),
      onProgress: (p) => {
        if (p.done === 7 && !sync) sync = w.engine.run('user');
      },
    });
    await sync;
    expect(record).toMatchObject({ status: 'completed', done: 20 });
    const [saved, live] = onDisk as [{ done: number; cursor: string }, { done: number; cursor: string }];
    expect(saved.done).toBe(7);
    expect(saved.cursor).toBe(live.cursor);
  }, 60_000);

  it("the Overview's Cancel stops the sync waiting for its turn, not the backfill (that has its own Pause)", async () => {
    const { w, range } = await world();
    const pacer = gatedPacer();
    let sync: Promise<unknown> | undefined;
    const back = w.engine.backfill({ range }, 'cli', {
      perMinute: 1,
      pacer,
      onProgress: (p) => {
        if (p.done !== 2 || sync) return;
        sync = w.engine.run('user').catch((e: unknown) => e);
        expect(w.engine.cancel({ spare: 'backfill' })).toBe(true);
      },
    });
    const record = await back;
    expect(record).toMatchObject({ status: 'completed', done: 20 });
    // Cancelled before its turn came: it never started.
    expect(await sync).toBeInstanceOf(CancelledError);
    // Switching company or quitting still stops everything.
    expect(w.engine.cancel()).toBe(false);
  }, 60_000);
});
