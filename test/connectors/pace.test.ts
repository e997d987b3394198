import { describe, expect, it } from 'vitest';
import { Pace } from '../../electron/connectors/pace.js';

/** A pace on a hand-moved clock: the tests say when time passes. */
function paced(ceiling: number) {
  let t = 1_000_000;
  const pace = new Pace(ceiling, () => t);
  const answered = (n = 1, window?: { remaining: number; resetMs: number }) => {
    for (let i = 0; i < n; i++) pace.signal({ kind: 'answered', service: 'Visma.net', window });
  };
  const throttled = (waitMs = 1000) => pace.signal({ kind: 'throttled', service: 'AvaTax', waitMs });
  return { pace, answered, throttled, advance: (ms: number) => (t += ms) };
}

describe('the documents in flight follow the services (Pace)', () => {
  it('starts low and grows with every answer to the ceiling while the window has room, never past it', () => {
    const { pace, answered } = paced(8);
    expect(pace.allowed()).toBe(2);
    answered(3, { remaining: 5000, resetMs: 3_600_000 });
    expect(pace.allowed()).toBe(5);
    answered(50, { remaining: 4900, resetMs: 3_600_000 });
    expect(pace.allowed()).toBe(8);
    expect(pace.stats.peak).toBe(8);
  });

  it('keeps no more documents in flight than half of what the window has left, and does not grow while it is short', () => {
    const { pace, answered, advance } = paced(8);
    answered(10, { remaining: 6, resetMs: 2000 });
    expect(pace.allowed()).toBe(3);
    answered(1, { remaining: 0, resetMs: 2000 });
    expect(pace.allowed()).toBe(1);
    // The window resets: the cap goes with it.
    advance(2000);
    expect(pace.allowed()).toBeGreaterThan(1);
  });

  it('halves on a 429, once for the 429s of one wait, then grows by one a round, once a wait', () => {
    const { pace, answered, throttled, advance } = paced(16);
    answered(14);
    expect(pace.allowed()).toBe(16);
    throttled(1000);
    expect(pace.allowed()).toBe(8);
    // The 429s of requests sent before the first one's wait are the same news.
    throttled(1000);
    throttled(1000);
    expect(pace.allowed()).toBe(8);
    expect(pace.stats).toMatchObject({ throttled: 3, decreases: 1 });
    // No growth while the service asked us to wait.
    answered(20);
    expect(pace.allowed()).toBe(8);
    advance(1000);
    // After it, one more document per round of answers (as many answers as documents allowed).
    answered(7);
    expect(pace.allowed()).toBe(8);
    answered(1);
    expect(pace.allowed()).toBe(9);
    // At most once per wait the last 429 asked for: a limit's window is longer than a round of answers.
    answered(30);
    expect(pace.allowed()).toBe(9);
    advance(1000);
    answered(9);
    expect(pace.allowed()).toBe(10);
    // A 429 after the wait is news again: halved again, never below one.
    for (let i = 0; i < 6; i++) {
      throttled(10);
      advance(10);
    }
    expect(pace.allowed()).toBe(1);
  });

  it('a ceiling of one stays one', () => {
    const { pace, answered } = paced(1);
    answered(10);
    expect(pace.allowed()).toBe(1);
  });
});
