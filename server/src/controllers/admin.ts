/** Admin routes: cache statistics for operators, audience estimates for the segment builder. */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';

export default () => ({
  async cacheStats(ctx: KoaContext) {
    ctx.body = { data: getService('cache').stats() };
  },

  async audience(ctx: KoaContext) {
    const body = (ctx.request as unknown as { body?: { rule?: unknown } }).body;
    ctx.body = { data: await getService('audience').estimate(body?.rule) };
  },
});
