import { type Reason, reason } from '../../shared/reasons.js';
import type { Schedule } from '../../shared/settings.js';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The next moment a schedule fires after `from` (local time of the PC, as a user sets "17:30"). */
export function nextRunAfter(schedule: Schedule, from: Date): Date | undefined {
  if (schedule.mode === 'manual') return undefined;
  if (schedule.mode === 'interval') return new Date(from.getTime() + schedule.minutes * 60_000);
  const [h, m] = schedule.time.split(':').map(Number) as [number, number];
  const candidate = new Date(from);
  candidate.setHours(h, m, 0, 0);
  if (candidate <= from) candidate.setDate(candidate.getDate() + 1);
  while (schedule.weekdaysOnly && (candidate.getDay() === 0 || candidate.getDay() === 6))
    candidate.setDate(candidate.getDate() + 1);
  return candidate;
}

/** The most recent moment the schedule should have fired at or before `now`. */
export function lastDueBefore(schedule: Schedule, now: Date): Date | undefined {
  if (schedule.mode === 'manual') return undefined;
  if (schedule.mode === 'interval') return new Date(now.getTime() - schedule.minutes * 60_000);
  const [h, m] = schedule.time.split(':').map(Number) as [number, number];
  const candidate = new Date(now);
  candidate.setHours(h, m, 0, 0);
  if (candidate > now) candidate.setDate(candidate.getDate() - 1);
  while (schedule.weekdaysOnly && (candidate.getDay() === 0 || candidate.getDay() === 6))
    candidate.setDate(candidate.getDate() - 1);
  return candidate;
}

/** The schedule as the Overview says it, as a code with its figures: the renderer words it in the UI's language. */
export function describeSchedule(schedule: Schedule): Reason {
  if (schedule.mode === 'manual') return reason('schedule-manual');
  if (schedule.mode === 'interval') return reason('schedule-interval', { count: schedule.minutes });
  return reason(schedule.weekdaysOnly ? 'schedule-weekdays' : 'schedule-daily', { time: schedule.time });
}

/**
 * Runs the sync on a schedule: end of business day (a time, weekdays) or every N minutes. Catches up a run that
 * was missed while the PC slept or the app was closed, never overlaps a running sync (the engine's single
 * flight joins), and re-arms after every run. Clock and timers are injected.
 */
export class Scheduler {
  private handle: unknown;
  private next?: Date;
  private stopped = true;

  constructor(
    private readonly deps: {
      schedule: () => Schedule;
      lastRunAt: () => Date | undefined;
      run: () => Promise<unknown>;
      now: () => Date;
      timers?: Timers;
      /** Longest single timer; a long wait is split so sleep and clock changes are noticed. */
      maxTimerMs?: number;
    },
  ) {}

  get nextRunAt(): Date | undefined {
    return this.stopped ? undefined : this.next;
  }

  start(): void {
    this.stopped = false;
    this.catchUpOrArm();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** Settings changed, or the PC woke up: reconsider. */
  reschedule(): void {
    if (this.stopped) return;
    this.clear();
    this.catchUpOrArm();
  }

  private catchUpOrArm(): void {
    const schedule = this.deps.schedule();
    const now = this.deps.now();
    const due = lastDueBefore(schedule, now);
    const last = this.deps.lastRunAt();
    // A run was due while the PC slept or the app was closed: catch up now. A company that never synced
    // waits for its first scheduled time (or Sync now) instead of starting by surprise.
    if (due && last && last < due) {
      void this.fire();
      return;
    }
    this.arm(nextRunAfter(schedule, last && schedule.mode === 'interval' ? last : now));
  }

  private arm(at: Date | undefined): void {
    this.next = at;
    if (!at || this.stopped) return;
    const timers = this.deps.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    const wait = Math.max(0, at.getTime() - this.deps.now().getTime());
    const max = this.deps.maxTimerMs ?? 60_000;
    this.handle = timers.setTimeout(
      () => {
        this.handle = undefined;
        if (this.deps.now() >= at) void this.fire();
        else this.arm(at);
      },
      Math.min(wait, max),
    );
  }

  private async fire(): Promise<void> {
    this.next = undefined;
    try {
      await this.deps.run();
    } catch {
      // The run records its own failure (audit, run history, notification); the schedule goes on.
    }
    if (!this.stopped) this.arm(nextRunAfter(this.deps.schedule(), this.deps.now()));
  }

  private clear(): void {
    if (this.handle !== undefined)
      (this.deps.timers ?? { clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) }).clearTimeout(
        this.handle,
      );
    this.handle = undefined;
  }
}
