import { afterEach, describe, expect, it } from 'vitest';
import { testClock } from '../helpers/clock.js';
import { type AvaTaxWorld, startAvaTax } from './http.js';

const RESOLVE = '/api/v2/addresses/resolve';
const ADDRESS = { line1: '2000 Main Street', city: 'Irvine', region: 'CA', postalCode: '92614', country: 'US' };

let w: AvaTaxWorld | undefined;
afterEach(() => w?.close());

async function statuses(world: AvaTaxWorld, n: number) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await world.post(RESOLVE, ADDRESS)).status);
  return out;
}

describe('the AvaTax sandbox’s optional rate limit', () => {
  it('answers every request when no limit is set', async () => {
    w = await startAvaTax({ now: testClock().ms });
    expect(new Set(await statuses(w, 25))).toEqual(new Set([200]));
  });

  it('answers 429 past the window’s requests, with Retry-After when asked for, until the window ends', async () => {
    const clock = testClock();
    w = await startAvaTax({ now: clock.ms });
    w.avatax.rateLimit = { requests: 3, windowSeconds: 10, retryAfter: 'seconds' };
    expect(await statuses(w, 3)).toEqual([200, 200, 200]);
    const refused = await w.post(RESOLVE, ADDRESS);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'RateLimitExceeded', details: [{ number: 4011 }] });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    clock.advance(10_000);
    expect(await statuses(w, 4)).toEqual([200, 200, 200, 429]);
  });

  it('by default (the stricter variant) names no wait: a bare 429', async () => {
    w = await startAvaTax({ now: testClock().ms });
    w.avatax.rateLimit = { requests: 1, windowSeconds: 60 };
    await w.post(RESOLVE, ADDRESS);
    const refused = await w.post(RESOLVE, ADDRESS);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
  });

  it('counts per account, and a request refused for its credentials does not count', async () => {
    w = await startAvaTax({ now: testClock().ms });
    w.avatax.rateLimit = { requests: 2, windowSeconds: 60, retryAfter: 'seconds' };
    const wrong = await fetch(`${w.avatax.url}${RESOLVE}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('1:nope').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(ADDRESS),
    });
    expect(wrong.status).toBe(401);
    expect(await statuses(w, 3)).toEqual([200, 200, 429]);
  });
});
