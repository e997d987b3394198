import { localMonth } from '../../shared/dates.js';
import { type Reason, reason } from '../../shared/reasons.js';
/**
 * Watermarks are the server's own lastModifiedDateTime values, kept as `yyyy-MM-ddTHH:mm:ss.fff` (no zone).
 *
 * Visma does not say which clock stamps those values or reads the filter. Should they differ (a company's local
 * time shown, UTC compared, or the other way round), a watermark taken from the values would be hours ahead of
 * the filter's clock and skip what changed meanwhile. So each query starts an overlap before the watermark:
 * until our own writes have shown how far Visma's clock runs from ours, 14 hours (the widest zone offset) plus
 * 5 minutes; once measured, that offset (less a minute of round trip, rounded up to a quarter hour) plus 5
 * minutes. Re-reading the overlap
 * costs list pages only: a document whose timeStamp the ledger already holds is passed over without a write.
 */

export const OVERLAP_MS = 5 * 60_000;
const WIDEST_ZONE_MS = 14 * 3_600_000;
const QUARTER_HOUR_MS = 15 * 60_000;

/** The overlap for the offset learned from our own writes (Visma's clock minus ours), if any. */
export function overlapFor(serverOffsetMs: number | undefined): number {
  if (serverOffsetMs === undefined || !Number.isFinite(serverOffsetMs)) return WIDEST_ZONE_MS + OVERLAP_MS;
  // A minute of it is the write's own round trip, not a clock.
  const offset = Math.max(0, Math.abs(serverOffsetMs) - 60_000);
  return Math.ceil(offset / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + OVERLAP_MS;
}

/** The first day of the company's current month (its time zone's, not UTC's). */
export function firstDayOfMonth(now: Date, timeZone: string): string {
  return `${localMonth(now, timeZone)}-01`;
}

/** Without a start date in Settings, a first run reads from the first of the company's current month. */
export function initialWatermark(startFrom: string | undefined, now: Date, timeZone: string): string {
  return `${startFrom ?? firstDayOfMonth(now, timeZone)}T00:00:00.000`;
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

/**
 * How far a listing lets the watermark move: to its newest document when the listing is proven complete (Visma's
 * count reached, or full pages ended by an empty one); otherwise only when the documents came oldest change
 * first, to the last one seen (what was cut off after it is read next time); otherwise not at all, with why.
 */
export function listingEnd(listed: {
  documents: readonly { lastModifiedDateTime: string }[];
  proof: 'count' | 'empty-page' | 'none';
}): { end?: string; unproven?: Reason } {
  let end: string | undefined;
  for (const d of listed.documents) end = laterOf(end, d.lastModifiedDateTime);
  if (listed.proof !== 'none' || listed.documents.length === 0)
    return { end: listed.proof === 'none' ? undefined : end };
  let previous = Number.NEGATIVE_INFINITY;
  for (const d of listed.documents) {
    const at = parseServerTime(d.lastModifiedDateTime);
    if (at < previous) return { unproven: reason('listing-unproven') };
    previous = at;
  }
  return { end };
}
