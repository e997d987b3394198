import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PER_MINUTE, type Pacer } from '../../../electron/month/backfill.js';
import { unpacedPacer } from '../../../scripts/bench/common.js';
import { type EngineWorld, startEngineWorld } from '../../helpers/engine.js';

/**
 * The bench's year backfill ran out of memory (4 GB, 2026-12-06): its pacer's clock stood still while `sleep`
 * returned at once, so the backfill's wait for the next slot spun on microtasks until the real clock caught up,
 * starving the document's requests and building up an AbortSignal per turn. The bench's pacer moves its clock by
 * each wait: the backfill waits once per document at most, and finishes.
 */
describe("the bench's unpaced backfill", () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 5 });
  }, 60_000);
  afterEach(() => w.close());

  it('waits at most once a document, never in a loop', async () => {
    const inner = unpacedPacer();
    let sleeps = 0;
    const pacer: Pacer = {
      now: () => inner.now(),
      sleep: (ms) => {
        sleeps++;
        return inner.sleep(ms);
      },
    };
    const dates = w.sandboxes.visma.state.documents.map((d) => d.documentDate).sort();
    const record = await w.engine.backfill({ range: { from: dates[0]!, to: dates.at(-1)! } }, 'cli', {
      perMinute: MAX_PER_MINUTE,
      pacer,
    });
    expect(record.status).toBe('completed');
    expect(record.done).toBe(record.total);
    expect(sleeps).toBeLessThanOrEqual(record.total);
  }, 60_000);

  it('its clock moves by exactly what each wait asks', async () => {
    const p = unpacedPacer();
    await p.sleep(250);
    await p.sleep(-5);
    await p.sleep(100);
    expect(p.now()).toBe(350);
  });
});
