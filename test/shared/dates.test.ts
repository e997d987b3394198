import { describe, expect, it } from 'vitest';
import { addMonths, isTimeZone, localDay, localMonth, systemTimeZone } from '../../shared/dates.js';

describe("the company's calendar", () => {
  it('a day and a month are the local ones: 00:30 on 1 December in Stockholm is December', () => {
    expect(localDay('2026-11-30T23:30:00Z', 'Europe/Stockholm')).toBe('2026-12-01');
    expect(localMonth('2026-11-30T23:30:00Z', 'Europe/Stockholm')).toBe('2026-12');
    expect(localMonth('2026-11-30T23:30:00Z', 'UTC')).toBe('2026-11');
    expect(localMonth('2026-12-31T23:20:00Z', 'Europe/Stockholm')).toBe('2027-01');
    expect(localMonth('2027-01-01T04:00:00Z', 'America/New_York')).toBe('2026-12');
    // The night the clocks go forward (02:00 → 03:00 on 28 March 2027): still the 28th.
    expect(localDay('2027-03-28T01:30:00Z', 'Europe/Stockholm')).toBe('2027-03-28');
  });

  it('a day is the wall clock of the zone at that instant, either side of midnight and of a clock change', () => {
    // The oracle: the zone's offset from its own parts (hour and minute), applied by hand to the UTC instant.
    const zones = [
      'Europe/Stockholm',
      'America/New_York',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'UTC',
      'Australia/Lord_Howe',
    ];
    const start = Date.UTC(2026, 0, 1);
    for (const zone of zones) {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      for (let ms = start; ms < start + 400 * 86_400_000; ms += 7 * 3_600_000 + 15 * 60_000) {
        const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
        const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
        const expected = new Date(wall).toISOString().slice(0, 10);
        expect(localDay(new Date(ms), zone)).toBe(expected);
        expect(localDay(new Date(ms).toISOString(), zone)).toBe(expected);
      }
    }
  });

  it('knows a zone from a typo, and months step across years', () => {
    expect(isTimeZone('Europe/Stockholm')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const bad of ['Europe/Stokholm', 'CET+1', '+01:00', '', 'Stockholm time', '../etc'])
      expect(isTimeZone(bad), bad).toBe(false);
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
  });

  it("the computer's zone is kept between calls, and follows TZ when it changes at run time", () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(systemTimeZone()).toBe('America/New_York');
      expect(systemTimeZone()).toBe('America/New_York');
      process.env.TZ = 'Asia/Tokyo';
      expect(systemTimeZone()).toBe('Asia/Tokyo');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});
