import type { z } from 'zod';
import { isReason, type Reason } from './reasons.js';
import { startFromProblem } from './settings.js';

/**
 * What the settings schema found wrong, kept structured (not zod's English message) so the Settings screen can
 * say it in the user's language and in the words of the form: "Sync › Documents in parallel: must be at least 1"
 * instead of "Too small: expected number to be >=1".
 */
export interface SettingsIssue {
  path: (string | number)[];
  code: string;
  /** A refusal decided as a reason code (countries, currencies, postal codes): said as it is. */
  reason?: Reason;
  origin?: string;
  expected?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  /** A range of days the value must be in (a first-run date). */
  from?: string;
  to?: string;
}

export function toSettingsIssues(error: z.ZodError): SettingsIssue[] {
  return error.issues.map((issue) => {
    const i = issue as typeof issue & Partial<Record<'origin' | 'expected' | 'format', string>>;
    const bound = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined);
    const params = (issue as { params?: { reason?: unknown } }).params;
    return {
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      code: issue.code,
      ...(params && isReason(params.reason) ? { reason: params.reason } : {}),
      origin: i.origin,
      expected: i.expected,
      format: i.format,
      minimum: bound((issue as { minimum?: unknown }).minimum),
      maximum: bound((issue as { maximum?: unknown }).maximum),
    };
  });
}

/**
 * What the schema cannot check because it depends on the day: a first-run date in 1999 or 2030. The form checks
 * it before saving and main again when it saves, each with its own clock.
 */
export function datedIssues(settings: { sync?: { startFrom?: string } }, today: string): SettingsIssue[] {
  const problem = startFromProblem(settings.sync?.startFrom, today);
  return problem ? [{ path: ['sync', 'startFrom'], code: 'start_from_range', ...problem }] : [];
}
