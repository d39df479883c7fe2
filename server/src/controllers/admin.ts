/**
 * Admin routes for operators and the segment builder: cache statistics, audience estimates,
 * saving, duplicating and deleting segments (with their uses), and the settings.
 */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';
import { bodyOf } from './http';
import { parseInput } from '../validation';
import { createSegmentBody, paramsSchema, updateSegmentBody } from './schemas';

export default () => ({
  async cacheStats(ctx: KoaContext) {
    ctx.body = { data: getService('cache').stats() };
  },

  async audience(ctx: KoaContext) {
    const body = bodyOf(ctx) as { rule?: unknown } | undefined;
    ctx.body = { data: await getService('audience').estimate(body?.rule) };
  },

  async createSegment(ctx: KoaContext) {
    const body = parseInput(createSegmentBody, bodyOf(ctx));
    ctx.status = 201;
    ctx.body = { data: await getService('editor').saveSegment(null, body) };
  },

  async updateSegment(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const body = parseInput(updateSegmentBody, bodyOf(ctx));
    ctx.body = { data: await getService('editor').saveSegment(documentId, body) };
  },

  async duplicateSegment(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    ctx.status = 201;
    ctx.body = { data: await getService('editor').duplicateSegment(documentId) };
  },

  async segmentUses(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    ctx.body = { data: await getService('editor').segmentUses(documentId) };
  },

  async deleteSegment(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    ctx.body = { data: await getService('editor').deleteSegment(documentId) };
  },

  async getSettings(ctx: KoaContext) {
    ctx.body = { data: getService('settings').current() };
  },

  async updateSettings(ctx: KoaContext) {
    ctx.body = { data: await getService('settings').update(bodyOf(ctx)) };
  },
});
