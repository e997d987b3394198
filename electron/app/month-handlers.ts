import { z } from 'zod';
import type { SyncEngine } from '../engine/sync-engine.js';
import { type BackfillProgress, type BackfillRecord, type BackfillRequest, MAX_PER_MINUTE } from '../month/backfill.js';
import type { DryRunResult } from '../month/dry-run.js';
import { rangeProblem } from '../month/range.js';

/**
 * The month-end actions for the desk, as plain functions over the engine: a dry run, and a backfill started,
 * paused, resumed and followed. Not wired yet: the channels, their zod schemas (below, to move into shared/ipc.ts)
 * and the events are the integrator's. A backfill can take hours, so starting one answers as soon as it has
 * listed its range, with its state; its progress and its end come through the `events` given.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date such as 2026-11-01');
const perMinute = z.number().int().min(1).max(MAX_PER_MINUTE).optional();

/** Either end alone, ends out of order, unreal dates, more than two years: refused in words. */
function withRange<T extends z.ZodType<{ from?: string; to?: string }>>(schema: T) {
  return schema.superRefine((v, ctx) => {
    const problem = rangeProblem(v.from, v.to);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['from'] });
  });
}

export const MONTH_IPC_INPUTS = {
  'month:dry-run': withRange(
    z
      .object({
        from: day.optional(),
        to: day.optional(),
        customer: z.string().trim().min(1).max(30).optional(),
        unreleased: z.boolean().optional(),
      })
      .strict(),
  ).refine((v) => v.from !== undefined || v.customer !== undefined || v.unreleased === true, {
    message: 'Say which documents: a range of dates, a customer, or the unreleased ones',
  }),
  'month:backfill-start': withRange(z.object({ from: day, to: day, perMinute }).strict()),
  'month:backfill-resume': z.object({ perMinute }).strict(),
  'month:backfill-pause': z.object({}).strict(),
  'month:backfill-status': z.object({}).strict(),
};

export type MonthInput<C extends keyof typeof MONTH_IPC_INPUTS> = z.infer<(typeof MONTH_IPC_INPUTS)[C]>;

/** What the desk shows of a backfill: as the data folder keeps it, with its progress while it runs. */
export type BackfillView = BackfillRecord & { running: boolean; progress?: BackfillProgress };

export interface BackfillEvents {
  onProgress?: (progress: BackfillProgress) => void;
  /** Finished, paused, or stopped by an error (then `error` says why). */
  onEnded?: (record: BackfillRecord | undefined, error?: string) => void;
}

/** The pause of each engine's running backfill. */
const pauses = new WeakMap<SyncEngine, AbortController>();

function parse<C extends keyof typeof MONTH_IPC_INPUTS>(channel: C, input: unknown): MonthInput<C> {
  const parsed = MONTH_IPC_INPUTS[channel].safeParse(input ?? {});
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data as MonthInput<C>;
}

export async function dryRunHandler(engine: SyncEngine, input: unknown): Promise<DryRunResult> {
  const q = parse('month:dry-run', input);
  return engine.dryRun(
    {
      range: q.from && q.to ? { from: q.from, to: q.to } : undefined,
      customer: q.customer,
      unreleased: q.unreleased || undefined,
    },
    'user',
  );
}

export function backfillStatusHandler(engine: SyncEngine): BackfillView | null {
  const status = engine.backfillStatus();
  if (!status) return null;
  return { ...status, running: engine.runningJob === 'backfill' || pauses.has(engine) };
}

/** Starts a backfill of a range (or takes the same paused range up again) and answers with its state. */
export async function startBackfillHandler(
  engine: SyncEngine,
  input: unknown,
  events: BackfillEvents = {},
): Promise<BackfillView> {
  const q = parse('month:backfill-start', input);
  return launch(engine, { range: { from: q.from, to: q.to } }, q.perMinute, events);
}

/** Goes on with the paused backfill (one stopped with the app included). */
export async function resumeBackfillHandler(
  engine: SyncEngine,
  input: unknown,
  events: BackfillEvents = {},
): Promise<BackfillView> {
  const q = parse('month:backfill-resume', input);
  return launch(engine, { resume: true }, q.perMinute, events);
}

/** Pauses the running backfill after the document in hand; its position is kept. */
export function pauseBackfillHandler(engine: SyncEngine): { pausing: boolean } {
  const pause = pauses.get(engine);
  pause?.abort();
  return { pausing: pause !== undefined };
}

/**
 * Starts the job and answers once it has listed its range (its first progress: done and total known), or when it
 * ended before that; the rest comes through the events.
 */
function launch(
  engine: SyncEngine,
  request: BackfillRequest,
  perMinute: number | undefined,
  events: BackfillEvents,
): Promise<BackfillView> {
  if (pauses.has(engine)) return Promise.reject(new RangeError('A backfill is already running: pause it first'));
  const pause = new AbortController();
  pauses.set(engine, pause);
  return new Promise((resolve, reject) => {
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      const status = backfillStatusHandler(engine);
      if (status) resolve(status);
      else reject(new Error('The backfill did not start'));
    };
    engine
      .backfill(request, 'user', {
        perMinute,
        pause: pause.signal,
        onProgress: (p) => {
          answer();
          events.onProgress?.(p);
        },
      })
      .then(
        (record) => {
          pauses.delete(engine);
          answer();
          events.onEnded?.(record);
        },
        (error: unknown) => {
          pauses.delete(engine);
          if (!answered) {
            answered = true;
            reject(error);
          }
          events.onEnded?.(engine.backfillStatus(), (error as Error)?.message ?? String(error));
        },
      );
  });
}
