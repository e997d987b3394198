import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

/**
 * Defect: with AvaTax down, a run crawled through every document (one a second, five attempts each) and said
 * nothing. After a few documents in a row that one service did not answer, the run stops, keeps the rest for the
 * next run, and says which service and why.
 */
describe('a service that does not answer', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 4 });
  });
  afterEach(() => w.close());

  it('stops the run after three documents in a row, and the next run does the rest', async () => {
    w.sandboxes.avatax.server.injectFault({ path: /\/transactions\//, fault: { kind: 'drop' }, times: 100_000 });
    const started = performance.now();
    const run = await w.engine.run('scheduler');
    expect(run.outcome).toBe('failed');
    expect(run.unreachable?.service).toBe('AvaTax');
    expect(run.error).toMatch(/AvaTax is not reachable/);
    const creates = w.sandboxes.avatax.server.log.filter((e) => /\/transactions\/create/.test(e.path)).length;
    expect(creates).toBeLessThan(40);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(w.store.state.watermark('invoice')).toBeUndefined();
    w.sandboxes.avatax.server.clearFaults();
    const next = await w.engine.run('scheduler');
    expect(next.outcome).toBe('completed');
    expect(await w.store.ledger.byState('pending-retry')).toEqual([]);
    const selected = w.sandboxes.visma.state.documents.filter((d) => d.status !== 'Voided');
    expect(await w.store.ledger.all()).toHaveLength(selected.length);
  });

  it('a user’s reprocess is recorded in the run history beside the syncs', async () => {
    await w.engine.run('user');
    const ref = (await w.store.ledger.byState('calculated'))[0]!.referenceNumber;
    await w.engine.reprocess([ref], 'user');
    const last = w.store.state.lastRun()!;
    expect(last.kind).toBe('reprocess');
    expect(last.outcome).toBe('completed');
    expect(w.store.state.runs().at(-2)!.kind).toBe('sync');
  });
});
