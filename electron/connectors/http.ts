import type { AxiosInstance, AxiosResponse } from 'axios';
import type { PacingSignal } from './pace.js';
import type { Redactor } from './redact.js';

/** What the audit trail learns of each HTTP exchange: never a body, never a header with a secret. */
export interface ExchangeSummary {
  service: string;
  method: string;
  path: string;
  status: number | 'network-error' | 'timeout';
  durationMs: number;
  attempt: number;
  correlationId?: string;
}

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for inside a run: the request fails as retryable. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** JSON body. */
  json?: unknown;
  /** application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
  timeoutMs?: number;
  /**
   * false: a single attempt (a create whose retry must go through another endpoint). A 429 is still waited out and
   * sent again: the service refused it unprocessed (and a create it did hold would be answered as a duplicate).
   */
  retry?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty body, or the raw text when it is not JSON. */
  body: unknown;
  text: string;
  correlationId?: string;
}

/** Network failure, timeout, 5xx or 429 that outlived every attempt: safe to replay later. */
export class RetryableHttpError extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly service: string,
    readonly lastStatus: number | 'network-error' | 'timeout',
    readonly attempts: number,
    readonly correlationId?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableHttpError';
  }
}

/** The response broke a limit or a promise (too large, not JSON where JSON was due). Not retried. */
export class MalformedResponseError extends Error {
  constructor(
    message: string,
    readonly service: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

export interface HttpClientOptions {
  service: string;
  baseUrl: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  maxResponseBytes?: number;
  redactor: Redactor;
  correlationHeaders?: string[];
  onExchange?: (summary: ExchangeSummary) => void;
  /** Told of every 429 and every other answer with the window it announced (see Pace). */
  onPacing?: (signal: PacingSignal) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  defaultHeaders?: Record<string, string>;
}

/**
 * Loads the HTTP library now. HttpClient imports it on its first request, so that the command line's `--help`
 * stays fast; a long-running process (the desktop app) calls this at its start, so that its first sync does not
 * wait for the module (about a tenth of a second) while its requests could already be on their way.
 */
export function preloadHttp(): Promise<void> {
  return import('axios').then(() => undefined);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Parses Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter (AWS architecture blog): a uniform delay in [0, min(cap, base * 2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * One HTTP client per remote service: timeouts, bounded retries with full-jitter backoff on network errors,
 * timeouts, 5xx and 429 (honouring Retry-After), pacing by X-RateLimit-Remaining/Reset, a response size cap,
 * and a redacted summary of every exchange.
 *
 * A 429 holds every request to the service, not only the one refused, for as long as it asks (Retry-After; without
 * one, a backoff that doubles with every 429 in a row); then one request goes alone, and the rest follow once it
 * is answered. So a throttled service sees one request per wait, never the whole queue at once (no 429 storm).
 */
export class HttpClient {
  /** axios is loaded at the first request: a command that never calls a service (list, export) never loads it. */
  private axios?: Promise<AxiosInstance>;
  private readonly policy: RetryPolicy;
  private readonly sleep: NonNullable<HttpClientOptions['sleep']>;
  private readonly random: () => number;
  private readonly now: () => number;
  private pausedUntil = 0;
  /** What the service's rate-limit headers last said: requests left in the current window, and when it resets. */
  private window?: { remaining: number; resetAt: number };
  private inFlight = 0;
  private readonly answered = new Set<() => void>();
  /** 429s in a row (the backoff when the service names no wait); the first request after a 429's wait. */
  private throttledInARow = 0;
  private probe: 'none' | 'wanted' | number = 'none';
  private slots = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  private client(): Promise<AxiosInstance> {
    const options = this.options;
    this.axios ??= import('axios').then(({ default: axios }) =>
      axios.create({
        baseURL: options.baseUrl.replace(/\/+$/, ''),
        timeout: options.timeoutMs ?? 60_000,
        maxContentLength: options.maxResponseBytes ?? 25 * 1024 * 1024,
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: [(data) => data],
        validateStatus: () => true,
        headers: { Accept: 'application/json', ...options.defaultHeaders },
      }),
    );
    return this.axios;
  }

  get service(): string {
    return this.options.service;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const maxAttempts = req.retry === false ? 1 : this.policy.maxAttempts;
    let lastFailure:
      | { status: number | 'network-error' | 'timeout'; message: string; correlationId?: string; retryAfterMs?: number }
      | undefined;
    let waitedUntil = 0;
    let attempt = 0;
    for (;;) {
      attempt++;
      if (req.signal?.aborted) throw new CancelledError();
      const slot = await this.acquireSlot(req.signal, waitedUntil);
      const started = this.now();
      let response: AxiosResponse<string>;
      try {
        response = await this.send(req);
      } catch (error) {
        this.releaseSlot(slot, false);
        if (req.signal?.aborted) throw new CancelledError();
        const failure = this.classifyTransportError(error);
        this.report(req, failure.status, started, attempt);
        lastFailure = failure;
        if (failure.fatal) throw new MalformedResponseError(failure.message, this.service);
        if (attempt >= maxAttempts) break;
        await this.sleep(backoffDelay(attempt, this.policy, this.random), req.signal);
        continue;
      }
      const headers = lowerHeaders(response.headers);
      const throttled = response.status === 429;
      // The slot is given back at once, with what the answer says of the window (waiters look at it on waking).
      const retryAfterMs = parseRetryAfter(headers['retry-after'], this.now());
      const window = this.notePacing(headers);
      // A 429 to a request sent before a wait that is already over answers for the window that wait ended.
      const stale = throttled && started < this.pausedUntil && this.now() >= this.pausedUntil;
      const waitMs = throttled && !stale ? this.throttle(retryAfterMs, attempt) : 0;
      if (!throttled && response.status < 500) {
        this.throttledInARow = 0;
        this.options.onPacing?.({ kind: 'answered', service: this.service, window });
      }
      this.releaseSlot(slot, throttled);
      const correlationId = this.correlationId(headers);
      this.report(req, response.status, started, attempt, correlationId);
      if (throttled || response.status >= 500) {
        lastFailure = {
          status: response.status,
          message: `${this.service} answered HTTP ${response.status}${throttled ? ' (too many requests)' : ''}`,
          correlationId,
          retryAfterMs,
        };
        if (retryAfterMs !== undefined && retryAfterMs > this.policy.maxRetryAfterMs) break;
        // A 429 was refused unprocessed: it may go again even when the request asked for one attempt.
        if (attempt >= (throttled ? this.policy.maxAttempts : maxAttempts)) break;
        if (throttled) {
          // Every request to the service waits until then; this one too.
          const until = this.pausedUntil;
          await this.sleep(Math.max(waitMs, until - this.now()), req.signal);
          waitedUntil = until;
          continue;
        }
        // One wait covers both the Retry-After and an exhausted rate-limit window.
        const delay = Math.max(
          retryAfterMs ?? backoffDelay(attempt, this.policy, this.random),
          this.pausedUntil - this.now(),
        );
        await this.sleep(delay, req.signal);
        waitedUntil = this.pausedUntil;
        continue;
      }
      // An error body may repeat what we sent (a license key in a 400, a proxy's page): every text that can
      // become a message, a ledger reason, an audit entry or a CSV cell leaves here redacted.
      const text = response.status >= 400 ? this.options.redactor.redact(response.data ?? '') : (response.data ?? '');
      return {
        status: response.status,
        headers,
        text,
        body: parseBody(text),
        correlationId,
      };
    }
    const last = lastFailure ?? { status: 'network-error' as const, message: 'no attempt made' };
    throw new RetryableHttpError(
      `${last.message}; gave up after ${attempt === 1 ? 'one attempt' : `${attempt} attempts`}`,
      this.service,
      last.status,
      attempt,
      last.correlationId,
      last.retryAfterMs,
    );
  }

  /**
   * A 429: every request to the service waits as long as it asks (Retry-After, at most the policy's longest wait;
   * else a backoff that doubles with each 429 in a row), and the first one after goes alone. Returns the wait.
   */
  private throttle(retryAfterMs: number | undefined, attempt: number): number {
    this.throttledInARow++;
    const waitMs =
      retryAfterMs !== undefined
        ? Math.min(retryAfterMs, this.policy.maxRetryAfterMs)
        : Math.max(
            this.policy.baseDelayMs,
            backoffDelay(Math.max(attempt, this.throttledInARow), this.policy, this.random),
          );
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + waitMs);
    if (this.probe === 'none') this.probe = 'wanted';
    this.options.onPacing?.({ kind: 'throttled', service: this.service, waitMs });
    return waitMs;
  }

  private async send(req: HttpRequest): Promise<AxiosResponse<string>> {
    const headers: Record<string, string> = { ...req.headers };
    let data: string | undefined;
    if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(req.json);
    } else if (req.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      data = new URLSearchParams(req.form).toString();
    }
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params[k] = String(v);
    const client = await this.client();
    return client.request<string>({
      method: req.method,
      url: req.path,
      params,
      headers,
      data,
      timeout: req.timeoutMs ?? this.options.timeoutMs ?? 60_000,
      signal: req.signal,
    });
  }

  private classifyTransportError(error: unknown): {
    status: 'network-error' | 'timeout';
    message: string;
    fatal?: boolean;
  } {
    const e = error as { code?: string; message?: string };
    const text = this.options.redactor.redact(e.message ?? String(error));
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(text)) {
      return { status: 'timeout', message: `${this.service} did not answer in time` };
    }
    if (e.code === 'ERR_BAD_RESPONSE' && /maxContentLength/i.test(text)) {
      return { status: 'network-error', message: `${this.service} sent a response larger than allowed`, fatal: true };
    }
    return { status: 'network-error', message: `Could not reach ${this.service}: ${text}` };
  }

  private correlationId(headers: Record<string, string>): string | undefined {
    for (const name of this.options.correlationHeaders ?? ['x-correlation-id']) {
      if (headers[name]) return headers[name];
    }
    return undefined;
  }

  /**
   * Visma publishes X-RateLimit-Remaining / Reset (seconds): requests in flight never outnumber what the window
   * has left (fewer and fewer as it runs out), and when it is spent every request waits for its reset.
   */
  private notePacing(headers: Record<string, string>): { remaining: number; resetMs: number } | undefined {
    if (headers['x-ratelimit-remaining'] === undefined) return undefined;
    const remaining = Number(headers['x-ratelimit-remaining']);
    const reset = Number(headers['x-ratelimit-reset']);
    if (!Number.isFinite(remaining)) return undefined;
    const resetMs = Number.isFinite(reset) && reset > 0 ? Math.min(reset * 1000, this.policy.maxRetryAfterMs) : 0;
    if (remaining <= 0 && resetMs > 0) {
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + resetMs);
      this.window = undefined;
      return { remaining, resetMs };
    }
    // Without a reset time the window cannot be waited out: nothing is held back on its word.
    this.window = resetMs > 0 ? { remaining, resetAt: this.now() + resetMs } : undefined;
    return resetMs > 0 ? { remaining, resetMs } : undefined;
  }

  /**
   * A slot for one request: after a pause (a spent window's reset, a 429's wait) has passed, while no more are in
   * flight than the window has left, and after a 429 only once the first request sent after the wait has its
   * answer. One request may always go (the service answers 429 if it must); a new window lifts the cap.
   * `waitedUntil`: the pause this request has already waited out. Returns the slot's number.
   */
  private async acquireSlot(signal: AbortSignal | undefined, waitedUntil: number): Promise<number> {
    let waited = waitedUntil;
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const pausedUntil = this.pausedUntil;
      const now = this.now();
      if (pausedUntil > waited && pausedUntil > now) {
        await this.sleep(pausedUntil - now, signal);
        waited = pausedUntil;
        continue;
      }
      if (this.probe !== 'none') {
        if (this.probe === 'wanted') {
          this.probe = ++this.slots;
          this.inFlight++;
          return this.probe;
        }
        await this.nextAnswer(signal);
        continue;
      }
      const w = this.window;
      if (!w || now >= w.resetAt || this.inFlight === 0 || this.inFlight < w.remaining) break;
      await this.nextAnswer(signal);
    }
    this.inFlight++;
    return ++this.slots;
  }

  /** The slot is free again; the probe after a 429 ends with its answer (another 429 wants another probe). */
  private releaseSlot(slot: number, throttled: boolean): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    // A later 429 (of a request sent before the wait) may have made the wait longer: probe again after it.
    if (this.probe === slot) this.probe = throttled || this.pausedUntil > this.now() ? 'wanted' : 'none';
    const waiting = [...this.answered];
    this.answered.clear();
    for (const wake of waiting) wake();
  }

  /** Resolves when a request in flight has its answer (or the signal aborts). */
  private nextAnswer(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        signal?.removeEventListener('abort', wake);
        this.answered.delete(wake);
        resolve();
      };
      this.answered.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  private report(
    req: HttpRequest,
    status: ExchangeSummary['status'],
    started: number,
    attempt: number,
    correlationId?: string,
  ): void {
    this.options.onExchange?.({
      service: this.service,
      method: req.method,
      path: this.options.redactor.redact(req.path),
      status,
      durationMs: this.now() - started,
      attempt,
      correlationId,
    });
  }
}

function lowerHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const source = (headers ?? {}) as Record<string, unknown>;
  const entries =
    typeof (source as { toJSON?: () => unknown }).toJSON === 'function'
      ? Object.entries((source as { toJSON: () => Record<string, unknown> }).toJSON())
      : Object.entries(source);
  for (const [k, v] of entries)
    if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
