import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VismaError } from '../../electron/connectors/visma/errors.js';
import { factsFor } from '../../electron/engine/situation.js';
import { createContext } from '../../electron/engine/sync-run.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

/** The facts about one document: its customer and its location are read from Visma together, not one after the other. */
describe('the facts about a document', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 12, creditNotes: 0 });
  });
  afterEach(() => w.close());

  async function withLocation() {
    const sandbox = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.location)!;
    const connectors = w.connectors();
    const { document } = await connectors.visma.getDocument('invoice', sandbox.referenceNumber);
    const ctx = createContext(
      { settings: w.settingsNow, connectors, store: w.store, now: w.clock.now },
      'run-test',
      'user',
    );
    return { ctx, document, customer: sandbox.customer.number };
  }

  it('asks Visma for the customer and the location in one round trip', async () => {
    const { ctx, document } = await withLocation();
    const visma = w.sandboxes.visma.server;
    visma.injectFault({ path: /^\/v1\/(customer|location)\//, fault: { kind: 'delay', ms: 150 }, times: Infinity });
    const events: string[] = [];
    visma.onRequest = (_method, path) => events.push(`asked ${path.split('/')[2]}`);
    visma.onHandled = (entry) => events.push(`answered ${entry.path.split('/')[2]}`);
    const facts = await factsFor(ctx, document, 'scheduled', undefined);
    expect(facts.problems).toEqual([]);
    expect(facts.shipTo?.address).toBeDefined();
    // Both were in flight before either answered.
    expect(events.slice(0, 2).sort()).toEqual(['asked customer', 'asked location']);
  });

  it("says the customer's failure first when both reads fail", async () => {
    const { ctx, document } = await withLocation();
    const visma = w.sandboxes.visma.server;
    visma.injectFault({ path: /^\/v1\/customer\//, fault: { kind: 'status', status: 404 }, times: Infinity });
    visma.injectFault({ path: /^\/v1\/location\//, fault: { kind: 'status', status: 400 }, times: Infinity });
    const failure = await factsFor(ctx, document, 'scheduled', undefined).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(VismaError);
    expect((failure as VismaError).kind).toBe('not-found');
  });

  it("takes the customer's own address when Visma no longer has the location", async () => {
    const { ctx, document } = await withLocation();
    w.sandboxes.visma.server.injectFault({
      path: /^\/v1\/location\//,
      fault: { kind: 'status', status: 404 },
      times: 1,
    });
    const facts = await factsFor(ctx, document, 'scheduled', undefined);
    expect(facts.shipTo?.address).toBeDefined();
  });
});
