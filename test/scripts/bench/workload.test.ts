import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openLiveWorkspace } from '../../../electron/app/workspace.js';
import { AvaTaxSandbox } from '../../../electron/sandbox/avatax-server.js';
import { DEMO_SECRETS } from '../../../electron/sandbox/demo-company.js';
import { VismaSandbox } from '../../../electron/sandbox/visma-server.js';
import { settingsFor } from '../../../scripts/bench/common.js';
import { runFlow, type Style } from '../../../scripts/bench/flows.js';
import { differentWork, engineWork, vatByDocument, type Work, writtenBetween } from '../../../scripts/bench/work.js';
import { BENCH_NOW, firstOfMonth, monthsRange, workload } from '../../../scripts/bench/workload.js';
import { type TestClock, testClock } from '../../helpers/clock.js';
import { tempDir } from '../../helpers/engine.js';

/**
 * The bench compares flows only when they did the same work, so its workload must give every flow the same
 * documents on any day: created, modified and dated in the month of the bench's instant, inside the window every
 * flow lists. It once clamped the dates only: run on 6 December, our engine listed 74 of 200 documents.
 */
const INSTANTS = [
  '2026-12-01T00:10:00.000Z', // a month's first minutes
  '2026-12-06T15:50:00.000Z', // the day the issue was found
  BENCH_NOW, // mid-month: the bench's own instant
  '2026-11-30T23:50:00.000Z', // a month's last minutes
  '2027-02-28T23:59:00.000Z', // a short month's last minute
];
const DOCUMENTS = 40;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The workload at `at` in both sandboxes, on a clock started there; what a flow did, counted as the bench does. */
async function world(
  at: string,
  work: (clock: TestClock, urls: { visma: string; avatax: string }) => Promise<Work>,
  documents = DOCUMENTS,
) {
  const clock = testClock(at);
  const seed = workload(documents, clock.ms());
  const visma = new VismaSandbox({ state: seed.visma, now: clock.ms });
  const avatax = new AvaTaxSandbox({ state: seed.avatax, now: clock.ms });
  await visma.listen();
  await avatax.listen();
  try {
    const before = vatByDocument(seed.visma.documents);
    const done = await work(clock, { visma: visma.apiUrl, avatax: avatax.url });
    return {
      ...done,
      posted: new Set(avatax.state.transactions.map((t) => `${t.type}:${t.code}`)).size,
      written: writtenBetween(before, vatByDocument(visma.state.documents)),
    };
  } finally {
    await Promise.all([visma.close(), avatax.close()]);
  }
}

async function ours(at: string, documents = DOCUMENTS): Promise<Work> {
  return world(
    at,
    async (clock, urls) => {
      const dir = tempDir('taxsync-bench-test-');
      dirs.push(dir);
      const ws = await openLiveWorkspace({
        dataDir: dir,
        settings: settingsFor(urls, clock.ms()),
        secrets: () => ({ ...DEMO_SECRETS }),
        now: clock.now,
        connectorOptions: () => ({ now: clock.ms }),
      });
      try {
        const summary = { ...(await ws.engine.run('cli')) };
        return engineWork(summary, { ...ws.store.ledger.counts() }, { posted: 0, written: 0 });
      } finally {
        await ws.close();
      }
    },
    documents,
  );
}

async function script(at: string, style: Style, documents = DOCUMENTS): Promise<Work & { corrected: number }> {
  let corrected = 0;
  const work = await world(
    at,
    async (clock, urls) => {
      const dir = tempDir('taxsync-bench-test-');
      dirs.push(dir);
      const r = await runFlow({ urls, at: clock.ms(), results: `${dir}/results.jsonl` }, style);
      corrected = r.corrected.length;
      return { processed: r.processed, posted: 0, flagged: r.flagged, written: 0, failed: r.failed };
    },
    documents,
  );
  return { ...work, corrected };
}

describe('the bench workload gives every flow the same documents on any day', () => {
  for (const at of INSTANTS) {
    it(`at ${at}: every document inside the month and the window every flow lists`, () => {
      const now = Date.parse(at);
      const month = at.slice(0, 7);
      const { visma } = workload(DOCUMENTS, now);
      expect(visma.documents).toHaveLength(DOCUMENTS);
      for (const d of visma.documents) {
        expect(d.documentDate.slice(0, 7)).toBe(month);
        expect(d.documentDate <= at.slice(0, 10)).toBe(true);
        const modified = Date.parse(`${d.lastModifiedDateTime}Z`);
        expect(modified).toBeGreaterThanOrEqual(Date.parse(`${firstOfMonth(now)}T00:00:00Z`));
        expect(modified).toBeLessThanOrEqual(now);
        expect(d.createdDateTime <= d.lastModifiedDateTime).toBe(true);
      }
    });

    it(`at ${at}: our engine, the reference and the naive script process, post, flag and write the same`, async () => {
      const runs = [
        { flow: 'ours', work: await ours(at) },
        { flow: 'reference', work: await script(at, 'reference') },
        { flow: 'naive', work: await script(at, 'naive') },
      ];
      expect(differentWork(runs, DOCUMENTS)).toEqual([]);
      // Real work, not a trivially equal nothing: most documents posted, some flagged, some written.
      expect(runs[0]!.work.posted).toBeGreaterThan(DOCUMENTS / 2);
      expect(runs[0]!.work.flagged).toBeGreaterThan(0);
      expect(runs[0]!.work.written).toBeGreaterThan(0);
    });
  }

  it('at the size of the rate-limited run, a released invoice corrected by its credit note ends posted in both', async () => {
    const reference = await script(BENCH_NOW, 'reference', 600);
    expect(reference.corrected).toBeGreaterThan(0);
    const { corrected: _, ...work } = reference;
    expect(
      differentWork(
        [
          { flow: 'ours', work: await ours(BENCH_NOW, 600) },
          { flow: 'reference', work },
        ],
        600,
      ),
    ).toEqual([]);
  }, 120_000);

  it('the same documents at every instant: only their times move', () => {
    const shape = (at: string) =>
      workload(DOCUMENTS, Date.parse(at)).visma.documents.map((d) => [d.referenceNumber, d.status, d.lines]);
    for (const at of INSTANTS.slice(1)) expect(shape(at)).toEqual(shape(INSTANTS[0]!));
  });

  it('a year for the backfill: the twelve whole months before the instant', () => {
    const now = Date.parse('2026-12-01T00:10:00.000Z');
    const range = monthsRange(now, 12);
    expect(range).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    const dates = workload(240, now, 12).visma.documents.map((d) => d.documentDate);
    expect(dates.every((d) => d >= range.from && d <= range.to)).toBe(true);
    expect(new Set(dates.map((d) => d.slice(0, 7))).size).toBe(12);
  });

  it('refuses to compare flows that did different work, and says why', () => {
    const work = (over: Partial<Work> = {}): Work => ({
      processed: 200,
      posted: 179,
      flagged: 30,
      written: 44,
      failed: 0,
      ...over,
    });
    expect(
      differentWork(
        [
          { flow: 'ours', work: work({ processed: 74, posted: 74 }) },
          { flow: 'reference', work: work({ posted: 200 }) },
          { flow: 'naive', work: work({ failed: 2 }) },
        ],
        200,
      ),
    ).toEqual([
      'ours processed 74 of the 200 documents in the workload',
      'naive failed 2 documents',
      'ours posted 74 documents, reference 200',
      'ours posted 74 documents, naive 179',
    ]);
  });
});
