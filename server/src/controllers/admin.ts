/** Admin routes: what the compiled cache is doing, for operators. */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';

export default () => ({
  async cacheStats(ctx: KoaContext) {
    ctx.body = { data: getService('cache').stats() };
  },
});
