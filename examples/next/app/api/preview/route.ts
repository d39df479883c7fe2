/**
 * The entry Strapi's preview opens (see the playground's src/preview.js): checks the shared secret,
 * turns on Next's draft mode (no cache, drafts) and shows the preview page for the document. Only
 * the known parameters go on, to a path of this site: no open redirect.
 */
import { timingSafeEqual } from 'crypto';
import { draftMode } from 'next/headers';
import { redirect } from 'next/navigation';

import { previewSecret } from '../../../lib/settings';

const PASSED_ON = ['asset', 'status', 'locale', 'chunk', 'persona', 'segments'];

function holdsSecret(given: string | null): boolean {
  const expected = Buffer.from(previewSecret());
  const actual = Buffer.from(given ?? '');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function GET(request: Request) {
  const search = new URL(request.url).searchParams;
  if (!holdsSecret(search.get('secret'))) {
    return new Response('Open the preview from Strapi: the preview secret is missing or wrong.', {
      status: 401,
    });
  }
  (await draftMode()).enable();
  const target = new URLSearchParams();
  for (const key of PASSED_ON) {
    const value = search.get(key);
    if (value) target.set(key, value);
  }
  redirect(`/preview?${target}`);
}
