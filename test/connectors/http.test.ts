import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY,
  type ExchangeSummary,
  HttpClient,
  MalformedResponseError,
  parseRetryAfter,
  RetryableHttpError,
} from '../../electron/connectors/http.js';
import { Redactor } from '../../electron/connectors/redact.js';
import { json, SandboxServer } from '../../electron/sandbox/http-kit.js';

describe('HTTP layer', () => {
  let server: SandboxServer;
  let url: string;
  let slept: number[];
  let exchanges: ExchangeSummary[];
  const client = (extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
    new HttpClient({
      service: 'Test',
      baseUrl: url,
      redactor: new Redactor(['s3cret-value']),
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 },
      sleep: async (ms) => {
        slept.push(ms);
      },
      random: () => 0.5,
      onExchange: (e) => exchanges.push(e),
      ...extra,
    });

  beforeEach(async () => {
    server = new SandboxServer('test');
    server.route('GET', /^\/ok$/, () => json(200, { fine: true }, { 'x-correlation-id': 'corr-1' }));
    server.route('GET', /^\/text$/, () => ({ status: 200, body: 'plain' }));
    url = await server.listen();
    slept = [];
    exchanges = [];
  });
  afterEach(() => server.close());

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'status', status: 429, retryAfter: '2' }, times: 2 });
    const res = await client().request({ method: 'GET', path: '/ok' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ fine: true });
    expect(slept).toEqual([2000, 2000]);
    expect(exchanges.map((e) => e.status)).toEqual([429, 429, 200]);
    expect(exchanges[2]!.correlationId).toBe('corr-1');
  });

  it('backs off with full jitter on 5xx without Retry-After', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'status', status: 503 }, times: 3 });
    await client().request({ method: 'GET', path: '/ok' });
    // random() = 0.5 of min(cap, base * 2^(n-1)): 50, 100, 200
    expect(slept).toEqual([50, 100, 200]);
  });

  it('gives up after the bounded attempts with a typed, replayable error', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'status', status: 429 }, times: 10 });
    const error = await client()
      .request({ method: 'GET', path: '/ok' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error.retryable).toBe(true);
    expect(error.lastStatus).toBe(429);
    expect(error.attempts).toBe(4);
    expect(server.log.filter((e) => e.path === '/ok')).toHaveLength(4);
  });

  it('does not wait for a Retry-After longer than the policy allows', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'status', status: 429, retryAfter: '3600' }, times: 1 });
    const error = await client()
      .request({ method: 'GET', path: '/ok' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(slept).toEqual([]);
  });

  it('retries dropped connections and timeouts', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'drop' }, times: 1 });
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'delay', ms: 400 }, times: 1 });
    const res = await client({ timeoutMs: 150 }).request({ method: 'GET', path: '/ok' });
    expect(res.status).toBe(200);
    expect(exchanges.map((e) => e.status)).toEqual(['network-error', 'timeout', 200]);
  });

  it('makes one attempt only when asked (a create retried elsewhere)', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'status', status: 500 }, times: 1 });
    const error = await client()
      .request({ method: 'GET', path: '/ok', retry: false })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error.attempts).toBe(1);
  });

  it('refuses an oversized response without retrying', async () => {
    server.injectFault({ path: /^\/ok$/, fault: { kind: 'oversize', bytes: 4096 }, times: 1 });
    const error = await client({ maxResponseBytes: 1024 })
      .request({ method: 'GET', path: '/ok' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toMatch(/larger than allowed/);
  });

  it('keeps non-JSON bodies as text', async () => {
    const res = await client().request({ method: 'GET', path: '/text' });
    expect(res.body).toBe('plain');
  });

  it('pauses when X-RateLimit-Remaining reaches zero until the window resets', async () => {
    server.route('GET', /^\/spent$/, () => json(200, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' }));
    let t = 1_000_000;
    const c = client({ now: () => t });
    await c.request({ method: 'GET', path: '/spent' });
    await c.request({ method: 'GET', path: '/ok' });
    expect(slept).toEqual([7000]);
    t += 1;
  });

  describe('concurrency follows the rate-limit headers', () => {
    /** A route that answers after 30 ms with the given headers, and counts how many requests it held at once. */
    function limited(headers: () => Record<string, string>) {
      const seen = { now: 0, peak: 0, count: 0 };
      server.route('GET', /^\/limited$/, async () => {
        seen.now++;
        seen.count++;
        seen.peak = Math.max(seen.peak, seen.now);
        await new Promise((r) => setTimeout(r, 30));
        seen.now--;
        return json(200, {}, headers());
      });
      return seen;
    }

    it('keeps no more requests in flight than X-RateLimit-Remaining allows', async () => {
      const seen = limited(() => ({ 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '60' }));
      const c = client();
      await c.request({ method: 'GET', path: '/limited' });
      await Promise.all(Array.from({ length: 6 }, () => c.request({ method: 'GET', path: '/limited' })));
      expect(seen.count).toBe(7);
      // Never more than the window allows (that six may go at once is the next test's).
      expect(seen.peak).toBeLessThanOrEqual(2);
      expect(slept).toEqual([]);
    });

    it('runs as many in flight as asked while the window has room', async () => {
      // The server holds each answer until all six have arrived (or 3 s passed): the peak does not depend on
      // how fast a loaded machine sends them, only on how many the client lets go at once.
      const seen = { now: 0, peak: 0, arrived: 0 };
      let open: () => void = () => {};
      const all = new Promise<void>((resolve) => {
        open = resolve;
      });
      server.route('GET', /^\/limited$/, async () => {
        seen.now++;
        seen.peak = Math.max(seen.peak, seen.now);
        if (++seen.arrived === 7) open(); // the first request learns the window; then six at once
        if (seen.arrived > 1) await Promise.race([all, new Promise((r) => setTimeout(r, 3000))]);
        seen.now--;
        return json(200, {}, { 'x-ratelimit-remaining': '500', 'x-ratelimit-reset': '60' });
      });
      const c = client();
      await c.request({ method: 'GET', path: '/limited' });
      await Promise.all(Array.from({ length: 6 }, () => c.request({ method: 'GET', path: '/limited' })));
      expect(seen.peak).toBe(6);
    });

    it('lowers what is in flight as the window runs out, then waits for its reset', async () => {
      let remaining = 3;
      const seen = limited(() => ({
        'x-ratelimit-remaining': String(Math.max(0, remaining--)),
        'x-ratelimit-reset': '9',
      }));
      const c = client();
      await c.request({ method: 'GET', path: '/limited' });
      // 3 left: at most 3 in flight; each answer lowers it; the last answer spends the window and the rest wait.
      await Promise.all(Array.from({ length: 6 }, () => c.request({ method: 'GET', path: '/limited' })));
      expect(seen.peak).toBeLessThanOrEqual(3);
      // The wait is the reset less the milliseconds the answers took: 9 s, give or take a loaded machine.
      expect(slept.some((ms) => ms > 8_000 && ms <= 9_000)).toBe(true);
      expect(exchanges.every((e) => e.status === 200)).toBe(true);
    });

    it('always lets one request go when a window says nothing is left without saying when it resets', async () => {
      limited(() => ({ 'x-ratelimit-remaining': '0' }));
      const c = client();
      await c.request({ method: 'GET', path: '/limited' });
      await c.request({ method: 'GET', path: '/limited' });
      expect(exchanges).toHaveLength(2);
    });
  });

  describe('a 429 holds the whole service, not only the request refused', () => {
    /** A sleep the test lets go of: each call is held until `release()`. */
    function heldSleep() {
      const held: { ms: number; go: () => void }[] = [];
      return {
        held,
        sleep: (ms: number) => new Promise<void>((go) => held.push({ ms, go })),
        release: () => {
          for (const h of held.splice(0)) h.go();
        },
      };
    }
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
    };

    it('requests sent during the wait wait too, and after it one goes alone before the rest', async () => {
      const seen = { now: 0, arrivals: [] as number[] };
      server.route('GET', /^\/held$/, async () => {
        seen.arrivals.push(seen.now);
        seen.now++;
        await new Promise((r) => setTimeout(r, 20));
        seen.now--;
        return json(200, {});
      });
      server.injectFault({ path: /^\/held$/, fault: { kind: 'status', status: 429, retryAfter: '2' }, times: 1 });
      const t = 1_000_000;
      const h = heldSleep();
      const c = client({ now: () => t, sleep: h.sleep });
      const first = c.request({ method: 'GET', path: '/held' });
      await until(() => h.held.length === 1);
      expect(h.held[0]!.ms).toBe(2000);
      // Five more while the service asked us to wait: none is sent, each waits the same.
      const rest = Array.from({ length: 5 }, () => c.request({ method: 'GET', path: '/held' }));
      await until(() => h.held.length === 6);
      expect(h.held.map((x) => x.ms)).toEqual([2000, 2000, 2000, 2000, 2000, 2000]);
      expect(seen.arrivals).toHaveLength(0);
      h.release();
      await Promise.all([first, ...rest]);
      // The first one after the wait was alone: the second arrived once it was answered.
      expect(seen.arrivals.slice(0, 2)).toEqual([0, 0]);
      expect(exchanges.map((e) => e.status)).toEqual([429, 200, 200, 200, 200, 200, 200]);
    });

    it('a 429 to a request that asked for one attempt (a create) is sent again: it was refused, not lost', async () => {
      server.injectFault({ path: /^\/ok$/, fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 1 });
      const res = await client().request({ method: 'GET', path: '/ok', retry: false });
      expect(res.status).toBe(200);
      expect(slept).toEqual([1000]);
      expect(exchanges.map((e) => e.status)).toEqual([429, 200]);
    });

    it('tells the pace of each 429 and of each answer with its window', async () => {
      server.route('GET', /^\/windowed$/, () =>
        json(200, {}, { 'x-ratelimit-remaining': '40', 'x-ratelimit-reset': '5' }),
      );
      server.injectFault({ path: /^\/windowed$/, fault: { kind: 'status', status: 429, retryAfter: '3' }, times: 1 });
      const signals: unknown[] = [];
      await client({ onPacing: (s) => signals.push(s) }).request({ method: 'GET', path: '/windowed' });
      expect(signals).toEqual([
        { kind: 'throttled', service: 'Test', waitMs: 3000 },
        { kind: 'answered', service: 'Test', window: { remaining: 40, resetMs: 5000 } },
      ]);
    });
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('5', 0)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 0)).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(backoffDelay(10, DEFAULT_RETRY, () => 0.999)).toBeLessThan(DEFAULT_RETRY.maxDelayMs);
  });
});
