/**
 * What a bench run measures: the full run's parts, CI's short form, and a run narrowed to some parts (`--compare`,
 * `--limited`, `--sizes`, `--year`). The report says what a full run left out, so a partial run is never taken
 * for the whole.
 */

export interface Plan {
  /** Documents our engine and the scripts are compared on (0: not compared). */
  compareDocuments: number;
  reps: number;
  naiveReps: number;
  /** Documents of the rate-limited run (0: not run). */
  limitedDocuments: number;
  /** Visma's window in the rate-limited run, and AvaTax's limit. */
  visma: { limit: number; windowSeconds: number };
  avatax: { requests: number; windowSeconds: number; retryAfter: 'seconds' };
  /** Month sizes measured. */
  sizes: number[];
  /** Documents that appear last in each month and are synced at the bench's latency. */
  newDocuments: number;
  /** Documents of the year's backfill (0: not run). */
  yearDocuments: number;
}

export const FULL_PLAN: Plan = {
  compareDocuments: 200,
  reps: 3,
  naiveReps: 1,
  limitedDocuments: 600,
  // Visma's 15,000 an hour in windows of 30 s (125 requests), AvaTax 20 a second.
  visma: { limit: 125, windowSeconds: 30 },
  avatax: { requests: 20, windowSeconds: 1, retryAfter: 'seconds' },
  sizes: [1000, 10_000, 50_000],
  newDocuments: 1000,
  yearDocuments: 24_000,
};

export const SHORT_PLAN: Plan = {
  compareDocuments: 30,
  reps: 3,
  naiveReps: 1,
  limitedDocuments: 60,
  // A window of 20 Visma requests in 3 s (24,000 an hour), AvaTax 10 a second.
  visma: { limit: 20, windowSeconds: 3 },
  avatax: { requests: 10, windowSeconds: 1, retryAfter: 'seconds' },
  sizes: [1000],
  newDocuments: 200,
  yearDocuments: 300,
};

export interface PlanOptions {
  compare?: string;
  reps?: string;
  limited?: string;
  sizes?: string;
  year?: string;
}

/** The plan for a full or short run, narrowed by the command line's options. */
export function planFor(short: boolean, options: PlanOptions): Plan {
  const base = short ? SHORT_PLAN : FULL_PLAN;
  const count = (name: keyof PlanOptions, fallback: number) => {
    const v = options[name];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number of 0 or more, not ${v}`);
    return n;
  };
  const sizes =
    options.sizes === undefined
      ? base.sizes
      : options.sizes
          .split(',')
          .filter(Boolean)
          .map((s) => {
            const n = Number(s);
            if (!Number.isInteger(n) || n <= 0) throw new Error(`--sizes takes whole numbers above 0, not ${s}`);
            return n;
          });
  return {
    ...base,
    compareDocuments: count('compare', base.compareDocuments),
    reps: count('reps', base.reps),
    limitedDocuments: count('limited', base.limitedDocuments),
    sizes,
    yearDocuments: count('year', base.yearDocuments),
  };
}

/** What a run on this plan leaves out of the full run, in words (none: the whole of it). */
export function leftOut(plan: Plan): string[] {
  const out: string[] = [];
  const fewer = (what: string, got: number, full: number) => {
    if (got === 0) out.push(`${what}: not run`);
    else if (got < full)
      out.push(`${what}: ${got.toLocaleString('en')} documents instead of ${full.toLocaleString('en')}`);
  };
  fewer('the comparison of flows', plan.compareDocuments, FULL_PLAN.compareDocuments);
  if (plan.compareDocuments > 0 && plan.reps < FULL_PLAN.reps)
    out.push(`the comparison of flows: ${plan.reps} repetitions instead of ${FULL_PLAN.reps}`);
  fewer('the rate-limited run', plan.limitedDocuments, FULL_PLAN.limitedDocuments);
  for (const size of FULL_PLAN.sizes)
    if (!plan.sizes.includes(size)) out.push(`the month of ${size.toLocaleString('en')} documents: not run`);
  fewer('the year’s backfill', plan.yearDocuments, FULL_PLAN.yearDocuments);
  return out;
}
