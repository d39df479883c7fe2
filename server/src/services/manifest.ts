/**
 * The manifest (GET /api/mosaic/manifest): every published asset in every locale, compiled as
 * delivery serves it, with the chunks, segment rules, personas and settings its resolution reads
 * (core/manifest.ts owns the shape). Built from the compiled cache and kept in it, so it is built
 * once per content change; its version is a hash of its content, the same on every instance.
 */
import { createHash } from 'node:crypto';

import type { Core } from '@strapi/strapi';

import type { MosaicConfig } from '../config';
import type { CompiledAsset } from '../core/assembly';
import {
  manifestAsset,
  MANIFEST_SCHEMA,
  type Manifest,
  type ManifestAsset,
  type ManifestChunk,
  type ManifestSegment,
  type ManifestSettings,
} from '../core/manifest';
import { CONTEXT_FIELD_TYPES } from '../core/types';
import { UIDS } from '../content-types';
import { declaredTraits } from '../traits';
import { getService } from '../utils';

export interface BuiltManifest {
  version: string;
  /** `{"data":manifest,"meta":{"version":…}}`, serialised once. */
  body: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  function settings(defaultLocale: string | null, locales: string[]): ManifestSettings {
    const config = strapi.config.get('plugin::mosaic') as MosaicConfig;
    const current = getService('settings').current();
    const traits = Object.entries(declaredTraits(strapi)).map(([name, type]) => [
      `traits.${name}`,
      type,
    ]);
    return {
      defaultLocale,
      locales,
      allowPersonaParam: current.allowPersonaParam,
      personaThreshold: config.affinity.personaThreshold,
      geoHeaders: current.geoHeaders ?? {},
      botsTracked: config.bots.track,
      fieldTypes: { ...CONTEXT_FIELD_TYPES, ...Object.fromEntries(traits) },
      summaryNotBefore: getService('settings').summaryNotBefore(),
    };
  }

  /** Slugs of the assets published in any locale: each is served in every locale, by fallback. */
  async function publishedSlugs(locales: string[]): Promise<string[]> {
    const slugs = new Set<string>();
    for (const locale of locales.length ? locales : [null]) {
      const docs = (await strapi.documents(UIDS.asset).findMany({
        status: 'published',
        fields: ['slug'],
        ...(locale ? { locale } : {}),
      } as never)) as unknown as Array<{ slug: string }>;
      for (const doc of docs) slugs.add(doc.slug);
    }
    return [...slugs].sort();
  }

  async function build(manifestSettings: ManifestSettings): Promise<BuiltManifest> {
    const content = getService('content');
    const { locales } = manifestSettings;
    const slugs = await publishedSlugs(locales);
    const chunks: Record<string, ManifestChunk> = {};
    const assets: Record<string, Record<string, ManifestAsset>> = {};
    const referenced = new Map<string, number>();
    for (const locale of locales.length ? locales : [null]) {
      const inLocale: Record<string, ManifestAsset> = {};
      for (const slug of slugs) {
        const asset: CompiledAsset | null = await content.asset(slug, locale);
        if (!asset) continue;
        inLocale[slug] = manifestAsset(asset, chunks);
        for (const segment of asset.segments.values()) {
          referenced.set(segment.slug, segment.priority);
        }
      }
      assets[locale ?? ''] = inLocale;
    }
    // The rules as saved; only those of segments some chunk on offer references, and that compiled.
    const docs = (await strapi.documents(UIDS.segment).findMany({
      fields: ['slug', 'rule'],
    } as never)) as unknown as Array<{ slug: string; rule: unknown }>;
    const segments: ManifestSegment[] = docs
      .filter((doc) => referenced.has(doc.slug))
      .map((doc) => ({ slug: doc.slug, priority: referenced.get(doc.slug)!, rule: doc.rule }))
      .sort((a, b) => a.slug.localeCompare(b.slug));
    const personas = [...(await content.personaSlugs())].sort();

    const versioned = { settings: manifestSettings, personas, segments, chunks, assets };
    const version = createHash('sha256')
      .update(JSON.stringify(versioned))
      .digest('base64url')
      .slice(0, 27);
    const manifest: Manifest = { schema: MANIFEST_SCHEMA, version, ...versioned };
    return { version, body: JSON.stringify({ data: manifest, meta: { version } }) };
  }

  return {
    /** The current manifest; rebuilt after any content change, and when the settings change. */
    async current(): Promise<BuiltManifest> {
      const { defaultLocale, available } = await getService('content').locales();
      const manifestSettings = settings(defaultLocale, [...available].sort());
      return getService('cache').get(`manifest:${JSON.stringify(manifestSettings)}`, () =>
        build(manifestSettings)
      );
    },
  };
};
