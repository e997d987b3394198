import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FULL_PLAN, leftOut, type Plan, planFor } from '../../../scripts/bench/plan.js';
import { markdown } from '../../../scripts/bench/report.js';
import { assemble, type BenchResult } from '../../../scripts/bench/result.js';

/**
 * docs/performance.md is generated from one bench run (issue 18 item 4): the document says when the run was made
 * (UTC ISO 8601), on which commit (and whether the tree was dirty), on how loaded a machine (os.loadavg at the
 * start and the end, the cores), with which Node; each target met or missed with the run's own figures, and for a
 * miss what those figures show; its JSON names per flow the documents processed, posted, flagged and written. The
 * generator is pure: a run's result in, Markdown out. The fixture holds a run's parts (see its `_about`).
 */

type Parts = Parameters<typeof assemble>[0];
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/bench/run-parts.json', import.meta.url), 'utf8'),
) as Omit<Parts, 'mode' | 'plan' | 'note'>;

function run(over: Partial<Parts> = {}): BenchResult {
  return assemble({ ...fixture, mode: 'full', plan: FULL_PLAN, note: null, ...over });
}

/** The rows of the targets table: target, measured, verdict. */
function targetRows(md: string): string[][] {
  const section = md.slice(md.indexOf('## The targets'));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| target') && !l.startsWith('| ---'))
    .map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

const jsonBlock = (md: string) => JSON.parse(/```json\n(.*)\n```/.exec(md)?.[1] ?? 'null');

describe('docs/performance.md from a run', () => {
  it('says when the run was made, in UTC ISO 8601, and on which commit', () => {
    const md = markdown(run());
    expect(md).toContain('2026-12-06T18:54:52.892Z');
    expect(md).toContain('65a0ecf3c1d2b4a5968778695a4b3c2d1e0f9a8b');
    expect(md).not.toMatch(/\*\*dirty\*\*/);
    expect(jsonBlock(md).dirty).toBe(false);
  });

  it('says "dirty" when the tree had changes no commit holds', () => {
    const md = markdown(run({ commit: { ...fixture.commit, dirty: true } }));
    expect(md).toMatch(/`65a0ecf3c1d2b4a5968778695a4b3c2d1e0f9a8b` \*\*dirty\*\*/);
    expect(jsonBlock(md).dirty).toBe(true);
  });

  it('gives the load os.loadavg reported at the start and at the end, the cores and Node', () => {
    const md = markdown(run());
    expect(md).toContain(
      '`os.loadavg()` (1, 5, 15 minutes) 6.71 / 3.62 / 3.28 at the start, 5.58 / 4.03 / 3.45 at the end',
    );
    expect(md).toContain('2 cores');
    expect(md).toContain('Node v20.20.2');
    // More runnable processes than cores: the reader is told the seconds are CPU-starved.
    expect(md).toMatch(/more runnable processes than cores/);
    const quiet = run({
      machine: { ...fixture.machine, loadAverage: { ...fixture.machine.loadAverage, min: 0.4, max: 1.6, mean: 1 } },
    });
    expect(markdown(quiet)).not.toMatch(/more runnable processes than cores/);
    // One 5-second sample above the cores in a quiet run (mean 0.88) is not a loaded machine: it says the peak.
    const peak = run({
      machine: {
        ...fixture.machine,
        loadAverage: { ...fixture.machine.loadAverage, min: 0.07, max: 2.26, mean: 0.88 },
      },
    });
    expect(markdown(peak)).not.toMatch(/more runnable processes than cores/);
    expect(markdown(peak)).toContain('on average at most one runnable process per core (a moment above: 2.26)');
  });

  it('says the measured runs were warm, and shows a cold run of each beside them', () => {
    const compare = fixture.compare!;
    const warm = run({
      compare: { ...compare, warmUp: 30, cold: { ours: compare.flows.ours!, reference: compare.flows.reference! } },
    });
    const md = markdown(warm);
    expect(md).toContain('each after a warm-up of 30 documents in its process');
    expect(md).toMatch(/\| our engine, cold: a fresh process, once \| 30 \//);
    expect(md).toMatch(/\| rule-following reference, cold: a fresh process, once \|/);
    // A result stored before warm-ups says its runs were cold.
    expect(markdown(run())).toMatch(/\| our engine, up to 8 in flight, cold \|/);
  });

  it('judges every target of issue 18 with the run’s own figures', () => {
    const rows = targetRows(markdown(run()));
    expect(rows.map((r) => r[0])).toEqual([
      '≥ 1.5× the reference’s documents per second (40 ms a request, default settings)',
      '≥ 80 % of the latency bound',
      '≥ 90 % of the limit bound (rate-limited run)',
      '≥ 1.4× the reference under the limits',
      '≤ 1.2 Visma calls per document',
      '≤ 1.1 AvaTax calls per document',
      'the first sync of a 50,000-document month peaks below 400 MB',
      'a year’s backfill peaks below 400 MB',
      'a no-change sync of 50,000 documents in under 10 s',
      'bytes written per document flat from 1k to 50k (within 10 %)',
      'the CLI starts in under 0.3 s',
    ]);
    const verdict = Object.fromEntries(rows.map((r) => [r[0], [r[1], r[2]]]));
    expect(verdict['≥ 1.5× the reference’s documents per second (40 ms a request, default settings)']).toEqual([
      '0.94× (16.4 against 17.5 documents/s)',
      '**missed**',
    ]);
    expect(verdict['the first sync of a 50,000-document month peaks below 400 MB']).toEqual([
      '452 MB (49000 documents)',
      '**missed**',
    ]);
    expect(verdict['a year’s backfill peaks below 400 MB']).toEqual(['388 MB (24000 documents)', '**met**']);
    expect(verdict['bytes written per document flat from 1k to 50k (within 10 %)']).toEqual([
      '2402 → 2467 bytes',
      '**met**',
    ]);
    expect(verdict['the CLI starts in under 0.3 s']).toEqual(['0.132 s (node alone 0.109 s)', '**met**']);
  });

  it('says for each miss what the run’s figures show, and nothing of a target met', () => {
    const md = markdown(run());
    const misses = md.slice(md.indexOf('### The misses'), md.indexOf('```json'));
    const bullets = misses.split('\n').filter((l) => l.startsWith('- '));
    const missed = run().targets.filter((t) => t.met === false);
    expect(bullets).toHaveLength(missed.length);
    expect(missed.length).toBeGreaterThan(0);
    const first = bullets.find((b) => b.includes('first sync of a 50,000-document month'));
    // How the peak grows with the month, from the run's own months (214 MB at 9,000, 452 MB at 49,000).
    expect(first).toContain('452 MB for 49,000 documents, 214 MB for 9,000: about 6.1 kB more per document');
    const noChange = bullets.find((b) => b.includes('no-change sync'));
    expect(noChange).toContain('31.2 s, 22.7 s of it');
    expect(bullets.some((b) => b.includes('CLI starts'))).toBe(false);
    // Calls per document: where each figure came from, so the reader sees which part went over.
    const visma = bullets.find((b) => b.includes('≤ 1.2 Visma calls'));
    expect(visma).toContain(
      'the comparison 2.5, the rate-limited run 2.17, the months of 1,000: 1.14, 10,000: 0.98, 50,000: 1.02',
    );
    // More CPU than the bound's time: the bound cannot be reached on one thread.
    const bound = bullets.find((b) => b.includes('≥ 80 % of the latency bound'));
    expect(bound).toContain('0.88 CPU s against a bound of 0.55 s');
  });

  it('names per flow, in its JSON, the documents processed, posted, flagged and written', () => {
    const summary = jsonBlock(markdown(run()));
    expect(summary.documents).toEqual({
      ours: { processed: 30, posted: 28, flagged: 6, written: 9, failed: 0 },
      reference: { processed: 30, posted: 28, flagged: 6, written: 9, failed: 0 },
      naive: { processed: 30, posted: 28, flagged: 6, written: 9, failed: 0 },
      oursRateLimited: { processed: 60, posted: 55, flagged: 10, written: 20, failed: 0 },
      referenceRateLimited: { processed: 60, posted: 55, flagged: 10, written: 20, failed: 0 },
    });
    expect(summary.commit).toBe('65a0ecf3c1d2b4a5968778695a4b3c2d1e0f9a8b');
    expect(summary.date).toBe('2026-12-06T18:54:52.892Z');
  });

  it('keeps the explanation of how it is measured', () => {
    const md = markdown(run());
    expect(md).toContain('## How it is measured');
    expect(md).toContain('**Same work, or no ratio.**');
    expect(md).toContain('**The latency bound**');
  });

  it('says a full run narrowed to some parts is partial, what it left out and why', () => {
    const plan: Plan = { ...FULL_PLAN, sizes: [1000, 10_000] };
    const md = markdown(
      run({ plan, sizes: fixture.sizes.slice(0, 2), note: 'The 50k month would not have finished in time.' }),
    );
    expect(md).toContain('**A partial run.**');
    expect(md).toContain('the month of 50,000 documents: not run');
    expect(md).toContain('The 50k month would not have finished in time.');
    const rows = Object.fromEntries(targetRows(md).map((r) => [r[0], r[2]]));
    expect(rows['a no-change sync of 50,000 documents in under 10 s']).toBe('not measured');
    expect(markdown(run())).not.toContain('**A partial run.**');
  });

  it('gives no ratio when the flows did different work, and says why', () => {
    const compare = {
      ...fixture.compare!,
      refused: ['naive (run 1) processed 29 of the 30 documents in the workload'],
    };
    const md = markdown(run({ compare }));
    expect(md).toContain('No ratio between the flows: they did different work');
    expect(targetRows(md)[0]).toEqual([
      '≥ 1.5× the reference’s documents per second (40 ms a request, default settings)',
      'no ratio: naive (run 1) processed 29 of the 30 documents in the workload',
      'not measured',
    ]);
  });
});

describe('the plan of a run', () => {
  it('is the whole of the full run unless narrowed, and says what a narrowed one leaves out', () => {
    expect(leftOut(planFor(false, {}))).toEqual([]);
    expect(leftOut(planFor(false, { sizes: '1000,10000', year: '0', limited: '300' }))).toEqual([
      'the rate-limited run: 300 documents instead of 600',
      'the month of 50,000 documents: not run',
      'the year’s backfill: not run',
    ]);
  });

  it('refuses what is not a count, with a clear message', () => {
    expect(() => planFor(false, { sizes: '1000,10k' })).toThrow('--sizes takes whole numbers above 0, not 10k');
    expect(() => planFor(false, { year: '-1' })).toThrow('--year takes a whole number of 0 or more, not -1');
  });
});
