import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefusedError } from '../../electron/engine/errors.js';
import { readDocument } from '../../electron/engine/visma-document.js';
import type { Pacer } from '../../electron/month/backfill.js';
import type { StoredReason } from '../../shared/reasons.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { expectCodeInSwedish } from '../helpers/reasons.js';

/**
 * Issue 17, item 1: what the engine finds wrong with a document Visma sent (no lines, a number with spaces, an
 * amount that cannot be read), a line no mapping row covers, a dry run's per-document problems and notes, and a
 * backfill's entries were English sentences built in main: a Swedish accountant read "The document has no
 * lines" in the Transactions reasons and "Backfill of 2025-11-01 to … finished: 12 of 12 documents" in the
 * Audit screen. Each is a code now, said in the reader's language.
 */
const ENGLISH = [
  /\bdocument\b/i,
  /\bline\b/i,
  /\bmapping\b/i,
  /\bDry run\b/,
  /\bBackfill\b/,
  /\bposted\b/,
  /\bflagged\b/,
  /\bstarted\b/,
  /\bfinished\b/,
  /\bNothing recorded\b/,
  /\bAddress\b/,
  /\bcustomer\b/i,
];

function expectSaid(said: StoredReason | undefined, where: string): string {
  return expectCodeInSwedish(said, where, ENGLISH);
}

const pacer = (): Pacer => {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
};

describe("the engine's findings about a document are codes", () => {
  it('a document Visma sent that cannot be taxed says why in the reader’s words', () => {
    const read = readDocument({
      kind: 'invoice',
      referenceNumber: ' 260001',
      customerNumber: '10001',
      documentDate: 'soon',
      status: 'Balanced',
      currency: 'SEK',
      amount: 0,
      vatTotal: 0,
      lines: [],
      lastModifiedDateTime: '2026-11-02T10:00:00.000',
      timeStamp: 'AAA=',
    } as unknown as Parameters<typeof readDocument>[0]);
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems.length).toBe(3);
    const said = problems.map((p, i) => expectSaid(p, `problem ${i}`));
    expect(said).toContain('Dokumentet har inga rader');
    expect(said).toContain('Dokumentdatumet "soon" är inget datum');
  });
});

describe('a dry run and a backfill say what they did in codes', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 10, creditNotes: 2 });
  }, 60_000);
  afterEach(() => w.close());

  it('the dry run: its trail entry, its notes and each document’s problems', async () => {
    const refused = await w.engine.dryRun({}, 'cli').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RefusedError);
    expectSaid((refused as RefusedError).reason, 'no selection');
    // A document Visma sends without lines: the dry run says so for it.
    const broken = w.sandboxes.visma.state.documents.find((d) => d.documentDate.startsWith(TEST_MONTH))!;
    broken.lines = [];
    const result = await w.engine.dryRun({ range: { from: `${TEST_MONTH}-01`, to: `${TEST_MONTH}-30` } }, 'cli');
    const withProblems = result.documents.filter((d) => d.problems.length > 0);
    expect(withProblems.length).toBeGreaterThan(0);
    for (const d of withProblems) for (const p of d.problems) expectSaid(p, `problem of ${d.referenceNumber}`);
    for (const n of result.notes) expectSaid(n, 'note');
    const entry = (await w.store.audit.entries(TEST_MONTH)).filter((e) => e.action === 'dry-run').at(-1);
    expect(expectSaid(entry?.detail, 'dry-run entry')).toMatch(/^Provkörning av .* Inget registrerat i AvaTax/);
  });

  it('the backfill: started, finished and its counts', async () => {
    const dates = w.sandboxes.visma.state.documents.map((d) => d.documentDate).sort();
    const record = await w.engine.backfill({ range: { from: dates[0]!, to: dates.at(-1)! } }, 'cli', {
      perMinute: 1000,
      pacer: pacer(),
    });
    expect(record.status).toBe('completed');
    const months = new Set([...dates.map((d) => d.slice(0, 7)), w.clock.month()]);
    const entries = (await Promise.all([...months].map((m) => w.store.audit.entries(m)))).flat();
    const backfill = entries.filter((e) => e.action === 'backfill');
    expect(backfill.length).toBe(2);
    const said = backfill.map((e) => expectSaid(e.detail, 'backfill entry'));
    expect(said.at(-1)).toMatch(/^Efterbearbetning av .* klar: \d+ av \d+ dokument: \d+ bokförda/);
  });
});
