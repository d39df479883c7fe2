/**
 * Mosaic on the server, one client per request: it reads the visitor's cookies (visitor id and
 * consent) and forwards what Mosaic's rules may read from the reader's own request (user agent,
 * referrer, language, the CDN's country), so the page is resolved for this reader before any HTML
 * leaves the server (no flicker). It never creates a visitor id: proxy.ts does, once consent is given.
 */
import { cookies, headers } from 'next/headers';
import { createMosaicClient, type MosaicClient } from 'strapi-mosaic-client';

import { mosaicToken, strapiUrl } from './settings';

/** Request headers of the reader that Mosaic's context reads (PRODUCT.md, *Delivery API*). */
const FORWARDED = ['user-agent', 'referer', 'accept-language', 'cf-ipcountry'];

/** What Mosaic answered besides the body: its caching headers, for routes that pass them on. */
export interface Answer {
  cacheControl: string | null;
  vary: string | null;
  etag: string | null;
}

export async function mosaicForRequest(): Promise<{ mosaic: MosaicClient; last: Answer }> {
  const jar = await cookies();
  const incoming = await headers();
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = incoming.get(name);
    if (value) forwarded[name] = value;
  }
  const last: Answer = { cacheControl: null, vary: null, etag: null };
  const mosaic = createMosaicClient({
    baseUrl: strapiUrl(),
    token: mosaicToken(),
    cookies: {
      get: (name) => jar.get(name)?.value,
      // A server component cannot set cookies; the proxy has set the visitor id already.
      set: () => undefined,
    },
    fetch: async (input, init) => {
      const response = await fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...forwarded },
        cache: 'no-store',
      });
      last.cacheControl = response.headers.get('cache-control');
      last.vary = response.headers.get('vary');
      last.etag = response.headers.get('etag');
      return response;
    },
  });
  return { mosaic, last };
}
