/** A real calendar date written YYYY-MM-DD: 2026-02-30 is not one (Date.parse would roll it into March). */
export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/*
 * The company's calendar. A day or a month is the company's local one (the VAT return is filed per local month):
 * an instant at 00:30 on 1 December in Stockholm is December's, though UTC still says 30 November. The zone is
 * Settings → Company → time zone, by default the computer's.
 */

/** The computer's IANA time zone ('Europe/Stockholm'), 'UTC' when the runtime will not say. */
export function systemTimeZone(): string {
  // Asked for every document (companyTimeZone, when Settings name no zone), and Intl's answer costs more than the
  // rest of a document's dates: it is kept while the TZ variable, which changes the zone at run time, stays put.
  const tz = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TZ;
  if (!zoneCache || zoneCache.tz !== tz) zoneCache = { tz, zone: resolvedZone() };
  return zoneCache.zone;
}

let zoneCache: { tz: string | undefined; zone: string } | undefined;

function resolvedZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** An IANA zone name Intl knows ('Europe/Stockholm', 'UTC'); offsets and abbreviations ('CET') are refused. */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The company's day of an instant, YYYY-MM-DD. */
export function localDay(instant: Date | string, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  // en-CA writes the day as YYYY-MM-DD: taken as it is when it looks so (a third of the cost of the parts,
  // and this runs for every audit entry); an ICU that writes it otherwise gets the parts.
  const text = f.format(d);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const parts = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The company's month of an instant, YYYY-MM. */
export function localMonth(instant: Date | string, timeZone: string): string {
  return localDay(instant, timeZone).slice(0, 7);
}

/** The month before (`2026-01` → `2025-12`), or `by` months away. */
export function addMonths(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}
