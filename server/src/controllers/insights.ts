/** Insights admin routes: an asset's experiment results as JSON or CSV, and promoting a winner. */
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';
import { z } from 'zod';

import { dayOf } from '../services/experiments';
import { getService } from '../utils';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The period the page opens on. */
const DEFAULT_DAYS = 30;

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

function refuse(error: z.ZodError, prefix: string[] = []): never {
  const issues = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)],
    message: issue.message,
  }));
  throw new errors.ValidationError(
    issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    { errors: issues }
  );
}

export default () => {
  async function report(ctx: KoaContext, csv: boolean) {
    const parsed = querySchema.safeParse(ctx.query ?? {});
    if (!parsed.success) refuse(parsed.error);
    const now = Date.now();
    const to = parsed.data.to ?? dayOf(now);
    const from =
      parsed.data.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS);
    if (from > to) {
      const message = `'from' (${from}) is after 'to' (${to})`;
      throw new errors.ValidationError(message, { errors: [{ path: ['from'], message }] });
    }
    const insights = getService('insights');
    const data = await insights.report(String(ctx.params.documentId), {
      from,
      to,
      goal: parsed.data.goal ?? null,
    });
    if (csv || parsed.data.format === 'csv') {
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set(
        'Content-Disposition',
        `attachment; filename="insights-${data.asset.slug}-${from}-${to}.csv"`
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
      const body = (ctx.request as unknown as { body?: unknown }).body;
      const parsed = promoteSchema.safeParse(body ?? {});
      if (!parsed.success) refuse(parsed.error);
      const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : undefined;
      const data = await getService('insights').promote(
        String(ctx.params.documentId),
        String(ctx.params.slotKey),
        parsed.data.variant,
        locale
      );
      ctx.body = { data };
    },
  };
};
