/**
 * Instants as a Strapi `datetime` column reads them, for rule operands and the values rules test.
 *
 * Strapi turns a datetime operand into a Date with date-fns' parseISO, and the database compares
 * instants, not spellings: `2026-06-15T14:00:00+02:00` is `2026-06-15T12:00:00Z`. Mosaic reads
 * the plain ISO 8601 forms, the ones a person writes and Strapi stores:
 * - a date, `2026-06-15`: its midnight;
 * - a date and time, `2026-06-15T12:00`, seconds and a fraction optional, `T` or a space between;
 * - either followed by a zone, `Z` or an offset (`+02:00`, `+0200`, `+02`).
 * Without a zone it is the server's local time, as parseISO reads it (UTC on a UTC server). The
 * rarer forms parseISO also takes (`2026`, `2026-W24`, `2026-166`) are refused, never guessed: a
 * rule must not hinge on what `"2026"` means. A fraction is cut to whole milliseconds, as a Date cuts it.
 */

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Milliseconds since the epoch for an ISO date or date-time, or null when it is not one. */
export function parseInstant(text: string): number | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const fractionMs = fraction === '' ? 0 : Number(`0.${fraction}`) * 1000;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (zone !== undefined && !isOffset(zone)) return null;
  // Set field by field: the Date constructor and Date.UTC would read years below 100 as 19xx.
  const date = new Date(0);
  if (zone === undefined) {
    date.setFullYear(year, month - 1, day);
    date.setHours(hour, minute, second, 0);
    return Math.trunc(date.getTime() + fractionMs);
  }
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // A Date truncates toward zero, as Strapi's Date does.
  return Math.trunc(date.getTime() + fractionMs - offsetOf(zone));
}

/** The instant a context value stands for: an ISO string (as stored), or unknown. */
export function instantOf(value: unknown): number | null {
  return typeof value === 'string' ? parseInstant(value) : null;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isOffset(zone: string): boolean {
  return zone === 'Z' || Number(zone.slice(-2)) < 60;
}

/** Milliseconds the zone is ahead of UTC. */
function offsetOf(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  return sign * (hours * 60 + minutes) * 60_000;
}
