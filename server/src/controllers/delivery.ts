/**
 * The delivery API's HTTP edge: validates the query, calls the delivery service, and sets the
 * caching headers (`ETag`, `Cache-Control`, `Vary`) from what actually influenced the answer.
 */
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';
import { z } from 'zod';

import { isValidTimeZone, type RequestFacts } from '../core/context';
import { VISITOR_HEADERS, type DeliveryRequest } from '../services/delivery';
import { FormatRenderError } from '../services/extensions';
import { getService } from '../utils';
import { visitorOf } from './visitor';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

const querySchema = z.object({
  // Apps may register formats: the delivery service knows them all and refuses the others.
  format: text(32).optional(),
  locale: text(32).optional(),
  persona: text(100).optional(),
  explain: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional(),
  tz: text(64)
    .refine(isValidTimeZone, {
      error: (issue) =>
        `Unknown time zone '${issue.input}': use an IANA zone such as Europe/Berlin`,
    })
    .optional(),
  ref: text(2048).optional(),
  utm_source: text(200).optional(),
  utm_medium: text(200).optional(),
  utm_campaign: text(200).optional(),
  utm_term: text(200).optional(),
  utm_content: text(200).optional(),
});

function parseQuery(query: unknown) {
  const result = querySchema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const param = issue.path.join('.');
    // A repeated parameter arrives as an array: say so rather than "expected string".
    const message =
      issue.code === 'invalid_type'
        ? `'${param}' must be given once, as a single value`
        : issue.code === 'custom'
          ? issue.message
          : `'${param}' ${issue.message}`;
    return { path: issue.path, message };
  });
  throw new errors.ValidationError(issues.map((i) => i.message).join('; '), { errors: issues });
}

function headersOf(ctx: KoaContext): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(ctx.request.headers)) {
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  return headers;
}

/**
 * A delivery request from an HTTP request: `query` holds the delivery parameters (the REST query,
 * or the arguments of the GraphQL query), validated here; headers and cookies come from `ctx`.
 */
export function deliveryRequest(ctx: KoaContext, slug: string, query: unknown): DeliveryRequest {
  const { format = 'json', explain, ...rest } = parseQuery(query);
  const facts: RequestFacts = { query: rest, headers: headersOf(ctx), now: new Date() };
  return { slug, format, explain: explain === 'true', facts, visitor: visitorOf(ctx) };
}

export default () => {
  function respond(
    ctx: KoaContext,
    body: unknown,
    variantKey: string,
    varyOn: string[],
    personal: boolean
  ) {
    const etag = `"${variantKey}"`;
    ctx.set('ETag', etag);
    // A visitor's own answer may live in their browser's cache, never in a shared one.
    ctx.set(
      'Cache-Control',
      personal
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
      ctx.status = error.status;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: null,
        error: {
          status: error.status,
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
        const { dataJson, meta, varyOn, personal } = await getService('delivery').asset(
          requestOf(ctx)
        );
        // The variant's data was serialised once; only the small meta is serialised per request.
        ctx.type = 'application/json';
        const body = `{"data":${dataJson},"meta":${JSON.stringify(meta)}}`;
        respond(ctx, body, meta.variantKey, varyOn, personal);
      });
    },

    async chunk(ctx: KoaContext) {
      await renderingFormat(ctx, async () => {
        const { data, meta, personal, vary } = await getService('delivery').chunk(requestOf(ctx));
        const varyOn = [...(personal ? VISITOR_HEADERS : []), ...vary];
        respond(ctx, { data, meta }, meta.variantKey, varyOn, personal);
      });
    },
  };
};
