import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogWriter, readLog } from '../../electron/store/append-log.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Group commit (issue 18): documents in flight each announce their effects durably, and every announcement made
 * while another is being written goes to disk with the next write, not one fsync after another.
 */
describe('appending to a log', () => {
  it('writes the appends asked for during a write together, in order, each promise kept until its lines are on disk', async () => {
    const file = join(tempDir(), 'intents.jsonl');
    const writer = new LogWriter(file, undefined);
    const kept: number[] = [];
    const all = Array.from({ length: 10 }, (_, n) =>
      writer.append([JSON.stringify({ n })]).then(() => {
        // Its own line is in the file when its promise is kept.
        expect(readFileSync(file, 'utf8')).toContain(`{"n":${n}}`);
        kept.push(n);
      }),
    );
    await Promise.all(all);
    expect(kept).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Asked for before the first write began: one write (one open, one fsync) for all ten.
    expect(writer.stats).toEqual({ writes: 1, lines: 10 });
    // Asked for while one is on its way: that one alone, the others together after it.
    const first = writer.append(['{"n":10}']);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, ...[11, 12, 13].map((n) => writer.append([JSON.stringify({ n })]))]);
    expect(writer.stats.lines).toBe(14);
    expect(writer.stats.writes).toBeLessThanOrEqual(3);
    expect((await readLog(file, (v) => v))?.records).toEqual(Array.from({ length: 14 }, (_, n) => ({ n })));
  });

  it('puts lines appended after a rewrite after it, and those appended before it before it', async () => {
    const file = join(tempDir(), 'month.jsonl');
    const writer = new LogWriter(file, undefined);
    const first = writer.append(['{"n":1}']);
    const before = writer.append(['{"n":2}']);
    const rewrite = writer.replace(['{"n":0}']);
    const after = writer.append(['{"n":3}']);
    await Promise.all([first, before, rewrite, after]);
    expect(readFileSync(file, 'utf8')).toBe('{"n":0}\n{"n":3}\n');
  });

  it('cuts off a torn last line before its first append, and only then', async () => {
    const file = join(tempDir(), 'audit.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":2,"tor');
    const read = await readLog(file, (v) => v);
    const writer = new LogWriter(file, read?.validBytes);
    await writer.append(['{"n":3}']);
    await writer.append(['{"n":4}']);
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":3}\n{"n":4}\n');
  });
});
