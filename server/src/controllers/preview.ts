/** The admin's reader-facing routes: preview, side by side, coverage, rules tried on a sample. */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';
import { bodyOf } from './http';
import { parseInput } from '../validation';
import {
  compareBody,
  coverageQuery,
  paramsSchema,
  previewBody,
  ruleBody,
  testRuleBody,
} from './schemas';

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
    ctx.body = { data: getService('preview').testRule(rule, context) };
  },
});
