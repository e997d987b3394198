import { isRealDate } from '../../shared/dates.js';

/**
 * A range of document dates (YYYY-MM-DD, both ends included), as the dry run and the backfill take it. At most
 * two years: a longer one is nearly always a typo in the year, and would read years of documents from Visma.
 */
export interface DateRange {
  from: string;
  to: string;
}

export const MAX_RANGE_DAYS = 731;

/** What is wrong with a range, in words, or undefined when it is a good one. */
export function rangeProblem(from: string | undefined, to: string | undefined): string | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) return 'Give both ends of the range: --from YYYY-MM-DD --to YYYY-MM-DD';
  for (const [option, value] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (!isRealDate(value))
      return `${option} must be a date such as 2026-11-01, not ${JSON.stringify(value.slice(0, 40))}`;
  if (from > to) return `--from ${from} is after --to ${to}: the range must start before it ends`;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS)
    return `${from} to ${to} is ${days} days: take at most two years (${MAX_RANGE_DAYS} days) at a time`;
  return undefined;
}

/** The range, checked: throws the problem as an Error (the CLI turns it into a usage error). */
export function checkedRange(from: string | undefined, to: string | undefined): DateRange | undefined {
  const problem = rangeProblem(from, to);
  if (problem) throw new RangeError(problem);
  return from !== undefined && to !== undefined ? { from, to } : undefined;
}

export function inRange(date: string, range: DateRange): boolean {
  return date >= range.from && date <= range.to;
}
