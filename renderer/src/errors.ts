import type { TFunction } from 'i18next';
import type { Reason } from '../../shared/reasons.js';
import type { Locale } from './i18n/locale.js';
import { sayReason } from './reasons.js';

/**
 * Errors in the accountant's words. Main reports what went wrong as the connectors saw it ("Could not reach
 * AvaTax: getaddrinfo ENOTFOUND rest.avatax.com; gave up after 5 attempts"); the screen says what it means
 * ("AvaTax could not be reached (network). Tried 5 times.") and keeps the original, folded away, for whoever
 * has to look further.
 */
export type ErrorKind = 'network' | 'timeout' | 'server' | 'busy' | 'auth' | 'conflict' | 'other';
export type ErrorService = 'avatax' | 'visma' | 'unknown';

export interface ExplainedError {
  kind: ErrorKind;
  service: ErrorService;
  /** How many times it was tried before giving up, when the message says. */
  attempts?: number;
  /** The original message, unchanged. */
  detail: string;
}

const KINDS: [ErrorKind, RegExp][] = [
  [
    'auth',
    /(HTTP|status(?: code)?) 40[13]\b|invalid_client|unauthori[sz]ed|did not accept|not authenticated|authentication failed/i,
  ],
  ['busy', /(HTTP|status(?: code)?) 429\b|too many requests|rate.?limit/i],
  ['timeout', /\btime[d ]?out\b|ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED|did not answer in time/i],
  [
    'network',
    /ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up|could not reach|network error|not reachable/i,
  ],
  ['server', /(HTTP|status(?: code)?) 5(\d\d|xx)\b|bad gateway|service unavailable|internal server error/i],
  ['conflict', /(HTTP|status(?: code)?) 412\b|precondition failed/i],
];

/** Which service a message (or main's service name: "AvaTax", "Visma.net", "Visma Connect") is about. */
export function serviceOf(text: string | undefined): ErrorService {
  if (!text) return 'unknown';
  if (/avatax|avalara/i.test(text)) return 'avatax';
  if (/visma/i.test(text)) return 'visma';
  return 'unknown';
}

export function explainError(message: string, service?: string): ExplainedError {
  const kind = KINDS.find(([, pattern]) => pattern.test(message))?.[0] ?? 'other';
  const named = serviceOf(service);
  const attempts = /gave up after (\d+) attempts/i.exec(message);
  return {
    kind,
    service: named === 'unknown' ? serviceOf(message) : named,
    ...(attempts ? { attempts: Number(attempts[1]) } : {}),
    detail: message,
  };
}

/**
 * The sentence to show, and the technical detail to fold away (none when the message was already in words: an
 * engine's reason such as "VAT differs: …" is shown as it is).
 */
export function describeError(
  t: TFunction,
  message: string,
  service?: string,
): { text: string; detail?: string; kind: ErrorKind } {
  const e = explainError(message, service);
  if (e.kind === 'other') return { text: message, kind: e.kind };
  const name = t(`error.service.${e.service}`);
  const sentence = e.kind === 'conflict' ? t('error.conflict') : t(`error.${e.kind}`, { service: name });
  const text = e.attempts ? `${sentence.replace(/\.?$/, '.')} ${t('error.attempts', { count: e.attempts })}` : sentence;
  return { text, detail: e.detail, kind: e.kind };
}

/**
 * What went wrong with one document or action, in the UI's language: main's reason (a code with its figures), or
 * the message of a call that failed on its way (explained as `describeError` explains it).
 */
export function sayProblem(t: TFunction, problem: Reason | string | undefined, locale: Locale): string {
  if (problem === undefined) return '';
  return typeof problem === 'string' ? describeError(t, problem).text : sayReason(problem, locale);
}
