import { RetryableHttpError } from '../connectors/http.js';

/**
 * The circuit breaker of a run: when one service fails to answer (network error, timeout, 5xx, 429 after
 * every retry) for several documents in a row, the run stops instead of crawling through the rest at one
 * document a second; those documents stay as they were and the next run tries them. Any answer closes it again.
 */
export class UnreachableError extends Error {
  constructor(
    readonly service: string,
    readonly lastError: string,
  ) {
    super(`${service} is not reachable (${lastError})`);
    this.name = 'UnreachableError';
  }
}

export class Breaker {
  private readonly failures = new Map<string, number>();

  constructor(private readonly threshold = 3) {}

  /** A document failed: when it was the service not answering, count it; open at the threshold. */
  failed(error: unknown): void {
    if (!(error instanceof RetryableHttpError)) return;
    const count = (this.failures.get(error.service) ?? 0) + 1;
    this.failures.set(error.service, count);
    if (count >= this.threshold) throw new UnreachableError(error.service, error.message);
  }

  /** A document went through: every service it needed answered. */
  succeeded(): void {
    this.failures.clear();
  }
}
