/**
 * Edge mode (`MOSAIC_RESOLVE=edge`): the proxy resolves the home page with the standalone resolver
 * (strapi-mosaic-resolver) from the manifest, fetched with `MOSAIC_MANIFEST_TOKEN` (an API token
 * holding Mosaic's manifest permission) and kept fresh by ETag polling, instead of the page asking
 * Strapi on every request. A consenting visitor's profile reaches it as a signed summary
 * (GET /api/mosaic/profile/summary), kept in a cookie and verified with `MOSAIC_SUMMARY_SECRET`
 * (the server's `profileSummary.secret`). The resolved asset goes to the page in a request header.
 * The experiment impressions it served are reported to Strapi after the answer
 * (POST /api/mosaic/impressions, the same token holding the impressions permission).
 */
import { createResolver, SUMMARY_COOKIE, type Resolver } from 'strapi-mosaic-resolver';

import { CONSENT_COOKIE, VISITOR_COOKIE, strapiUrl } from './settings';

export const edgeMode = () => process.env.MOSAIC_RESOLVE === 'edge';

/** The request header the proxy hands the resolved asset in (base64url JSON); never the reader's. */
export const RESOLVED_HEADER = 'x-mosaic-resolved';

/**
 * How long the site keeps a summary before asking for a fresh one: what the visitor reads changes
 * their profile, and a summary is the profile as it was when issued (at most its own lifetime).
 */
export const SUMMARY_REFRESH_SECONDS = 60;

/** Request headers rules read, forwarded when asking for a summary (as for delivery). */
const FORWARDED = ['user-agent', 'referer', 'accept-language', 'cf-ipcountry'];

let resolver: Promise<Resolver> | null = null;

export function edgeResolver(): Promise<Resolver> {
  resolver ??= createResolver({
    url: strapiUrl(),
    token: process.env.MOSAIC_MANIFEST_TOKEN,
    pollMs: 2000,
    summaryKey: process.env.MOSAIC_SUMMARY_SECRET,
    onError: (error) => console.error('Mosaic manifest poll failed:', error),
  }).catch((error) => {
    resolver = null;
    throw error;
  });
  return resolver;
}

/** Seconds a summary token has left (0: unreadable or gone). */
function secondsLeft(token: string | undefined, now: number): number {
  if (!token) return 0;
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')
    ) as { exp?: number };
    return Math.max(0, (payload.exp ?? 0) - now);
  } catch {
    return 0;
  }
}

/**
 * A fresh summary for a consenting visitor whose cookie holds none (or an old one): null when
 * there is nothing to ask for or the server has none to give (no profile yet, consent withdrawn).
 */
export async function freshSummary(
  headers: Headers,
  cookies: { get(name: string): { value: string } | undefined }
): Promise<{ token: string; maxAge: number } | null> {
  const visitor = cookies.get(VISITOR_COOKIE)?.value;
  if (!visitor || cookies.get(CONSENT_COOKIE)?.value !== 'granted') return null;
  if (cookies.get(SUMMARY_COOKIE)?.value) return null;
  const forwarded: Record<string, string> = {
    'X-Mosaic-Visitor': visitor,
    'X-Mosaic-Consent': 'granted',
  };
  for (const name of FORWARDED) {
    const value = headers.get(name);
    if (value) forwarded[name] = value;
  }
  try {
    const res = await fetch(`${strapiUrl()}/api/mosaic/profile/summary`, {
      headers: forwarded,
      cache: 'no-store',
    });
    if (!res.ok) return null;
    const { data } = (await res.json()) as { data: { token: string } };
    const left = secondsLeft(data.token, Math.floor(Date.now() / 1000));
    return { token: data.token, maxAge: Math.min(left, SUMMARY_REFRESH_SECONDS) };
  } catch {
    return null;
  }
}

/** An answer resolved here, as much of it as its impressions need. */
interface Served {
  data: { locale: string | null };
  meta: {
    persona: string | null;
    segments: string[];
    experiments?: Array<{ bucketed: boolean }>;
  };
}

/**
 * Reports the experiment impressions the resolver served a visitor, for Strapi to count as its
 * own answers' (once per visitor and day, with consent): nothing to report without a bucket.
 */
export async function reportImpressions(
  slug: string,
  served: Served,
  cookies: { get(name: string): { value: string } | undefined }
): Promise<void> {
  const visitor = cookies.get(VISITOR_COOKIE)?.value;
  const consent = cookies.get(CONSENT_COOKIE)?.value;
  const experiments = served.meta.experiments ?? [];
  if (!visitor || !experiments.some((e) => e.bucketed)) return;
  try {
    const res = await fetch(`${strapiUrl()}/api/mosaic/impressions`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${process.env.MOSAIC_MANIFEST_TOKEN}`,
        'Content-Type': 'application/json',
        'X-Mosaic-Visitor': visitor,
        ...(consent ? { 'X-Mosaic-Consent': consent } : {}),
      },
      body: JSON.stringify({
        asset: slug,
        locale: served.data.locale,
        persona: served.meta.persona,
        segments: served.meta.segments,
        experiments,
      }),
    });
    if (!res.ok) console.error(`Mosaic impressions not counted: ${res.status} ${await res.text()}`);
  } catch (error) {
    console.error('Mosaic impressions not counted:', error);
  }
}

export const encodeResolved = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

export const decodeResolved = <T>(header: string): T =>
  JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as T;
