/**
 * The home page: Mosaic's `home` asset resolved on the server for this reader, on every request
 * (it depends on their cookies, so Next serves it `private, no-store`). `?persona=` and the UTM
 * parameters are passed on, so the demo's links work here as on the API.
 */
import { headers } from 'next/headers';
import Link from 'next/link';
import type { DeliveryContext, ResolveAsset } from 'strapi-mosaic-client';

import { Assembly } from '../components/Assembly';
import { decodeResolved, edgeMode, RESOLVED_HEADER } from '../lib/edge';
import { mosaicForRequest } from '../lib/mosaic';

const CONTEXT_PARAMS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'ref',
  'tz',
] as const;

type Search = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function Home({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  // Edge mode: the proxy resolved the page already (lib/edge.ts); no request to Strapi here.
  const handed = edgeMode() ? (await headers()).get(RESOLVED_HEADER) : null;
  const resolved = handed
    ? decodeResolved<ResolveAsset.Response>(handed)
    : await resolveOnServer(search);
  return (
    <main>
      <Assembly resolved={resolved} />
      <p className="more">
        <Link href="/signup">Sign up</Link> · <Link href="/docs/api">API reference</Link> ·{' '}
        <Link href="/email">The welcome email</Link>
      </p>
    </main>
  );
}

/** Server mode: Strapi resolves the page for this reader (their cookies and headers forwarded). */
async function resolveOnServer(search: Awaited<Search>) {
  const context: DeliveryContext = {};
  for (const name of CONTEXT_PARAMS) if (one(search[name])) context[name] = one(search[name]);
  const { mosaic } = await mosaicForRequest();
  return mosaic.asset('home', { format: 'json', persona: one(search.persona), context });
}
