import { describe, expect, it } from 'vitest';
import { describeSchedule, lastDueBefore, nextRunAfter, Scheduler, type Timers } from '../../electron/app/scheduler.js';
import { formatReason } from '../../shared/reason-format.js';

/** A fake clock with timers that fire when the test moves time. */
class FakeTime implements Timers {
  now: Date;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private id = 0;
  constructor(start: string) {
    this.now = new Date(start);
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.id;
    this.timers.push({ at: this.now.getTime() + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  async advance(ms: number) {
    const end = this.now.getTime() + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.now = new Date(next.at);
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.now = new Date(end);
  }
}

const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);

describe('schedule arithmetic', () => {
  const eod = { mode: 'end-of-day' as const, time: '17:30', weekdaysOnly: true };
  it('end of business day skips the weekend', () => {
    expect(nextRunAfter(eod, local(2026, 11, 25, 9))).toEqual(local(2026, 11, 25, 17, 30)); // Wednesday
    expect(nextRunAfter(eod, local(2026, 11, 27, 18))).toEqual(local(2026, 11, 30, 17, 30)); // Friday evening → Monday
    expect(lastDueBefore(eod, local(2026, 11, 30, 9))).toEqual(local(2026, 11, 27, 17, 30)); // Monday morning → Friday
    expect(describeSchedule(eod)).toEqual({ code: 'schedule-weekdays', params: { time: '17:30' } });
  });
  it('is said in the reader’s language: a code with its figures, never an English sentence built in main', () => {
    const say = (s: Parameters<typeof describeSchedule>[0], locale: string) =>
      formatReason(describeSchedule(s), locale);
    expect(say({ mode: 'interval', minutes: 15 }, 'en')).toBe('Every 15 minutes');
    expect(say({ mode: 'interval', minutes: 15 }, 'sv-SE')).toBe('Var 15:e minut');
    expect(say({ mode: 'interval', minutes: 15 }, 'da-DK')).toBe('Hvert 15. minut');
    expect(say({ mode: 'interval', minutes: 15 }, 'de-DE')).toBe('Alle 15 Minuten');
    expect(say(eod, 'sv-SE')).toBe('Kl. 17:30 på vardagar');
    expect(say({ ...eod, weekdaysOnly: false }, 'de')).toBe('Um 17:30 jeden Tag');
    expect(say({ mode: 'manual' }, 'da')).toBe('Manuelt: kun Synkroniser nu');
  });
  it('interval and manual', () => {
    expect(nextRunAfter({ mode: 'interval', minutes: 15 }, local(2026, 11, 25, 9))).toEqual(local(2026, 11, 25, 9, 15));
    expect(nextRunAfter({ mode: 'manual' }, local(2026, 11, 25, 9))).toBeUndefined();
  });
});

describe('the scheduler', () => {
  it('runs at the time, shows the next run, and re-arms', async () => {
    const time = new FakeTime('2026-11-25T09:00:00');
    const runs: Date[] = [];
    let last: Date | undefined = new Date('2026-11-24T17:30:00');
    const s = new Scheduler({
      schedule: () => ({ mode: 'end-of-day', time: '17:30', weekdaysOnly: true }),
      lastRunAt: () => last,
      run: async () => {
        runs.push(time.now);
        last = time.now;
      },
      now: () => time.now,
      timers: time,
    });
    s.start();
    expect(s.nextRunAt).toEqual(new Date('2026-11-25T17:30:00'));
    await time.advance(9 * 3600_000);
    expect(runs).toEqual([new Date('2026-11-25T17:30:00')]);
    expect(s.nextRunAt).toEqual(new Date('2026-11-26T17:30:00'));
  });

  it('catches up a run missed while the app was closed or the PC slept', async () => {
    const time = new FakeTime('2026-11-30T08:00:00'); // Monday morning; Friday's run was missed
    const runs: Date[] = [];
    const s = new Scheduler({
      schedule: () => ({ mode: 'end-of-day', time: '17:30', weekdaysOnly: true }),
      lastRunAt: () => new Date('2026-11-26T17:31:00'),
      run: async () => void runs.push(time.now),
      now: () => time.now,
      timers: time,
    });
    s.start();
    await time.advance(0);
    expect(runs).toHaveLength(1);
    // Sleep: timers stop while the clock jumps; on resume the app calls reschedule().
    const sleeping = new FakeTime('2026-11-30T08:00:00');
    const late: Date[] = [];
    const t2 = new Scheduler({
      schedule: () => ({ mode: 'interval', minutes: 30 }),
      lastRunAt: () => new Date('2026-11-30T07:50:00'),
      run: async () => void late.push(sleeping.now),
      now: () => sleeping.now,
      timers: sleeping,
    });
    t2.start();
    expect(late).toHaveLength(0);
    sleeping.now = new Date('2026-11-30T12:00:00');
    t2.reschedule();
    await sleeping.advance(0);
    expect(late).toHaveLength(1);
  });

  it('never overlaps a running sync: the next timer is armed only after the run ends', async () => {
    const time = new FakeTime('2026-11-25T09:00:00');
    let running = 0;
    let maxRunning = 0;
    let finish: () => void = () => undefined;
    const s = new Scheduler({
      schedule: () => ({ mode: 'interval', minutes: 5 }),
      lastRunAt: () => undefined,
      run: () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        return new Promise<void>((r) => {
          finish = () => {
            running--;
            r();
          };
        });
      },
      now: () => time.now,
      timers: time,
    });
    s.start();
    await time.advance(5 * 60_000);
    expect(running).toBe(1);
    await time.advance(60 * 60_000); // an hour of a slow sync: no second run starts
    expect(maxRunning).toBe(1);
    finish();
    await new Promise((r) => setImmediate(r));
    expect(s.nextRunAt).toEqual(new Date(time.now.getTime() + 5 * 60_000));
  });

  it('does nothing when manual, and stops cleanly', async () => {
    const time = new FakeTime('2026-11-25T09:00:00');
    let runs = 0;
    const s = new Scheduler({
      schedule: () => ({ mode: 'manual' }),
      lastRunAt: () => undefined,
      run: async () => void runs++,
      now: () => time.now,
      timers: time,
    });
    s.start();
    await time.advance(7 * 86_400_000);
    expect(runs).toBe(0);
    expect(s.nextRunAt).toBeUndefined();
    s.stop();
  });
});
