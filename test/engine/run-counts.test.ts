import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';

/** A user's action on documents says how many it handled, as a sync does (issue 17, item 8: not "Documents 0"). */
describe('the run history’s document count', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 4 });
    await w.engine.run('user');
  }, 60_000);
  afterEach(() => w.close());

  it('a reprocess of one document counts the one document it read again', async () => {
    const doc = (await w.store.ledger.all()).find((d) => d.state !== 'voided')!;
    await w.engine.reprocess([doc.referenceNumber], 'user');
    const run = w.store.state.runs().at(-1)!;
    expect(run.kind).toBe('reprocess');
    expect(run.fetched).toBe(1);
  });
});
