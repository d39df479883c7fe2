/**
 * Drafts for Strapi's preview: Mosaic's admin preview (drafts, any simulated reader), reached with
 * the secret shared with Strapi (the playground's `/api/site-preview` routes), never with a public
 * route: the delivery API serves published content only.
 */
import type { ResolveAsset } from 'strapi-mosaic-client';

import { previewSecret, strapiUrl } from './settings';

export interface PreviewReader {
  persona?: string;
  segments?: string[];
  context?: {
    country?: string;
    device?: 'mobile' | 'tablet' | 'desktop';
    referrer?: string;
    utm?: { source?: string };
    returning?: boolean;
  };
}

export interface Taxonomy {
  personas: Array<{ slug: string; name: string }>;
  segments: Array<{ slug: string; name: string }>;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${strapiUrl()}/api/site-preview${path}`, {
    ...init,
    headers: {
      'Content-Type': 'application/json',
      'X-Preview-Secret': previewSecret(),
      ...(init.headers as Record<string, string>),
    },
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: { message: string } })
    | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `Preview failed: ${response.status}`);
  return body as T;
}

export function previewAsset(request: {
  asset: string;
  locale?: string;
  status: 'draft' | 'published';
  reader: PreviewReader;
}): Promise<ResolveAsset.Response> {
  return call('', { method: 'POST', body: JSON.stringify({ ...request, format: 'json' }) });
}

export async function previewTaxonomy(): Promise<Taxonomy> {
  return (await call<{ data: Taxonomy }>('/taxonomy')).data;
}
