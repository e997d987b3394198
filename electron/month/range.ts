import { type DateRange, rangeProblem } from '../../shared/month.js';

/** The date ranges of the dry run and the backfill: defined in shared/month.ts (the desk checks them too). */
export { type DateRange, MAX_RANGE_DAYS, rangeProblem } from '../../shared/month.js';

/** The range, checked: throws the problem as an Error (the CLI turns it into a usage error). */
export function checkedRange(from: string | undefined, to: string | undefined): DateRange | undefined {
  const problem = rangeProblem(from, to);
  if (problem) throw new RangeError(problem);
  return from !== undefined && to !== undefined ? { from, to } : undefined;
}

export function inRange(date: string, range: DateRange): boolean {
  return date >= range.from && date <= range.to;
}
