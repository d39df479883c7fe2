/**
 * GET /api/mosaic/manifest: what a standalone resolver needs, for API tokens (permission
 * `manifest.read`, granted to no public role). Revalidated by `ETag` (its version): a resolver that
 * polls gets a 304 until something is published.
 */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';

/** Whether `If-None-Match` names `etag` (a list, weak validators and `*` included). */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

export default () => ({
  async read(ctx: KoaContext) {
    const { version, body } = await getService('manifest').current();
    const etag = `"${version}"`;
    ctx.set('ETag', etag);
    // Content for a token holder: a shared cache must not keep it, and must ask each time.
    ctx.set('Cache-Control', 'private, no-cache');
    if (matches(ctx.get('If-None-Match'), etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json';
    ctx.body = body;
  },
});
