/**
 * Runs before every page: once the visitor has consented and has no visitor id yet, gives them
 * one (made by the client, so it has the form Mosaic expects), both on the response and on the
 * request being rendered, so the very first page after consent is already resolved for them. It
 * also lets the Strapi admin, and only it, show the site in its preview iframe. In edge mode
 * (`MOSAIC_RESOLVE=edge`, lib/edge.ts) it resolves the home page itself and hands it to the page.
 */
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { createMosaicClient } from 'strapi-mosaic-client';
import { SUMMARY_COOKIE } from 'strapi-mosaic-resolver';

import {
  edgeMode,
  edgeResolver,
  encodeResolved,
  freshSummary,
  reportImpressions,
  RESOLVED_HEADER,
} from './lib/edge';
import { CONSENT_COOKIE, VISITOR_COOKIE, strapiUrl } from './lib/settings';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The home page's parameters (app/page.tsx passes the same on to Strapi). */
const PASSED_ON = [
  'persona',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'ref',
  'tz',
];

function newVisitorId(request: NextRequest): string | undefined {
  if (request.cookies.get(CONSENT_COOKIE)?.value !== 'granted') return undefined;
  let created: string | undefined;
  const client = createMosaicClient({
    baseUrl: strapiUrl(),
    cookies: {
      get: (name) => request.cookies.get(name)?.value,
      set: (name, value, maxAge) => {
        if (name === VISITOR_COOKIE && maxAge > 0) created = value;
      },
    },
  });
  client.visitorId();
  return created;
}

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  const created = newVisitorId(request);
  if (created) request.cookies.set(VISITOR_COOKIE, created);
  // Only this proxy may hand the page a resolved asset: a reader's own header is dropped.
  request.headers.delete(RESOLVED_HEADER);
  let summary: { token: string; maxAge: number } | null = null;
  let resolvedAtEdge = false;
  let staleSummary = false;
  if (edgeMode() && request.nextUrl.pathname === '/') {
    // The parameters the page passes on in server mode, as GET /api/mosaic/assets/home reads them.
    const query = new URLSearchParams({ format: 'json' });
    for (const name of PASSED_ON) {
      const value = request.nextUrl.searchParams.get(name);
      if (value) query.set(name, value);
    }
    try {
      const resolver = await edgeResolver();
      // The summary is verified once, and that verdict both decides its cookie and resolves: a
      // summary the resolver refuses (expired, revoked by an erasure on the server, issued to
      // another visitor) is dropped, and a fresh one asked for in its place.
      let verdict = await resolver.readSummary({ headers: request.headers });
      if (verdict && !verdict.ok && verdict.reason !== 'no-key') {
        request.cookies.delete(SUMMARY_COOKIE);
        staleSummary = true;
        verdict = null;
      }
      summary = await freshSummary(request.headers, request.cookies);
      if (summary) {
        request.cookies.set(SUMMARY_COOKIE, summary.token);
        verdict = await resolver.readSummary({ headers: request.headers });
      }
      const resolved = resolver.resolveRequest('home', {
        query,
        headers: request.headers,
        summary: verdict?.ok ? verdict.summary : null,
      });
      if (resolved) {
        const { data, meta } = resolved;
        request.headers.set(RESOLVED_HEADER, encodeResolved({ data, meta }));
        resolvedAtEdge = true;
        // Strapi counts the experiments it serves; what was served here, it is told after.
        event.waitUntil(reportImpressions('home', resolved, request.cookies));
      }
    } catch (error) {
      // No manifest yet, or a parameter the resolver refuses: the page asks Strapi, as it would.
      console.error('Mosaic edge resolution failed; the page resolves on the server:', error);
    }
  }
  const response = NextResponse.next({ request: { headers: request.headers } });
  if (created) {
    response.cookies.set(VISITOR_COOKIE, created, {
      path: '/',
      maxAge: YEAR_SECONDS,
      sameSite: 'lax',
    });
  }
  if (summary) {
    response.cookies.set(SUMMARY_COOKIE, summary.token, {
      path: '/',
      maxAge: summary.maxAge,
      sameSite: 'lax',
      httpOnly: true,
    });
  } else if (staleSummary) {
    response.cookies.delete(SUMMARY_COOKIE);
  }
  // Says where the page was resolved (the site's browser test and benchmark read it).
  if (resolvedAtEdge) response.headers.set('X-Mosaic-Resolution', 'edge');
  response.headers.set('Content-Security-Policy', `frame-ancestors 'self' ${strapiUrl()}`);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
