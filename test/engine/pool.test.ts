import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../electron/connectors/http.js';
import { Pace } from '../../electron/connectors/pace.js';
import { Redactor } from '../../electron/connectors/redact.js';
import { runPool } from '../../electron/engine/pool.js';
import { json, SandboxServer } from '../../electron/sandbox/http-kit.js';

/**
 * Documents in flight against a fake service with a rate limit. Time is virtual: it moves only when the client
 * sleeps (a Retry-After, a backoff, a spent window), to the moment the sleeper wakes, and the service reads the
 * same clock, so a window resets exactly when a client has waited for it. Nothing waits for real beyond the
 * milliseconds loopback HTTP takes.
 */
function virtualTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      const wake = t + ms;
      await new Promise((resolve) => setImmediate(resolve));
      t = Math.max(t, wake);
    },
  };
}

interface ServiceOptions {
  /** Requests per window; more are answered 429. */
  limit: number;
  windowMs: number;
  /** Visma: X-RateLimit-Remaining / Reset on every answer. AvaTax: nothing but the 429. */
  headers: 'visma' | 'none';
  /** Retry-After on a 429 (seconds to the window's end), or none. */
  retryAfter: boolean;
}

async function fakeService(o: ServiceOptions, time: ReturnType<typeof virtualTime>) {
  const server = new SandboxServer('fake');
  const seen = { requests: 0, throttled: 0, early: 0 };
  let window = { start: time.now(), count: 0 };
  /** After a 429, the window's end: a request arriving later than the 429 but before then did not wait. */
  let closed: { at: number; until: number } | undefined;
  server.route('GET', /^\/work$/, async () => {
    seen.requests++;
    const now = time.now();
    if (closed && now > closed.at && now < closed.until) seen.early++;
    if (now - window.start >= o.windowMs) window = { start: now, count: 0 };
    window.count++;
    const resetMs = window.start + o.windowMs - now;
    const headers: Record<string, string> =
      o.headers === 'visma'
        ? {
            'x-ratelimit-remaining': String(Math.max(0, o.limit - window.count)),
            'x-ratelimit-reset': String(Math.max(1, Math.ceil(resetMs / 1000))),
          }
        : {};
    // Loopback answers in a few real milliseconds, so requests overlap as they would.
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (window.count > o.limit) {
      seen.throttled++;
      closed = { at: now, until: window.start + o.windowMs };
      if (o.retryAfter) headers['retry-after'] = String(Math.max(1, Math.ceil(resetMs / 1000)));
      return json(429, { error: { code: 'RateLimitExceeded' } }, headers);
    }
    return json(200, { ok: true }, headers);
  });
  const url = await server.listen();
  return { server, url, seen };
}

/** `documents` documents of `requests` requests each, in a pool paced by the service's answers. */
async function run(o: ServiceOptions & { documents: number; requests: number; ceiling: number }) {
  const time = virtualTime();
  const service = await fakeService(o, time);
  servers.push(service.server);
  const pace = new Pace(o.ceiling, time.now);
  const client = new HttpClient({
    service: 'Fake',
    baseUrl: service.url,
    redactor: new Redactor([]),
    // The product's policy (electron/connectors/http.ts DEFAULT_RETRY): time is virtual, waiting costs nothing.
    retry: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 },
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    onPacing: (s) => pace.signal(s),
    onExchange: (e) => {
      attempts = Math.max(attempts, e.attempt);
    },
  });
  let attempts = 0;
  const done: number[] = [];
  const inFlight = { now: 0, peak: 0, lowest: Number.POSITIVE_INFINITY };
  const items = Array.from({ length: o.documents }, (_, i) => i);
  await runPool(items, pace, async (item) => {
    inFlight.now++;
    inFlight.peak = Math.max(inFlight.peak, inFlight.now);
    try {
      for (let r = 0; r < o.requests; r++) await client.request({ method: 'GET', path: '/work' });
      done.push(item);
    } finally {
      inFlight.now--;
      // What the pace allowed as this document ended: how far it came down.
      inFlight.lowest = Math.min(inFlight.lowest, pace.allowed());
    }
  });
  return { done, inFlight, seen: service.seen, pace, elapsedMs: time.now(), attempts };
}

const servers: SandboxServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('documents in flight follow the services’ windows', () => {
  it('grows to the ceiling while the window has room, and never past it', async () => {
    const r = await run({
      limit: 10_000,
      windowMs: 3_600_000,
      headers: 'visma',
      retryAfter: true,
      documents: 80,
      requests: 2,
      ceiling: 8,
    });
    expect(r.done).toHaveLength(80);
    expect(r.inFlight.peak).toBe(8);
    expect(r.pace.stats.peak).toBe(8);
    expect(r.seen.throttled).toBe(0);
  });

  it('shrinks on 429, waits the Retry-After before sending more, keeps 429s few, and loses no document', async () => {
    const r = await run({
      limit: 10,
      windowMs: 1000,
      headers: 'none',
      retryAfter: true,
      documents: 100,
      requests: 2,
      ceiling: 8,
    });
    // Every document done exactly once.
    expect([...r.done].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(r.seen.requests - r.seen.throttled).toBe(200);
    // It came down from the ceiling, and waited every wait out: nothing new arrived before the window's end.
    expect(r.pace.stats.decreases).toBeGreaterThan(0);
    expect(r.inFlight.lowest).toBeLessThan(8);
    expect(r.seen.early).toBe(0);
    // 200 requests at 10 a window take 20 windows; nearly every one was used to the full (the wait ended at its
    // end). Time here moves only when a client sleeps, while loopback answers still arrive in real time, so on a
    // loaded machine an answer can land after a jump: allow a window in five to go short.
    const windows = r.elapsedMs / 1000 + 1;
    expect(windows).toBeLessThanOrEqual(25);
    // No storm: only what was in flight as a window ran out is refused (never more than the documents allowed),
    // and no request is refused twice (after a wait one request goes first, the rest once it is answered).
    expect(r.seen.throttled).toBeLessThanOrEqual(8 * windows);
    expect(r.attempts).toBeLessThanOrEqual(2);
  });

  it('backs off without a Retry-After too (AvaTax names no wait), with no document lost', async () => {
    const r = await run({
      limit: 10,
      windowMs: 1000,
      headers: 'none',
      retryAfter: false,
      documents: 60,
      requests: 2,
      ceiling: 8,
    });
    expect(r.done).toHaveLength(60);
    expect(r.seen.requests - r.seen.throttled).toBe(120);
    expect(r.pace.stats.decreases).toBeGreaterThan(0);
    // Without a wait named, one request at a time asks again, each later than the last.
    const windows = r.elapsedMs / 1000 + 1;
    expect(r.seen.throttled).toBeLessThanOrEqual(8 * windows);
  });

  it('follows Visma’s window: waits for its reset rather than meeting a 429', async () => {
    const r = await run({
      limit: 20,
      windowMs: 2000,
      headers: 'visma',
      retryAfter: true,
      documents: 50,
      requests: 2,
      ceiling: 8,
    });
    expect(r.done).toHaveLength(50);
    expect(r.seen.throttled).toBe(0);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(4 * 2000);
  });

  it('lets go of each item once taken when asked (a month’s listing is not held whole to the end)', async () => {
    const items: ({ n: number } | undefined)[] = Array.from({ length: 10 }, (_, n) => ({ n }));
    const seen: number[] = [];
    await runPool(
      items,
      2,
      async (item, index) => {
        seen.push(item!.n);
        // The item in hand is the caller's to keep; the array no longer holds it, nor any taken before.
        expect(items[index]).toBeUndefined();
        expect(items.slice(0, index + 1).every((x) => x === undefined)).toBe(true);
      },
      undefined,
      true,
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(items).toHaveLength(10);
    const kept = [{ n: 1 }, { n: 2 }];
    await runPool(kept, 2, async () => undefined);
    expect(kept).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('a fixed number is a fixed number, and a failure stops the pool and is thrown', async () => {
    let peak = 0;
    let now = 0;
    await runPool(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async () => {
        peak = Math.max(peak, ++now);
        await new Promise((resolve) => setImmediate(resolve));
        now--;
      },
    );
    expect(peak).toBe(3);
    const started: number[] = [];
    const error = await runPool(
      Array.from({ length: 20 }, (_, i) => i),
      { ceiling: 4, allowed: () => 2 },
      async (i) => {
        started.push(i);
        if (i === 3) throw new Error('boom');
        await new Promise((resolve) => setImmediate(resolve));
      },
    ).catch((e) => e);
    expect((error as Error).message).toBe('boom');
    expect(started.length).toBeLessThan(20);
  });
});
