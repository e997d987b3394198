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

/**
 * Defect (issue 18): before the first document was taken a run asked for Visma's VAT data, then listed invoices,
 * then credit notes, then debit notes, each waiting for the one before: five round trips and more at 40 ms. They
 * are asked for at once now. Shown by the order Visma answers in when the VAT data and the invoices are slow.
 */
describe("a run's first requests", () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 10, creditNotes: 2 });
  });
  afterEach(() => w.close());

  it("asks for Visma's VAT data and every kind's listing at once", async () => {
    const visma = w.sandboxes.visma.server;
    visma.injectFault({ method: 'GET', path: /^\/v1\/vat$/, fault: { kind: 'delay', ms: 600 }, times: 1 });
    visma.injectFault({ method: 'GET', path: /^\/v1\/customerinvoice$/, fault: { kind: 'delay', ms: 600 }, times: 1 });
    const from = visma.log.length;
    expect((await w.engine.run('user')).outcome).toBe('completed');
    const answered = visma.log.slice(from).map((e) => e.path);
    const first = (path: string) => answered.indexOf(path);
    // The credit notes are answered while the VAT data and the invoices are still on their way.
    expect(first('/v1/customerCreditNote')).toBeGreaterThanOrEqual(0);
    expect(first('/v1/customerCreditNote')).toBeLessThan(first('/v1/vat'));
    expect(first('/v1/customerCreditNote')).toBeLessThan(first('/v1/customerinvoice'));
  });
});
