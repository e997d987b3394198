import { bodyWords, isHtml } from '../answer-words.js';

/**
 * Visma.net answers errors in four shapes: {ExceptionType, ExceptionMessage, ExceptionFaultCode, ...},
 * {"Message": "..."}, plain text, or an empty body. All become one VismaError.
 */
export type VismaErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'precondition-failed'
  | 'validation'
  | 'conflict'
  | 'rate-limited'
  | 'server'
  | 'unexpected';

export class VismaError extends Error {
  constructor(
    readonly kind: VismaErrorKind,
    readonly status: number,
    message: string,
    readonly faultCode?: string,
    readonly messageId?: string,
    readonly exceptionType?: string,
    readonly correlationId?: string,
  ) {
    super(message);
    this.name = 'VismaError';
  }

  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server';
  }
}

export function kindForStatus(status: number): VismaErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition-failed';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'validation';
  return 'unexpected';
}

export function parseVismaError(status: number, body: unknown, text: string, correlationId?: string): VismaError {
  const kind = kindForStatus(status);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const said =
      str(b.ExceptionMessage) ?? str(b.Message) ?? str(b.message) ?? str(b.error_description) ?? str(b.error);
    // Visma starts many messages with "Error: "; the app says it is an error its own way ("Error: Error: …").
    const message = said?.replace(/^\s*error\s*:\s*/i, '') || said;
    if (message) {
      return new VismaError(
        kind,
        status,
        message,
        str(b.ExceptionFaultCode) ?? str(b.FaultCode),
        str(b.ExceptionMessageID),
        str(b.ExceptionType),
        correlationId,
      );
    }
  }
  const plain = text.trim();
  if (plain !== '')
    return new VismaError(
      kind,
      status,
      isHtml(plain) ? `Visma.net answered HTTP ${status} with ${bodyWords(plain)}` : truncate(plain, 500),
      undefined,
      undefined,
      undefined,
      correlationId,
    );
  return new VismaError(
    kind,
    status,
    `Visma.net answered HTTP ${status} with no explanation`,
    undefined,
    undefined,
    undefined,
    correlationId,
  );
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
