/**
 * The delivery API's HTTP edge: validates the query, calls the delivery service, and sets the
 * caching headers from what actually influenced the answer: `Vary` and `Cache-Control` as the
 * service reports them, and an `ETag` that fingerprints the exact bytes sent. An answer served
 * from memory during a database outage says so (`meta.stale`, `X-Mosaic-Stale`) and may be kept
 * by nobody.
 */
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';

import { STALE_HEADER } from '../../../contracts/wire';
import type { RequestFacts } from '../core/context';
import { parseDeliveryQuery } from '../core/query';
import { isApiTokenRequest } from '../policies';
import { etagOf, type DeliveryRequest } from '../services/delivery';
import { FormatRenderError } from '../services/extensions';
import { getService } from '../utils';
import { visitorOf } from './visitor';

function parseQuery(query: unknown) {
  const parsed = parseDeliveryQuery(query);
  if (parsed.ok) return parsed.query;
  const { issues } = parsed;
  throw new errors.ValidationError(issues.map((i) => i.message).join('; '), { errors: issues });
}

/** The request's headers, one value each (Node joins repeats, but for a few it keeps a list). */
function headersOf(ctx: KoaContext): Record<string, string | undefined> {
  const { headers } = ctx.request;
  let copy: Record<string, string | undefined> | null = null;
  for (const name in headers) {
    const value = headers[name];
    if (!Array.isArray(value)) continue;
    copy ??= { ...(headers as Record<string, string | undefined>) };
    copy[name] = value[0];
  }
  return copy ?? (headers as Record<string, string | undefined>);
}

/**
 * A delivery request from an HTTP request: `query` holds the delivery parameters (the REST query,
 * or the arguments of the GraphQL query), validated here; headers and cookies come from `ctx`.
 */
export function deliveryRequest(ctx: KoaContext, slug: string, query: unknown): DeliveryRequest {
  const { format = 'json', explain, ...rest } = parseQuery(query);
  const facts: RequestFacts = { query: rest, headers: headersOf(ctx), now: new Date() };
  return {
    slug,
    format,
    explain: explain === 'true',
    facts,
    visitor: visitorOf(ctx),
    trusted: isApiTokenRequest(ctx),
  };
}

/** Whether the answer was served from memory while the database was unreachable: it says so. */
function servedStale(ctx: KoaContext): boolean {
  if (!getService('faults').stale(ctx)) return false;
  ctx.set(STALE_HEADER, '1');
  return true;
}

export default () => {
  function respond(
    ctx: KoaContext,
    { body, etag }: { body: Buffer; etag: string },
    varyOn: string[],
    personal: boolean
  ) {
    ctx.type = 'application/json';
    ctx.set('ETag', etag);
    // A visitor's own answer may live in their browser's cache, never in a shared one.
    ctx.set(
      'Cache-Control',
      getService('faults').stale(ctx)
        ? 'no-store'
        : personal
          ? 'private, no-cache'
          : `public, max-age=${getService('settings').current().cacheMaxAge}`
    );
    if (varyOn.length) ctx.vary(varyOn.join(', '));
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = body;
  }

  const requestOf = (ctx: KoaContext) => deliveryRequest(ctx, String(ctx.params.slug), ctx.query);

  /** A broken app format is the server's fault, not the request's: a 500 that says which. */
  async function renderingFormat(ctx: KoaContext, deliver: () => Promise<void>) {
    try {
      await deliver();
    } catch (error) {
      if (!(error instanceof FormatRenderError)) throw error;
      ctx.status = 500;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: null,
        error: {
          status: 500,
          name: error.name,
          message: error.message,
          details: error.details,
        },
      };
    }
  }

  return {
    async asset(ctx: KoaContext) {
      await renderingFormat(ctx, async () => {
        const delivery = await getService('delivery').asset(requestOf(ctx));
        if (servedStale(ctx)) delivery.meta.stale = true;
        // The variant's data was serialised once; only the small meta is serialised per request.
        respond(ctx, getService('delivery').answer(delivery), delivery.varyOn, delivery.personal);
      });
    },

    async chunk(ctx: KoaContext) {
      await renderingFormat(ctx, async () => {
        const { data, meta, personal, varyOn } = await getService('delivery').chunk(requestOf(ctx));
        if (servedStale(ctx)) meta.stale = true;
        const body = Buffer.from(JSON.stringify({ data, meta }));
        respond(ctx, { body, etag: etagOf(body) }, varyOn, personal);
      });
    },
  };
};
