/**
 * What the services' answers say about the pace: a 429 (with the wait it asked for), or an answer with what the
 * service's rate-limit headers said of its window (Visma: X-RateLimit-Remaining / Reset, AvaTax: nothing).
 */
export type PacingSignal =
  | { kind: 'throttled'; service: string; waitMs: number }
  | { kind: 'answered'; service: string; window?: { remaining: number; resetMs: number } };

/** Documents a run starts with in flight before any answer has said more is welcome (then it grows fast). */
const START = 2;

/**
 * How many documents a run keeps in flight, following the services' windows (additive increase, multiplicative
 * decrease, as TCP does): it starts low and grows by one with every answer until the first 429 (slow start),
 * then by one per round of answers, and at most once per wait the last 429 asked for (a rate limit's window is
 * far longer than a round trip: growing every round would find the limit again in each window); while a
 * service's window is known, never more documents than half of what it has left (a document makes a request or
 * two at a time), and no growth while that is short; on a 429 it halves, once per wait the service asked for
 * (the 429s of requests already in flight belong to the same episode). `ceiling` (`sync.concurrency`) is never
 * passed; one document may always go.
 *
 * The HTTP layer does the waiting (Retry-After, a spent window): this only decides how many documents compete.
 */
export class Pace {
  private limit: number;
  private slowStart = true;
  private answers = 0;
  private holdUntil = Number.NEGATIVE_INFINITY;
  /** The wait the last 429 asked for, and when the pace last grew. */
  private lastWaitMs = 0;
  private grewAt = Number.NEGATIVE_INFINITY;
  private readonly windows = new Map<string, { remaining: number; resetAt: number }>();
  /** What happened, for the bench and the tests: 429s met, halvings, and the most documents allowed at once. */
  readonly stats = { throttled: 0, decreases: 0, peak: 0 };

  constructor(
    readonly ceiling: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ceiling = Math.max(1, Math.floor(ceiling));
    this.limit = Math.min(this.ceiling, START);
    this.stats.peak = this.limit;
  }

  /** Documents that may be in flight now: at least one, at most the ceiling. */
  allowed(): number {
    return Math.max(1, Math.min(this.limit, this.windowRoom()));
  }

  signal(s: PacingSignal): void {
    const now = this.now();
    if (s.kind === 'throttled') {
      this.stats.throttled++;
      // One halving per episode: 429s answering requests sent before the first one's wait are the same news.
      if (now < this.holdUntil) return;
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.slowStart = false;
      this.answers = 0;
      this.holdUntil = now + Math.max(1, s.waitMs);
      this.lastWaitMs = Math.max(1, s.waitMs);
      this.stats.decreases++;
      return;
    }
    if (s.window) this.windows.set(s.service, { remaining: s.window.remaining, resetAt: now + s.window.resetMs });
    if (now < this.holdUntil || this.limit >= this.ceiling) return;
    // Growth only while every known window has room for one more document's requests.
    if (this.windowRoom() <= this.limit) return;
    this.answers++;
    const grow = this.slowStart || (this.answers >= this.limit && now - this.grewAt >= this.lastWaitMs);
    if (grow) {
      this.limit++;
      this.answers = 0;
      this.grewAt = now;
      this.stats.peak = Math.max(this.stats.peak, this.limit);
    }
  }

  /** Documents the known windows have room for (half of what is left), or the ceiling while none is known. */
  private windowRoom(): number {
    const now = this.now();
    let room = this.ceiling;
    for (const [service, w] of this.windows) {
      if (now >= w.resetAt) this.windows.delete(service);
      else room = Math.min(room, Math.floor(w.remaining / 2));
    }
    return room;
  }
}
