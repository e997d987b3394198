import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackfillProgress, Pacer } from '../../electron/month/backfill.js';
import { testClock } from '../helpers/clock.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/** A clock that runs only when the backfill waits: the pace is checked without waiting for it. */
function fakePacer(): Pacer & { sleeps: number[]; t: number } {
  const p = {
    t: 0,
    sleeps: [] as number[],
    now: () => p.t,
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason;
      p.sleeps.push(ms);
      p.t += ms;
    },
  };
  return p;
}

const transactionPosts = (w: EngineWorld) =>
  w.sandboxes.avatax.server.log.filter((e) => e.method === 'POST' && /\/transactions\//.test(e.path));
const createdCodes = (w: EngineWorld, from = 0) =>
  w.sandboxes.avatax.server.log
    .slice(from)
    .filter((e) => e.method === 'POST' && /\/transactions\/(create|createoradjust)$/.test(e.path))
    .map((e) => {
      const body = JSON.parse(e.body);
      return (body.createTransactionModel ?? body).code as string;
    });

describe('the backfill', () => {
  let w: EngineWorld;
  let range: { from: string; to: string };
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 5 });
    const dates = w.sandboxes.visma.state.documents.map((d) => d.documentDate).sort();
    range = { from: dates[0]!, to: dates.at(-1)! };
  });
  afterEach(() => w.close());

  it('a checkpoint that fails (a full disk) leaves the saved position where the last good one put it: nothing skipped', async () => {
    const real = w.store.checkpoint.bind(w.store);
    let good = 0;
    w.store.checkpoint = async () => {
      if (good >= 6) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      good++;
      return real();
    };
    const result = await w.engine.backfill({ range }, 'cli', { perMinute: 1000, pacer: fakePacer() }).catch((e) => e);
    expect(result).toBeInstanceOf(Error);
    const onDisk = JSON.parse(readFileSync(join(w.dir, 'state.json'), 'utf8')).backfill;
    expect(onDisk.status).toBe('paused');
    // The rows after the last good checkpoint never reached the disk: the position must not be past them.
    await w.reopen();
    const recorded = new Set((await w.store.ledger.all()).map((d) => d.referenceNumber));
    expect(onDisk.done).toBeLessThanOrEqual(recorded.size);
    const resumed = await w.engine.backfill({ resume: true }, 'cli', { pacer: fakePacer() });
    expect(resumed.status).toBe('completed');
    const all = new Set((await w.store.ledger.all()).map((d) => d.referenceNumber));
    expect(all.size).toBe(resumed.total);
  });

  it('paused in the middle, resumed by a new engine over the same data folder, at the pace asked, with its ETA', async () => {
    const pacer = fakePacer();
    const pause = new AbortController();
    const events: BackfillProgress[] = [];
    const first = await w.engine.backfill({ range }, 'cli', {
      perMinute: 6,
      pacer,
      pause: pause.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.done === 10) pause.abort();
      },
    });
    expect(first).toMatchObject({ status: 'paused', done: 10, from: range.from, to: range.to, perMinute: 6 });
    const total = first.total;
    expect(total).toBe(35);
    // Ten documents, each sent: nine waits of ten seconds between them, none after the pause.
    expect(pacer.sleeps).toEqual(Array(9).fill(10_000));
    // Which month it is in, for the screen's "month X, N of M documents": before the first, the first's.
    expect(events[0]).toEqual({ done: 0, total, etaSeconds: total * 10, month: range.from.slice(0, 7) });
    expect(events.at(-1)!.month).toMatch(/^\d{4}-\d{2}$/);
    for (const e of events) expect(e.etaSeconds).toBe((total - e.done) * 10);
    const onDisk = JSON.parse(readFileSync(join(w.dir, 'state.json'), 'utf8')).backfill;
    expect(onDisk).toMatchObject({ status: 'paused', done: 10, total });
    expect(typeof onDisk.cursor).toBe('string');
    const recorded = new Set(
      (await w.store.ledger.all()).map((d) => d.avataxCode).filter((c) => c && createdCodes(w).includes(c)),
    );
    expect(recorded.size).toBeGreaterThan(0);

    // The app closes; a new one opens the same folder and goes on where it stopped.
    await w.store.close();
    await w.reopen();
    expect(w.engine.backfillStatus()).toMatchObject({ status: 'paused', done: 10 });
    const from = w.sandboxes.avatax.server.log.length;
    const second = await w.engine.backfill({ resume: true }, 'cli', { pacer: fakePacer() });
    expect(second).toMatchObject({ status: 'completed', done: total, total });
    // Nothing done before the pause was sent again.
    for (const code of createdCodes(w, from)) expect(recorded.has(code), code).toBe(false);
    const ledger = await w.store.ledger.all();
    expect(ledger).toHaveLength(total);
    expect(ledger.filter((d) => d.state === 'pending' || d.state === 'pending-retry')).toEqual([]);

    const audit = [];
    for (const m of w.store.audit.months()) audit.push(...(await w.store.audit.entries(m)));
    expect(
      audit.filter((e) => e.action === 'backfill').map((e) => text(e.detail).replace(/ of \S+ to \S+/, '')),
    ).toEqual([
      'Backfill started, 6 a minute',
      'Backfill paused after 10 of 35 documents; resume goes on from there',
      'Backfill resumed after 10 documents, 6 a minute',
      expect.stringMatching(/^Backfill finished: 35 of 35 documents/),
    ]);
    const runs = w.store.state.runs().filter((r) => r.kind === 'backfill');
    expect(runs.map((r) => r.outcome)).toEqual(['cancelled', 'completed']);

    // The same range again sends nothing, and waits for nothing.
    const posts = transactionPosts(w).length;
    const puts = w.sandboxes.visma.server.log.filter((e) => e.method === 'PUT').length;
    const quiet = fakePacer();
    const third = await w.engine.backfill({ range }, 'cli', { pacer: quiet, perMinute: 6 });
    expect(third).toMatchObject({ status: 'completed', done: total });
    expect(transactionPosts(w)).toHaveLength(posts);
    expect(w.sandboxes.visma.server.log.filter((e) => e.method === 'PUT')).toHaveLength(puts);
    expect(quiet.sleeps).toEqual([]);
  }, 60_000);

  it('lets go of each ledger month it has passed, not holding every month of its range', async () => {
    const early = await startEngineWorld({ invoices: 30, creditNotes: 5, clock: testClock('2026-11-02T12:00:00Z') });
    try {
      const dates = early.sandboxes.visma.state.documents.map((d) => d.documentDate).sort();
      expect(new Set(dates.map((d) => d.slice(0, 7))).size).toBe(2);
      const held: string[][] = [];
      const done = await early.engine.backfill({ range: { from: dates[0]!, to: dates.at(-1)! } }, 'cli', {
        pacer: fakePacer(),
        perMinute: 1000,
        onProgress: () => held.push(early.store.ledger.monthsInMemory),
      });
      expect(done.status).toBe('completed');
      expect(new Set(held.flat())).toEqual(new Set(['2026-10', '2026-11']));
      // October is let go of once November begins; a credit note may read its October invoice again later.
      expect(held.find((months) => months.includes('2026-11'))).toEqual(['2026-11']);
      expect(held.every((months) => months.length <= 2)).toBe(true);
    } finally {
      await early.close();
    }
  }, 60_000);

  it('a backfilled document ends exactly as a synced one', async () => {
    await w.engine.backfill({ range }, 'cli', { pacer: fakePacer(), perMinute: 1000 });
    const synced = await startEngineWorld({ invoices: 30, creditNotes: 5 });
    try {
      await synced.engine.run('user');
      const states = async (x: EngineWorld) =>
        Object.fromEntries(
          (await x.store.ledger.all()).map((d) => [d.key, [d.state, d.bookedTax, d.calculatedTax, d.recordedTax]]),
        );
      expect(await states(w)).toEqual(await states(synced));
    } finally {
      await synced.close();
    }
  }, 60_000);

  it('one stopped with the app (the folder still says running) is paused, and resumes from its position', async () => {
    const pacer = fakePacer();
    const pause = new AbortController();
    await w.engine.backfill({ range }, 'cli', {
      pacer,
      pause: pause.signal,
      onProgress: (p) => p.done === 4 && pause.abort(),
    });
    // As if the process had been killed while it ran.
    await w.store.state.saveBackfill({ ...w.store.state.backfill!, status: 'running', pausedAt: undefined });
    await w.store.close();
    await w.reopen();
    expect(w.engine.backfillStatus()).toMatchObject({ status: 'paused', done: 4 });
    const events: BackfillProgress[] = [];
    const done = await w.engine.backfill({ resume: true }, 'cli', { pacer, onProgress: (p) => events.push(p) });
    expect(events[0]!.done).toBe(4);
    expect(done.status).toBe('completed');
  }, 60_000);

  it('never beside a sync; nothing to resume and a bad pace are said in words', async () => {
    await expect(w.engine.backfill({ resume: true }, 'cli')).rejects.toThrow(/No backfill was started/);
    await expect(w.engine.backfill({ range }, 'cli', { perMinute: 0 })).rejects.toThrow(/--per-minute/);
    let syncDone = false;
    const seen: string[] = [];
    const sync = w.engine.run('user').then(() => {
      syncDone = true;
    });
    const back = w.engine.backfill({ range }, 'cli', {
      pacer: fakePacer(),
      onProgress: () => seen.push(`${syncDone} ${w.engine.runningJob}`),
    });
    await Promise.all([sync, back]);
    expect(new Set(seen)).toEqual(new Set(['true backfill']));
    await expect(w.engine.backfill({ resume: true }, 'cli')).rejects.toThrow(/is finished: there is nothing to resume/);
  }, 60_000);
});
