/** The admin's reader-facing routes: preview, side by side, coverage, rules tried on a sample. */
import type { Context as KoaContext } from 'koa';

import type { Context } from '../core/types';
import type { ReaderContext } from '../core/preview';
import { getService } from '../utils';
import { parseInput } from '../validation';
import {
  compareBody,
  coverageQuery,
  paramsSchema,
  previewBody,
  READER_CONTEXT_FIELDS,
  ruleBody,
  testRuleBody,
} from './schemas';

const bodyOf = (ctx: KoaContext) => (ctx.request as unknown as { body?: unknown }).body;

export default () => ({
  async preview(ctx: KoaContext) {
    ctx.body = await getService('preview').preview(parseInput(previewBody, bodyOf(ctx)));
  },

  async compare(ctx: KoaContext) {
    ctx.body = { data: await getService('preview').compare(parseInput(compareBody, bodyOf(ctx))) };
  },

  async coverage(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const query = parseInput(coverageQuery, ctx.query);
    ctx.body = { data: await getService('preview').coverage({ asset: documentId, ...query }) };
  },

  async validateRule(ctx: KoaContext) {
    const { rule } = parseInput(ruleBody, bodyOf(ctx));
    ctx.body = { data: getService('preview').validateRule(rule) };
  },

  async testRule(ctx: KoaContext) {
    const { rule, context } = parseInput(testRuleBody, bodyOf(ctx));
    // Reader-shaped fields (a referrer URL, a device name) are built as a request would build
    // them; the others (a referrer or device object, traits, events…) are taken as they are.
    const reader: Record<string, unknown> = {};
    const raw: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(context)) {
      const asReader = READER_CONTEXT_FIELDS.includes(field) && typeof value !== 'object';
      (asReader || field === 'utm' ? reader : raw)[field] = value;
    }
    ctx.body = {
      data: getService('preview').testRule(rule, reader as ReaderContext, raw as Partial<Context>),
    };
  },
});
