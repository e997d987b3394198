import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backfillStatusHandler,
  dryRunHandler,
  MONTH_IPC_INPUTS,
  pauseBackfillHandler,
  resumeBackfillHandler,
  startBackfillHandler,
} from '../../electron/app/month-handlers.js';
import type { BackfillRecord } from '../../electron/month/backfill.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

describe('the month-end handlers (what the desk will call)', () => {
  let w: EngineWorld;
  let range: { from: string; to: string };
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 20, creditNotes: 3 });
    const dates = w.sandboxes.visma.state.documents.map((d) => d.documentDate).sort();
    range = { from: dates[0]!, to: dates.at(-1)! };
  });
  afterEach(() => w.close());

  it('refuses what a form should not send, in words', async () => {
    const issues = (channel: keyof typeof MONTH_IPC_INPUTS, input: unknown) => {
      const r = MONTH_IPC_INPUTS[channel].safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues('month:dry-run', {})).toEqual([
      'Say which documents: a range of dates, a customer, or the unreleased ones',
    ]);
    expect(issues('month:dry-run', { from: '2026-11-30', to: '2026-11-01' })[0]).toMatch(/is after --to/);
    expect(issues('month:dry-run', { from: '2026-11-01' })[0]).toMatch(/both ends/);
    expect(issues('month:backfill-start', { from: '2024-01-01', to: '2026-11-30' })[0]).toMatch(/at most two years/);
    expect(issues('month:backfill-start', { ...range, perMinute: 0 }).length).toBe(1);
    expect(issues('month:backfill-resume', { perMinute: 60, extra: 1 }).length).toBe(1);
    await expect(dryRunHandler(w.engine, { customer: '' })).rejects.toThrow();
    await expect(resumeBackfillHandler(w.engine, {})).rejects.toThrow(/No backfill was started/);
  });

  it('a dry run answers with documents and totals', async () => {
    const result = await dryRunHandler(w.engine, { unreleased: true });
    expect(result.documents.length).toBeGreaterThan(0);
    expect(result.totals.length).toBeGreaterThan(0);
    expect(await w.store.ledger.all()).toEqual([]);
  });

  it('a backfill started, paused, followed and resumed; the state says where it is', async () => {
    const ended: (BackfillRecord | undefined)[] = [];
    let paused = false;
    const view = await startBackfillHandler(
      w.engine,
      { ...range, perMinute: 1000 },
      {
        onProgress: (p) => {
          if (p.done >= 3 && !paused) {
            paused = true;
            expect(pauseBackfillHandler(w.engine)).toEqual({ pausing: true });
          }
        },
        onEnded: (r) => ended.push(r),
      },
    );
    expect(view).toMatchObject({ from: range.from, to: range.to, running: true, total: 23 });
    await w.engine.idle();
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ status: 'paused', done: 3 });
    expect(backfillStatusHandler(w.engine)).toMatchObject({ status: 'paused', done: 3, running: false });
    expect(pauseBackfillHandler(w.engine)).toEqual({ pausing: false });
    await resumeBackfillHandler(w.engine, { perMinute: 1000 }, { onEnded: (r) => ended.push(r) });
    await w.engine.idle();
    expect(ended[1]).toMatchObject({ status: 'completed', done: 23, total: 23 });
    expect(backfillStatusHandler(w.engine)).toMatchObject({ status: 'completed', running: false });
  }, 60_000);
});
