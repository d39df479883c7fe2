/**
 * The asset list's actions on whole assets: copy (duplicate, or new from a template) and delete.
 * A delete refused because other assets nest the asset is a 409 that names them
 * (`details.usedBy`, the where-used answer).
 */
import type { Context as KoaContext } from 'koa';

import { AssetInUseError } from '../services/asset-actions';
import { getService } from '../utils';
import { bodyOf } from './http';
import { parseInput } from '../validation';
import { copyAssetBody, localeQuery, paramsSchema } from './schemas';

export default () => ({
  async copy(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const { locale } = parseInput(localeQuery, ctx.query);
    const body = parseInput(copyAssetBody, bodyOf(ctx));
    const data = await getService('asset-actions').copy(documentId, locale, body);
    ctx.status = 201;
    ctx.body = { data };
  },

  async remove(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const { locale } = parseInput(localeQuery, ctx.query);
    try {
      ctx.body = { data: await getService('asset-actions').remove(documentId, locale) };
    } catch (error) {
      if (!(error instanceof AssetInUseError)) throw error;
      ctx.status = 409;
      ctx.body = {
        data: null,
        error: {
          status: 409,
          name: 'ConflictError',
          message: error.message,
          details: { usedBy: error.usedBy },
        },
      };
    }
  },
});
