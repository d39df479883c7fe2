/** Insights admin routes: an asset's experiment results as JSON or CSV, and promoting a winner. */
import type { Context as KoaContext } from 'koa';
import { z } from 'zod';

import { getService } from '../utils';
import { parseInput } from '../validation';
import { bodyOf } from './http';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar date');

const querySchema = z.object({
  from: day.optional(),
  to: day.optional(),
  goal: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ . -')
    .optional(),
  format: z.enum(['json', 'csv'], { error: "must be 'json' or 'csv'" }).optional(),
  locale: z.string().max(32).optional(),
});

const promoteSchema = z.object({ variant: z.string().min(1).max(200) }).strict();

export default () => {
  async function report(ctx: KoaContext, csv: boolean) {
    const query = parseInput(querySchema, ctx.query);
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
      const { variant } = parseInput(promoteSchema, bodyOf(ctx));
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
