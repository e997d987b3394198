import { bodyWords, isHtml } from '../answer-words.js';

/**
 * AvaTax wraps every error as {error: {code, message, target, details[]}}. We sort them into what the
 * engine must do: stop and ask for credentials (auth), look the document up (already-posted), back off
 * (retryable), or wait for the user to change something (data).
 */
export type AvaTaxErrorKind = 'auth' | 'configuration' | 'already-posted' | 'not-found' | 'retryable' | 'data';

export interface AvaTaxErrorDetail {
  code?: string;
  number?: number;
  message?: string;
  description?: string;
  faultCode?: string;
  faultSubCode?: string;
  refersTo?: string;
  severity?: string;
  helpLink?: string;
}

export class AvaTaxError extends Error {
  constructor(
    readonly kind: AvaTaxErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: AvaTaxErrorDetail[] = [],
    readonly correlationId?: string,
  ) {
    super(message);
    this.name = 'AvaTaxError';
  }
}

const AUTH_CODES = new Set([
  'AuthenticationException',
  'AuthenticationIncomplete',
  'BasicAuthIncorrect',
  'AuthorizationException',
  'PermissionRequired',
  'AccountInvalidException',
]);
const ALREADY_POSTED_CODES = new Set([
  'DocumentCodeConflict',
  'TransactionAlreadyExists',
  'TransactionAlreadyCancelled',
]);
const RETRYABLE_CODES = new Set([
  'RequestLimitExceeded',
  'ConcurrentRequestLimitExceeded',
  'RateLimitExceededError',
  'RateLimitExceeded',
  'ServiceNotReady',
  'ServiceTimeout',
]);

export function isDocStatusError(code: string, details: AvaTaxErrorDetail[]): boolean {
  if (code === 'InvalidDocumentStatus') return true;
  if (code !== 'GetTaxError') return false;
  return details.some(
    (d) =>
      d.refersTo === 'DocStatus' ||
      d.faultSubCode === 'DocStatusError' ||
      /DocStatus is invalid/i.test(d.message ?? ''),
  );
}

export function classify(status: number, code: string, details: AvaTaxErrorDetail[]): AvaTaxErrorKind {
  if (status === 401 || AUTH_CODES.has(code)) return 'auth';
  // A company code AvaTax does not know fails every document the same way: it is the settings, not the data.
  if ([code, ...details.flatMap((d) => [d.code, d.faultSubCode])].some((c) => c === 'CompanyNotFoundError'))
    return 'configuration';
  if (ALREADY_POSTED_CODES.has(code) || isDocStatusError(code, details)) return 'already-posted';
  if (status === 429 || status >= 500 || RETRYABLE_CODES.has(code)) return 'retryable';
  if (status === 404 || code === 'EntityNotFoundError') return 'not-found';
  return 'data';
}

export function parseAvaTaxError(status: number, body: unknown, text: string, correlationId?: string): AvaTaxError {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error === 'object') {
    const details = Array.isArray(error.details) ? (error.details as AvaTaxErrorDetail[]) : [];
    const code = typeof error.code === 'string' ? error.code : `HTTP${status}`;
    const specific = details.find((d) => d.message && d.message !== error.message) ?? details[0];
    const top = typeof error.message === 'string' ? error.message : undefined;
    const parts = [
      top,
      specific?.message && specific.message !== top ? specific.message : undefined,
      specific?.description,
    ]
      .filter((p): p is string => Boolean(p?.trim()))
      .map((p) => p.trim());
    const message = parts.length > 0 ? parts.join(' — ') : `AvaTax error ${code}`;
    return new AvaTaxError(classify(status, code, details), status, code, message, details, correlationId);
  }
  const plain = text.trim();
  const message = plain
    ? isHtml(plain)
      ? `AvaTax answered HTTP ${status} with ${bodyWords(plain)}`
      : `AvaTax answered HTTP ${status}: ${bodyWords(plain)}`
    : `AvaTax answered HTTP ${status} with no body`;
  return new AvaTaxError(classify(status, `HTTP${status}`, []), status, `HTTP${status}`, message, [], correlationId);
}
