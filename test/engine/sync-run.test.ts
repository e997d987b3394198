import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

/**
 * Every request of a run listens to the run's one AbortSignal: at 16 documents in flight (the most Settings
 * allows), each with its customer and location asked for together, far more than Node's default of ten listen
 * at once. That is the design, not a leak, and must not print Node's leak warning on every run.
 */
describe('a sync run with many documents in flight', () => {
  let w: EngineWorld;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(async () => {
    w = await startEngineWorld({
      invoices: 60,
      creditNotes: 4,
      settings: (s) => ({ ...s, sync: { ...s.sync, concurrency: 16 } }),
    });
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    process.off('warning', onWarning);
    await w.close();
  });

  it("runs at 16 in flight without Node's listener-leak warning", async () => {
    for (const s of [w.sandboxes.visma.server, w.sandboxes.avatax.server])
      s.injectFault({ path: /./, fault: { kind: 'delay', ms: 20 }, times: Infinity });
    const summary = await w.engine.run('user');
    expect(summary.outcome).toBe('completed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((x) => x.name === 'MaxListenersExceededWarning').map((x) => x.message)).toEqual([]);
  });
});
