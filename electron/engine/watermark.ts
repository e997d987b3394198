/** Watermarks are the server's own lastModifiedDateTime values, kept as `yyyy-MM-ddTHH:mm:ss.fff` (no zone). */

export const OVERLAP_MS = 5 * 60_000;

export function firstDayOfMonth(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

export function initialWatermark(startFrom: string | undefined, now: Date): string {
  return `${startFrom ?? firstDayOfMonth(now)}T00:00:00.000`;
}

/** Reads a Visma date-time: no zone means the server clock (taken as UTC); an offset or Z is honoured. */
export function parseServerTime(value: string): number {
  const text = value.trim().replace(' ', 'T');
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const ms = Date.parse(hasZone ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`Unreadable date-time from Visma: ${value}`);
  return ms;
}

export function formatServerTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

/** The watermark minus the overlap, formatted for the filter (no `Z`: Visma rejects W–Z). */
export function querySince(watermark: string, overlapMs = OVERLAP_MS): string {
  return formatServerTime(parseServerTime(watermark) - overlapMs);
}

export function laterOf(a: string | undefined, b: string): string {
  if (!a) return formatServerTime(parseServerTime(b));
  return parseServerTime(b) > parseServerTime(a) ? formatServerTime(parseServerTime(b)) : a;
}
