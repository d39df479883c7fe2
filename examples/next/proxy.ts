/**
 * Runs before every page: once the visitor has consented and has no visitor id yet, gives them
 * one (made by the client, so it has the form Mosaic expects), both on the response and on the
 * request being rendered, so the very first page after consent is already resolved for them. It
 * also lets the Strapi admin, and only it, show the site in its preview iframe.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { createMosaicClient } from 'strapi-mosaic-client';

import { CONSENT_COOKIE, VISITOR_COOKIE, strapiUrl } from './lib/settings';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

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

export function proxy(request: NextRequest) {
  const created = newVisitorId(request);
  if (created) request.cookies.set(VISITOR_COOKIE, created);
  const response = NextResponse.next({ request: { headers: request.headers } });
  if (created) {
    response.cookies.set(VISITOR_COOKIE, created, {
      path: '/',
      maxAge: YEAR_SECONDS,
      sameSite: 'lax',
    });
  }
  response.headers.set('Content-Security-Policy', `frame-ancestors 'self' ${strapiUrl()}`);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
