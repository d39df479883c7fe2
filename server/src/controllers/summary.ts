/**
 * GET /api/mosaic/profile/summary: a consenting visitor's signed profile summary, for a resolver
 * that decides next to the reader (core/summary.ts). Its own route rather than a header on every
 * delivery answer: a frontend asks once per summary lifetime, and delivery's caching stays as it
 * is. Public like delivery (the visitor's own id and consent are the credentials, as for delivery);
 * the answer is theirs alone, and no cache may keep it.
 */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';
import { deliveryRequest } from './delivery';

export default () => ({
  async issue(ctx: KoaContext) {
    ctx.set('Cache-Control', 'private, no-store');
    const { facts, visitor } = deliveryRequest(ctx, '', ctx.query);
    const issued = await getService('summary').issue(visitor, facts);
    ctx.body = { data: issued };
  },
});
