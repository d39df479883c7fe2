/** Insights admin routes: an asset's experiment results as JSON or CSV, and promoting a winner. */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';
import { parseInput } from '../validation';
import { bodyOf } from './http';
import { insightsQuery, promoteBody } from './schemas';

export default () => {
  async function report(ctx: KoaContext, csv: boolean) {
    const query = parseInput(insightsQuery, ctx.query);
    const insights = getService('insights');
    const { from, to, goal } = query;
    const data = await insights.report(
      String(ctx.params.documentId),
      { from, to, goal: goal ?? null },
      Date.now()
    );
    if (csv || query.format === 'csv') {
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set(
        'Content-Disposition',
        `attachment; filename="insights-${data.asset.slug}-${data.from}-${data.to}.csv"`
      );
      ctx.body = insights.toCsv(data);
      return;
    }
    ctx.body = { data };
  }

  return {
    async get(ctx: KoaContext) {
      await report(ctx, false);
    },

    async export(ctx: KoaContext) {
      await report(ctx, true);
    },

    async promote(ctx: KoaContext) {
      const { variant } = parseInput(promoteBody, bodyOf(ctx));
      const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : undefined;
      const data = await getService('insights').promote(
        String(ctx.params.documentId),
        String(ctx.params.slotKey),
        variant,
        locale
      );
      ctx.body = { data };
    },
  };
};
