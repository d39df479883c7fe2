/**
 * Loads Mosaic content through the document service and compiles it for resolution: assets with
 * their slots, candidates, nested assets and referenced segments; chunks with their tags. Every
 * load goes through the compiled cache, so a resolve reads the database only after a change.
 */
import type { Core } from '@strapi/strapi';

import type {
  CompiledAsset,
  CompiledCandidate,
  CompiledChunk,
  CompiledSegment,
  SlotMode,
} from '../core/assembly';
import { formatRuleIssues, RuleError } from '../core/rules';
import type { BlocksContent } from '../core/types';
import { UIDS } from '../content-types';
import { documents } from '../data';
import {
  extraFieldModels,
  extraFieldsOf,
  requestedPopulate,
  servedValue,
  type ExtraFields,
} from '../extra-fields';
import { getService } from '../utils';

interface RelatedRef {
  documentId: string;
  slug?: string;
}

interface ChunkDocument {
  documentId: string;
  slug: string;
  title: string;
  locale?: string | null;
  body?: unknown;
  updatedAt?: string | Date;
  availableFrom?: string | null;
  availableUntil?: string | null;
  personas?: RelatedRef[];
  segments?: Array<RelatedRef & { rule?: unknown; priority?: number | null; updatedAt?: string }>;
  tags?: RelatedRef[];
  [field: string]: unknown;
}

interface AssetDocument {
  documentId: string;
  slug: string;
  locale?: string | null;
  updatedAt?: string | Date;
  slots?: Array<{
    key: string;
    mode?: SlotMode | null;
    limit?: number | null;
    holdout?: number | null;
    candidates?: Array<{
      chunk?: RelatedRef | null;
      asset?: RelatedRef | null;
      weight?: number | string | null;
    }>;
  }>;
  /** Fields an app added to the asset content type. */
  [field: string]: unknown;
}

/** Which version of the content to compile: delivery serves `published`; the preview, drafts. */
export type ContentStatus = 'draft' | 'published';

/** The compiled cache's keys of what delivery reads on every request. */
const KEYS = {
  locales: 'locales',
  personas: 'personas',
  asset: (slug: string, locale: string | null) => `asset:${locale ?? ''}:${slug}`,
};

export interface Locales {
  defaultLocale: string | null;
  available: string[];
}

const SYSTEM_FIELDS = [
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'locale',
  'localizations',
  'createdBy',
  'updatedBy',
];

/** Fields the delivery API shapes itself; anything else an app adds to chunks passes through. */
const CHUNK_OWN_FIELDS = new Set([
  ...SYSTEM_FIELDS,
  'title',
  'slug',
  'body',
  'personas',
  'segments',
  'tags',
  'availableFrom',
  'availableUntil',
]);

/** Fields of the asset that Mosaic serves itself or keeps to the admin. */
const ASSET_OWN_FIELDS = new Set([...SYSTEM_FIELDS, 'title', 'slug', 'kind', 'slots']);

const CHUNK_POPULATE = {
  personas: { fields: ['slug'] },
  segments: { fields: ['slug', 'rule', 'priority', 'updatedAt'] },
  tags: { fields: ['slug'] },
} as const;

const ASSET_POPULATE = {
  slots: {
    populate: {
      candidates: {
        populate: { chunk: { fields: ['slug'] }, asset: { fields: ['slug'] } },
      },
    },
  },
} as const;

const toTime = (value: string | null | undefined) => (value ? Date.parse(value) : null);
const versionOf = (value: string | Date | undefined) =>
  value instanceof Date ? value.toISOString() : String(value ?? '');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const cache = () => getService('cache');
  const maxDepth = () => strapi.config.get<number>('plugin::mosaic.maxDepth', 5);

  const compiledRules = new Map<string, CompiledSegment>();

  // The content types are final once Strapi has loaded: an app's extensions are applied by then.
  const extraFields: Partial<Record<'chunk' | 'asset', ExtraFields>> = {};
  const extraFieldsFor = (type: 'chunk' | 'asset') =>
    (extraFields[type] ??= extraFieldsOf(
      strapi,
      UIDS[type],
      type === 'chunk' ? CHUNK_OWN_FIELDS : ASSET_OWN_FIELDS,
      requestedPopulate(strapi, type)
    ));

  /** The extra fields of a loaded document, as the delivery API serves them. */
  function extraOf(type: 'chunk' | 'asset', doc: Record<string, unknown>) {
    const { scalars, populate } = extraFieldsFor(type);
    const extra: Record<string, unknown> = {};
    for (const field of scalars) if (field in doc) extra[field] = doc[field];
    // Populated media, components and relations lose Strapi's numeric ids; JSON keeps its own.
    for (const field of Object.keys(populate)) {
      if (field in doc) extra[field] = servedValue(doc[field]);
    }
    return extra;
  }

  function compileSegment(
    segment: NonNullable<ChunkDocument['segments']>[number]
  ): CompiledSegment | null {
    const slug = segment.slug ?? segment.documentId;
    const key = `${segment.documentId}@${versionOf(segment.updatedAt)}`;
    const known = compiledRules.get(key);
    if (known) return known;
    try {
      const compiled = {
        slug,
        priority: segment.priority ?? 0,
        rule: getService('rules', strapi).compile(segment.rule),
      };
      compiledRules.set(key, compiled);
      return compiled;
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      // Rules are validated on save; one that predates validation never matches.
      strapi.log.warn(`[mosaic] segment '${slug}' is ignored: ${formatRuleIssues(error.issues)}`);
      return null;
    }
  }

  function compileChunk(doc: ChunkDocument, segments: Map<string, CompiledSegment>): CompiledChunk {
    const segmentSlugs: string[] = [];
    for (const segment of doc.segments ?? []) {
      const compiled = compileSegment(segment);
      if (!compiled) continue;
      segments.set(compiled.slug, compiled);
      segmentSlugs.push(compiled.slug);
    }
    return {
      documentId: doc.documentId,
      slug: doc.slug,
      title: doc.title,
      locale: doc.locale ?? null,
      version: versionOf(doc.updatedAt),
      personas: (doc.personas ?? []).map((p) => p.slug ?? p.documentId),
      // A chunk tagged only with segments whose rules are broken must stay unreachable, not open.
      segments: doc.segments?.length && !segmentSlugs.length ? ['\u0000invalid'] : segmentSlugs,
      tags: (doc.tags ?? []).map((t) => t.slug ?? t.documentId),
      availableFrom: toTime(doc.availableFrom),
      availableUntil: toTime(doc.availableUntil),
      body: Array.isArray(doc.body) ? (doc.body as BlocksContent) : [],
      extra: extraOf('chunk', doc),
      templates: {},
    };
  }

  async function locales(): Promise<Locales> {
    return cache().get(KEYS.locales, async () => {
      const service = strapi.plugin('i18n')?.service('locales');
      if (!service) return { defaultLocale: null, available: [] };
      const [all, defaultLocale] = await Promise.all([service.find(), service.getDefaultLocale()]);
      return {
        defaultLocale: (defaultLocale as string | undefined) ?? null,
        available: (all as Array<{ code: string }>).map((l) => l.code),
      };
    });
  }

  /** Chunks by documentId in `locale`, falling back to the default locale. */
  async function loadChunks(
    ids: string[],
    locale: string | null,
    segments: Map<string, CompiledSegment>,
    status: ContentStatus = 'published'
  ) {
    const found = new Map<string, CompiledChunk>();
    if (!ids.length) return found;
    const { defaultLocale } = await locales();
    const tried = new Set<string | null>();
    for (const candidateLocale of [locale, defaultLocale]) {
      if (tried.has(candidateLocale)) continue;
      tried.add(candidateLocale);
      const missing = ids.filter((id) => !found.has(id));
      if (!missing.length) break;
      const docs = await documents(strapi, UIDS.chunk).findMany<ChunkDocument>({
        filters: { documentId: { $in: missing } },
        status,
        ...(candidateLocale ? { locale: candidateLocale } : {}),
        populate: { ...extraFieldsFor('chunk').populate, ...CHUNK_POPULATE },
      });
      for (const doc of docs) found.set(doc.documentId, compileChunk(doc, segments));
    }
    return found;
  }

  async function findAssetDocument(
    filters: Record<string, unknown>,
    locale: string | null,
    status: ContentStatus = 'published'
  ): Promise<AssetDocument | null> {
    const { defaultLocale } = await locales();
    for (const candidateLocale of locale === defaultLocale ? [locale] : [locale, defaultLocale]) {
      const doc = await documents(strapi, UIDS.asset).findFirst<AssetDocument>({
        filters,
        status,
        ...(candidateLocale ? { locale: candidateLocale } : {}),
        populate: { ...extraFieldsFor('asset').populate, ...ASSET_POPULATE },
      });
      if (doc) return doc;
    }
    return null;
  }

  async function compileAsset(
    doc: AssetDocument,
    locale: string | null,
    path: string[],
    segments: Map<string, CompiledSegment>,
    status: ContentStatus = 'published'
  ): Promise<CompiledAsset> {
    const chunkIds = new Set<string>();
    for (const slot of doc.slots ?? []) {
      for (const c of slot.candidates ?? []) if (c.chunk) chunkIds.add(c.chunk.documentId);
    }
    const chunks = await loadChunks([...chunkIds], locale, segments, status);
    const here = [...path, doc.documentId];

    const slots = [];
    for (const slot of doc.slots ?? []) {
      const candidates: CompiledCandidate[] = [];
      for (const c of slot.candidates ?? []) {
        // Decimals may come back as strings (PostgreSQL).
        const weight = c.weight === null || c.weight === undefined ? null : Number(c.weight);
        if (c.chunk) {
          const ref = c.chunk.documentId;
          candidates.push({ kind: 'chunk', ref, weight, chunk: chunks.get(ref) ?? null });
        } else if (c.asset) {
          const ref = c.asset.documentId;
          if (here.includes(ref))
            candidates.push({ kind: 'asset', ref, weight, asset: null, refused: 'cycle' });
          else if (here.length >= maxDepth()) {
            candidates.push({ kind: 'asset', ref, weight, asset: null, refused: 'depth' });
          } else {
            const nestedDoc = await findAssetDocument({ documentId: ref }, locale, status);
            const asset = nestedDoc
              ? await compileAsset(nestedDoc, locale, here, segments, status)
              : null;
            candidates.push({ kind: 'asset', ref, weight, asset });
          }
        }
      }
      slots.push({
        key: slot.key,
        mode: slot.mode ?? 'first',
        limit: slot.limit ?? null,
        holdout: slot.holdout ?? 0,
        candidates,
      });
    }
    return {
      documentId: doc.documentId,
      slug: doc.slug,
      locale: doc.locale ?? null,
      version: versionOf(doc.updatedAt),
      slots,
      extra: extraOf('asset', doc),
      segments,
    };
  }

  return {
    locales,

    /** The published asset `slug`, compiled, in `locale` or else the default locale. */
    async asset(slug: string, locale: string | null): Promise<CompiledAsset | null> {
      return cache().get(KEYS.asset(slug, locale), async () => {
        const doc = await findAssetDocument({ slug }, locale);
        return doc ? compileAsset(doc, locale, [], new Map()) : null;
      });
    },

    /**
     * The asset named by documentId or slug as it stands in `status`, compiled afresh: never read
     * from nor stored in the cache, so what an admin previews cannot leak into delivery.
     */
    async assetFresh(
      ref: string,
      locale: string | null,
      status: ContentStatus
    ): Promise<CompiledAsset | null> {
      const doc = await findAssetDocument(
        { $or: [{ documentId: ref }, { slug: ref }] },
        locale,
        status
      );
      return doc ? compileAsset(doc, locale, [], new Map(), status) : null;
    },

    /**
     * The published chunk `slug`, compiled, in `locale` or else the default locale. The slug is
     * looked up among published versions: a slug changed in an unpublished draft is not live yet.
     */
    async chunk(slug: string, locale: string | null): Promise<CompiledChunk | null> {
      return cache().get(`chunk:${locale ?? ''}:${slug}`, async () => {
        const ids = await documents(strapi, UIDS.chunk).findMany<RelatedRef>({
          filters: { slug },
          status: 'published',
          fields: ['slug'],
          limit: 1,
        });
        if (!ids.length) return null;
        const chunks = await loadChunks([ids[0].documentId], locale, new Map());
        return chunks.get(ids[0].documentId) ?? null;
      });
    },

    /**
     * The personas and tags of a published chunk named by documentId or slug, or null if there is
     * none: what readers were shown is the published version, its live slug and its tags.
     */
    async chunkTopics(ref: string): Promise<{ personas: string[]; tags: string[] } | null> {
      return cache().get(`topics:${ref}`, async () => {
        const [doc] = await documents(strapi, UIDS.chunk).findMany<ChunkDocument>({
          filters: { $or: [{ documentId: ref }, { slug: ref }] },
          status: 'published',
          fields: ['slug'],
          populate: { personas: { fields: ['slug'] }, tags: { fields: ['slug'] } },
          limit: 1,
        });
        if (!doc) return null;
        return {
          personas: (doc.personas ?? []).map((p) => p.slug ?? p.documentId),
          tags: (doc.tags ?? []).map((t) => t.slug ?? t.documentId),
        };
      });
    },

    /**
     * What `locales()`, `asset()` and `personaSlugs()` answer, when it is already in memory
     * (undefined otherwise): the delivery hot path then resolves without waiting on anything.
     */
    loaded: {
      locales: () => cache().ready<Locales>(KEYS.locales),
      asset: (slug: string, locale: string | null) =>
        cache().ready<CompiledAsset | null>(KEYS.asset(slug, locale)),
      personaSlugs: () => cache().ready<Set<string>>(KEYS.personas),
    },

    async personaSlugs(): Promise<Set<string>> {
      return cache().get(KEYS.personas, async () => {
        const personas = await documents(strapi, UIDS.persona).findMany<RelatedRef>({
          fields: ['slug'],
        });
        return new Set(personas.map((p) => p.slug ?? p.documentId));
      });
    },

    /** Models the fields an app added to chunks and assets read (see extra-fields.ts). */
    extraFieldModels(): string[] {
      return [
        ...extraFieldModels(strapi, UIDS.chunk, CHUNK_OWN_FIELDS),
        ...extraFieldModels(strapi, UIDS.asset, ASSET_OWN_FIELDS),
      ];
    },

    forgetCompiledRules() {
      compiledRules.clear();
    },
  };
};
