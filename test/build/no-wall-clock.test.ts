import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A test gives the same answer on any day: none reads the calendar. Every store, engine, sandbox, web host, page
 * and CLI a test starts runs on `test/helpers/clock.ts` (durations come from `performance.now()`, which is not a
 * date). The suite once passed only in November 2026 because tests read `new Date()` for "this month".
 */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx|mjs|js)$/.test(name) ? [path] : [];
  });
}

const WALL_CLOCK = /new Date\(\s*\)|Date\.now\(\s*\)|(?<![\w.])Date\(\s*\)/;
/**
 * The clock itself, this file (which names what it looks for), and the bench's stamp (the date a bench run
 * reports it ran: everything it measures runs on the bench clock).
 */
const ALLOWED = new Set([
  join('test', 'helpers', 'clock.ts'),
  join('test', 'helpers', 'clock-preload.mjs'),
  join('test', 'build', 'no-wall-clock.test.ts'),
  join('scripts', 'bench', 'stamp.ts'),
]);

describe('no test reads the wall clock', () => {
  it('test/, the soak and the bench take their time from the tests’ clock', () => {
    const offenders = ['test', join('scripts', 'soak'), join('scripts', 'soak.ts'), join('scripts', 'bench')]
      .flatMap((d) => (statSync(d).isDirectory() ? files(d) : [d]))
      .filter((f) => !ALLOWED.has(f))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
          .filter(({ line }) => WALL_CLOCK.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the check can fail', () => {
    for (const line of ['const m = new Date().toISOString()', 'let t = Date.now();', 'x = Date()'])
      expect(WALL_CLOCK.test(line), line).toBe(true);
    for (const line of ['new Date(TEST_NOW)', 'performance.now()', 'clock.now()', 'Date.parse(x)'])
      expect(WALL_CLOCK.test(line), line).toBe(false);
  });
});
