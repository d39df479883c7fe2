/**
 * Builds the request context (PRODUCT.md, *Context*) from what a request carries: its query and
 * headers. Also owns which request headers feed which context field, so that both delivery routes
 * derive `Vary` the same way from the fields an answer read.
 */
import { CONSENT_HEADER, VISITOR_HEADER } from '../../../contracts/wire';
import { isValidTimeZone, zoneClock } from '../../../contracts/zones';
import { CONTEXT_FIELDS, REQUEST_CONTEXT_FIELDS, type Context, type DeviceType } from './types';

export interface RequestFacts {
  query: {
    persona?: string;
    locale?: string;
    tz?: string;
    ref?: string;
    utm_source?: string;
    utm_medium?: string;
    utm_campaign?: string;
    utm_term?: string;
    utm_content?: string;
  };
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  now: Date;
}

/** Where a visitor id and consent come from: what a profile holds reaches a context through them. */
export const VISITOR_HEADERS = ['Cookie', VISITOR_HEADER, CONSENT_HEADER];

/** Context fields a request carries itself: the rest is a reader's own (see types.ts). */
export const REQUEST_FIELDS: ReadonlySet<string> = new Set(REQUEST_CONTEXT_FIELDS);

/**
 * The top-level context fields an answer's bytes depend on, or `'all'` when the whole context may
 * show in them (an explanation, an app's format, an app's hook).
 */
export type FieldsRead = ReadonlySet<string> | 'all';

const EVERY_FIELD = [...CONTEXT_FIELDS, 'events'];

/**
 * The request headers an answer depends on, for `Vary`: those the fields it read came from, and
 * for a field a profile holds, the visitor id and consent headers (their absence shaped it too).
 * Query parameters need no mention: the URL is already part of every cache key.
 */
export function varyHeaders(
  read: FieldsRead,
  headerSources: BuiltContext['headerSources']
): string[] {
  const vary = new Set<string>();
  for (const field of read === 'all' ? EVERY_FIELD : read) {
    const sources = REQUEST_FIELDS.has(field)
      ? (headerSources[field as keyof Context] ?? [])
      : VISITOR_HEADERS;
    for (const header of sources) vary.add(header);
  }
  return [...vary];
}

/** What a context may show anyone: the fields the request carried, not what a profile holds. */
export function requestContext(context: Context): Context {
  const shown: Record<string, unknown> = {};
  for (const field of REQUEST_FIELDS) {
    const value = context[field as keyof Context];
    if (value !== undefined) shown[field] = value;
  }
  return shown as Context;
}

export interface GeoHeaders {
  country?: string;
  region?: string;
  city?: string;
}

export interface BuiltContext {
  context: Context;
  /** Top-level context field -> request headers it was read from (for `Vary`). */
  headerSources: Partial<Record<keyof Context, string[]>>;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// The zones' formatters are cached with the zone check, in contracts/zones.ts.
export { isValidTimeZone };

/** Hour, ISO weekday and date of `now` in `tz` (a valid IANA zone; callers check first). */
export function timeIn(now: Date, tz = 'UTC'): NonNullable<Context['time']> {
  const entry = zoneClock(tz);
  // Every zone's offset is a whole number of minutes: within one minute the answer is the same.
  const minute = Math.floor(now.getTime() / 60_000);
  if (entry.minute === minute && entry.time) return { ...entry.time };
  const parts: Record<string, string> = {};
  for (const part of entry.formatter.formatToParts(now)) parts[part.type] = part.value;
  const time = {
    hour: Number(parts.hour),
    weekday: WEEKDAYS[parts.weekday] ?? 1,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
  entry.minute = minute;
  entry.time = time;
  return { ...time };
}

// Order matters: bots first (many carry "Mobile"), then tablets (Android tablets lack "Mobile").
const BOT =
  /bot|crawl|spider|slurp|facebookexternalhit|preview|headless|curl|wget|python-requests|axios|node-fetch/i;
const TABLET = /ipad|tablet|kindle|silk|playbook|(android(?!.*mobile))/i;
const MOBILE = /mobi|iphone|ipod|android|windows phone|blackberry|opera mini/i;

export function detectDevice(userAgent: string | undefined): DeviceType | undefined {
  if (!userAgent) return undefined;
  if (BOT.test(userAgent)) return 'bot';
  if (TABLET.test(userAgent)) return 'tablet';
  if (MOBILE.test(userAgent)) return 'mobile';
  return 'desktop';
}

/**
 * Hosts of recent referrers: parsing a URL costs more than the rest of the context, and a site's
 * readers arrive from a few places. Emptied when full, as the formatters are.
 */
const referrerHosts = new Map<string, string | undefined>();
const MAX_REFERRERS = 1000;

/** `https://www.Twitter.com/x` -> `twitter.com`; bare hosts (`?ref=newsletter`) are kept as given. */
export function referrerHost(value: string): string | undefined {
  if (referrerHosts.has(value)) return referrerHosts.get(value);
  const host = parseReferrerHost(value);
  if (referrerHosts.size >= MAX_REFERRERS) referrerHosts.clear();
  referrerHosts.set(value, host);
  return host;
}

function parseReferrerHost(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  let host: string;
  try {
    host = new URL(trimmed.includes('://') ? trimmed : `https://${trimmed}`).hostname;
  } catch {
    return trimmed.toLowerCase();
  }
  return host.toLowerCase().replace(/^www\./, '');
}

/** `value` without its empty fields, or undefined if nothing is left. */
function compact<T extends Record<string, string | undefined>>(value: T): T | undefined {
  let empty = true;
  for (const key in value) {
    if (value[key] === undefined || value[key] === '') delete value[key];
    else empty = false;
  }
  return empty ? undefined : value;
}

export function buildContext(facts: RequestFacts, geoHeaders: GeoHeaders): BuiltContext {
  const { query, headers } = facts;
  const context: Context = {};
  const headerSources: BuiltContext['headerSources'] = {};

  const utm = compact({
    source: query.utm_source,
    medium: query.utm_medium,
    campaign: query.utm_campaign,
    term: query.utm_term,
    content: query.utm_content,
  });
  if (utm) context.utm = utm;

  const referrer = query.ref ?? headers.referer;
  if (referrer) {
    const host = referrerHost(referrer);
    if (host) context.referrer = { host, url: referrer };
  }
  // Without `ref`, the answer depends on the header whether or not this request sent one.
  if (query.ref === undefined) headerSources.referrer = ['Referer'];

  const deviceType = detectDevice(headers['user-agent']);
  if (deviceType) context.device = { type: deviceType };
  headerSources.device = ['User-Agent'];

  const geo = compact({
    country: geoHeaders.country ? headers[geoHeaders.country]?.trim().toUpperCase() : undefined,
    region: geoHeaders.region ? headers[geoHeaders.region]?.trim() : undefined,
    city: geoHeaders.city ? headers[geoHeaders.city]?.trim() : undefined,
  });
  if (geo) context.geo = geo;
  const geoNames = Object.values(geoHeaders).filter((h): h is string => Boolean(h));
  if (geoNames.length) headerSources.geo = geoNames;

  context.time = timeIn(facts.now, query.tz ?? 'UTC');
  return { context, headerSources };
}
