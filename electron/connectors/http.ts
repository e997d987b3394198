import type { AxiosInstance, AxiosResponse } from 'axios';
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
  /** false: a single attempt (a create whose retry must go through another endpoint). */
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
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  defaultHeaders?: Record<string, string>;
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
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (req.signal?.aborted) throw new CancelledError();
      await this.acquireSlot(req.signal);
      const started = this.now();
      let response: AxiosResponse<string>;
      try {
        response = await this.send(req);
      } catch (error) {
        this.releaseSlot();
        if (req.signal?.aborted) throw new CancelledError();
        const failure = this.classifyTransportError(error);
        this.report(req, failure.status, started, attempt);
        lastFailure = failure;
        if (failure.fatal) throw new MalformedResponseError(failure.message, this.service);
        if (attempt < maxAttempts) await this.sleep(backoffDelay(attempt, this.policy, this.random), req.signal);
        continue;
      }
      const headers = lowerHeaders(response.headers);
      // The slot is given back at once, with what the answer says of the window (waiters look at it on waking).
      this.notePacing(headers);
      this.releaseSlot();
      const correlationId = this.correlationId(headers);
      this.report(req, response.status, started, attempt, correlationId);
      if (response.status === 429 || response.status >= 500) {
        const retryAfterMs = parseRetryAfter(headers['retry-after'], this.now());
        lastFailure = {
          status: response.status,
          message: `${this.service} answered HTTP ${response.status}${response.status === 429 ? ' (too many requests)' : ''}`,
          correlationId,
          retryAfterMs,
        };
        if (retryAfterMs !== undefined && retryAfterMs > this.policy.maxRetryAfterMs) break;
        if (attempt < maxAttempts) {
          // One wait covers both the Retry-After and an exhausted rate-limit window.
          const delay = Math.max(
            retryAfterMs ?? backoffDelay(attempt, this.policy, this.random),
            this.pausedUntil - this.now(),
          );
          this.pausedUntil = 0;
          await this.sleep(delay, req.signal);
        }
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
      `${last.message}; gave up after ${maxAttempts === 1 ? 'one attempt' : `${maxAttempts} attempts`}`,
      this.service,
      last.status,
      maxAttempts,
      last.correlationId,
      last.retryAfterMs,
    );
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
  private notePacing(headers: Record<string, string>): void {
    if (headers['x-ratelimit-remaining'] === undefined) return;
    const remaining = Number(headers['x-ratelimit-remaining']);
    const reset = Number(headers['x-ratelimit-reset']);
    if (!Number.isFinite(remaining)) return;
    const resetMs = Number.isFinite(reset) && reset > 0 ? Math.min(reset * 1000, this.policy.maxRetryAfterMs) : 0;
    if (remaining <= 0 && resetMs > 0) {
      this.pausedUntil = this.now() + resetMs;
      this.window = undefined;
      return;
    }
    // Without a reset time the window cannot be waited out: nothing is held back on its word.
    this.window = resetMs > 0 ? { remaining, resetAt: this.now() + resetMs } : undefined;
  }

  /**
   * A slot for one request: after a spent window's reset, and while no more are in flight than the window has
   * left. One request may always go (the service answers 429 if it must); a new window lifts the cap.
   */
  private async acquireSlot(signal?: AbortSignal): Promise<void> {
    let waitedForReset = false;
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const pause = this.pausedUntil - this.now();
      if (pause > 0 && !waitedForReset) {
        await this.sleep(pause, signal);
        waitedForReset = true;
        continue;
      }
      const w = this.window;
      if (waitedForReset || !w || this.now() >= w.resetAt || this.inFlight === 0 || this.inFlight < w.remaining) break;
      await this.nextAnswer(signal);
    }
    this.inFlight++;
  }

  private releaseSlot(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
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
