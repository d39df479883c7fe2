/**
 * The admin's editing routes: assets (list, open, create, save, publish), the picker's library,
 * the taxonomy behind the filters, and where a chunk or an asset is used.
 */
import type { Context as KoaContext } from 'koa';

import { getService } from '../utils';
import { bodyOf } from './http';
import { parseInput } from '../validation';
import {
  createAssetBody,
  libraryQuery,
  listAssetsQuery,
  localeQuery,
  paramsSchema,
  saveAssetBody,
} from './schemas';

export default () => ({
  async taxonomy(ctx: KoaContext) {
    ctx.body = { data: await getService('editor').taxonomy() };
  },

  async listAssets(ctx: KoaContext) {
    ctx.body = {
      data: await getService('editor').listAssets(parseInput(listAssetsQuery, ctx.query)),
    };
  },

  async getAsset(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const { locale } = parseInput(localeQuery, ctx.query);
    ctx.body = { data: await getService('editor').getAsset(documentId, locale) };
  },

  async createAsset(ctx: KoaContext) {
    const body = parseInput(createAssetBody, bodyOf(ctx));
    ctx.status = 201;
    ctx.body = { data: await getService('editor').createAsset(body) };
  },

  async saveAsset(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const { locale } = parseInput(localeQuery, ctx.query);
    const body = parseInput(saveAssetBody, bodyOf(ctx));
    ctx.body = { data: await getService('editor').saveAsset(documentId, locale, body) };
  },

  async publishAsset(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const { locale } = parseInput(localeQuery, ctx.query);
    ctx.body = { data: await getService('editor').publishAsset(documentId, locale) };
  },

  async library(ctx: KoaContext) {
    ctx.body = await getService('editor').searchLibrary(parseInput(libraryQuery, ctx.query));
  },

  async whereUsed(ctx: KoaContext) {
    const { documentId } = parseInput(paramsSchema, ctx.params);
    const { locale } = parseInput(localeQuery, ctx.query);
    ctx.body = { data: await getService('editor').whereUsed(documentId, locale) };
  },
});
