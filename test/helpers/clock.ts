/**
 * The tests' clock. No test reads the wall clock: every store, engine, sandbox, web host and CLI a test starts is
 * given this clock, so a test gives the same answer on any day, in any time zone (CI also runs the suite under
 * faketime at a year's first minutes, a month's last minutes and the night the clocks go forward in Stockholm).
 *
 * The clock starts at a fixed instant and moves with the time the test really takes (read from the monotonic
 * clock, not the calendar), so timeouts, pacing and "later" still mean what they say; `advance` jumps ahead.
 */
export const TEST_NOW = '2026-11-28T12:00:00.000Z';
/** The month of `TEST_NOW`, the company's and UTC's alike (12:00 UTC is mid-day in every European zone). */
export const TEST_MONTH = TEST_NOW.slice(0, 7);

export interface TestClock {
  /** As the engine, the store, the web host and the controller take it. */
  now: () => Date;
  /** Milliseconds since the epoch, as the sandboxes take it. */
  ms: () => number;
  /** The UTC month `YYYY-MM` of now. */
  month: () => string;
  /** `YYYY-MM-DD` of now plus `days`. */
  day: (days?: number) => string;
  advance: (ms: number) => void;
}

export function testClock(start: string | number = TEST_NOW): TestClock {
  const origin = typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(origin)) throw new Error(`testClock: not an instant: ${String(start)}`);
  const t0 = performance.now();
  let jumped = 0;
  const ms = () => origin + jumped + Math.floor(performance.now() - t0);
  return {
    ms,
    now: () => new Date(ms()),
    month: () => new Date(ms()).toISOString().slice(0, 7),
    day: (days = 0) => new Date(ms() + days * 86_400_000).toISOString().slice(0, 10),
    advance: (by) => {
      jumped += by;
    },
  };
}

/** The environment that starts a child process (the CLI) on a test clock: see `clock-preload.mjs`. */
export function clockEnv(start: string | number = TEST_NOW): Record<string, string> {
  return { TAXSYNC_TEST_CLOCK: new Date(typeof start === 'number' ? start : Date.parse(start)).toISOString() };
}
