/**
 * Time zones, checked and read through one cache of formatters. Shared by the contracts (a `tz`
 * parameter's check) and the core (the context's time), and free of imports at runtime, so that
 * the standalone resolver, which runs the core, pulls in nothing with it.
 */
import type { Context } from './context';

/** A zone's formatter, with the last minute it answered for and its answer then. */
export interface ZoneClock {
  formatter: Intl.DateTimeFormat;
  minute: number;
  time: NonNullable<Context['time']> | null;
}

/**
 * One formatter per zone as written: building a formatter costs far more than the request around
 * it. Zones are a closed set, but their spelling is not (`europe/berlin` is valid too), so the map
 * is emptied if it ever grows past what zones explain.
 */
const clocks = new Map<string, ZoneClock>();
const MAX_CLOCKS = 2000;

/** The cached formatter of `tz`; throws a RangeError for a zone the runtime does not know. */
export function zoneClock(tz: string): ZoneClock {
  let clock = clocks.get(tz);
  if (!clock) {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      weekday: 'short',
    });
    if (clocks.size >= MAX_CLOCKS) clocks.clear();
    clock = { formatter, minute: -1, time: null };
    clocks.set(tz, clock);
  }
  return clock;
}

/** Whether `tz` names an IANA time zone the runtime knows (`europe/berlin` too: any spelling). */
export function isValidTimeZone(tz: string): boolean {
  if (clocks.has(tz)) return true;
  try {
    zoneClock(tz);
    return true;
  } catch {
    return false;
  }
}
