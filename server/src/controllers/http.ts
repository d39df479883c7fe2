/** What every controller reads from Koa the same way. */
import type { Context as KoaContext } from 'koa';

/** The request body as Strapi's body parser left it (Koa's own types do not declare it). */
export const bodyOf = (ctx: KoaContext): unknown =>
  (ctx.request as unknown as { body?: unknown }).body;
