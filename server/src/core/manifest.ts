/**
 * The manifest: what resolution needs, as plain JSON (GET /api/mosaic/manifest). Owns its shape and
 * both directions: the server writes it from compiled assets, a standalone resolver reads it back
 * into the very structures the core resolves (`CompiledAsset`), so both run one selection and one
 * rendering. Chunks are kept once in a table and referenced from every slot that offers them;
 * segments carry their rule as written, compiled by the reader. No draft, no profile data: only
 * what the published answers are made of.
 */
import type {
  CompiledAsset,
  CompiledCandidate,
  CompiledChunk,
  CompiledSegment,
  SlotMode,
} from './assembly';
import { compileRule, DEFAULT_RULE_LIMITS, RuleError } from './rules';
import { CONTEXT_FIELDS, type FieldType } from './types';
import type { Manifest as WireManifest } from '../../../contracts/manifest';

/** The manifest's own format version: a reader refuses one it does not know. */
export const MANIFEST_SCHEMA = 1;

/** A chunk as the manifest carries it: the compiled chunk without its rendered templates. */
export type ManifestChunk = Omit<CompiledChunk, 'templates'>;

export type ManifestCandidate = { weight: number | null } & (
  | { kind: 'chunk'; ref: string; chunk: string | null }
  | { kind: 'asset'; ref: string; asset: ManifestAsset | null; refused?: 'cycle' | 'depth' }
);

export interface ManifestSlot {
  key: string;
  mode: SlotMode;
  limit: number | null;
  holdout: number;
  candidates: ManifestCandidate[];
}

export interface ManifestAsset {
  documentId: string;
  slug: string;
  locale: string | null;
  version: string;
  extra: Record<string, unknown>;
  slots: ManifestSlot[];
}

export interface ManifestSegment {
  slug: string;
  priority: number;
  /** The rule as saved (Strapi filter syntax). */
  rule: unknown;
}

/** The server settings that change an answer. */
export interface ManifestSettings {
  defaultLocale: string | null;
  locales: string[];
  allowPersonaParam: boolean;
  /** Affinity a persona needs to be inferred from behaviour. */
  personaThreshold: number;
  /** Trusted request headers that carry the visitor's location, by context field. */
  geoHeaders: { country?: string; region?: string; city?: string };
  /** Whether crawlers are bucketed and profiled like readers. */
  botsTracked: boolean;
  /** The types rules read fields with: the context's own and the app's declared traits. */
  fieldTypes: Record<string, FieldType>;
  /**
   * Profile summaries issued before this (seconds since the epoch) are refused: the server moves
   * it past every erasure, so that an erased visitor's summary is useless wherever it is verified.
   */
  summaryNotBefore: number | null;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  /** Changes whenever anything below changes (a publish, a segment, a setting). */
  version: string;
  settings: ManifestSettings;
  personas: string[];
  segments: ManifestSegment[];
  /** Chunks by `chunkKey`. */
  chunks: Record<string, ManifestChunk>;
  /** Published assets by requested locale ('' without i18n), then by slug. */
  assets: Record<string, Record<string, ManifestAsset>>;
}

/** A chunk's place in the table: one document in one locale. */
export const chunkKey = (chunk: { documentId: string; locale: string | null }) =>
  `${chunk.documentId}:${chunk.locale ?? ''}`;

/** The manifest form of a compiled asset; the chunks it offers are added to `chunks`. */
export function manifestAsset(
  asset: CompiledAsset,
  chunks: Record<string, ManifestChunk>
): ManifestAsset {
  return {
    documentId: asset.documentId,
    slug: asset.slug,
    locale: asset.locale,
    version: asset.version,
    extra: asset.extra ?? {},
    slots: asset.slots.map((slot) => ({
      key: slot.key,
      mode: slot.mode,
      limit: slot.limit,
      holdout: slot.holdout ?? 0,
      candidates: slot.candidates.map((c): ManifestCandidate => {
        const weight = c.weight ?? null;
        if (c.kind === 'asset') {
          const nested = c.asset ? manifestAsset(c.asset, chunks) : null;
          return { kind: 'asset', ref: c.ref, weight, asset: nested, ...refusal(c.refused) };
        }
        if (!c.chunk) return { kind: 'chunk', ref: c.ref, weight, chunk: null };
        const key = chunkKey(c.chunk);
        chunks[key] ??= manifestChunk(c.chunk);
        return { kind: 'chunk', ref: c.ref, weight, chunk: key };
      }),
    })),
  };
}

const refusal = (refused: 'cycle' | 'depth' | undefined) => (refused ? { refused } : {});

/**
 * Field by field, not a copy of the rest: a field added to compiled chunks stays off the wire until
 * it is named here (a new required one fails to compile meanwhile). Templates are filled lazily per
 * format: a reader renders its own.
 */
function manifestChunk(chunk: CompiledChunk): ManifestChunk {
  return {
    documentId: chunk.documentId,
    slug: chunk.slug,
    title: chunk.title,
    locale: chunk.locale,
    version: chunk.version,
    personas: chunk.personas,
    segments: chunk.segments,
    tags: chunk.tags,
    availableFrom: chunk.availableFrom,
    availableUntil: chunk.availableUntil,
    body: chunk.body,
    extra: chunk.extra,
  };
}

/** A manifest read back: compiled assets by locale and slug, as the server's cache holds them. */
export interface CompiledManifest {
  version: string;
  settings: ManifestSettings;
  personas: Set<string>;
  assets: Map<string, Map<string, CompiledAsset>>;
  /** Segments whose rule this reader cannot evaluate (an app's own operator): they never match. */
  skippedSegments: string[];
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Compiles a manifest for resolution: rules once, chunks shared by every asset offering them. */
export function compileManifest(manifest: Manifest): CompiledManifest {
  if (manifest?.schema !== MANIFEST_SCHEMA) {
    throw new ManifestError(
      `Unknown manifest schema ${JSON.stringify(manifest?.schema)}: this resolver reads schema ${MANIFEST_SCHEMA}`
    );
  }
  const segments = new Map<string, CompiledSegment>();
  const skippedSegments: string[] = [];
  for (const segment of manifest.segments) {
    try {
      const rule = compileRule(
        segment.rule,
        DEFAULT_RULE_LIMITS,
        CONTEXT_FIELDS,
        undefined,
        manifest.settings.fieldTypes
      );
      segments.set(segment.slug, { slug: segment.slug, priority: segment.priority, rule });
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      skippedSegments.push(segment.slug);
    }
  }
  const chunks = new Map<string, CompiledChunk>();
  const chunkOf = (key: string | null) => {
    if (key === null) return null;
    let chunk = chunks.get(key);
    if (!chunk) {
      const source = manifest.chunks[key];
      if (!source)
        throw new ManifestError(`The manifest offers chunk '${key}' but does not hold it`);
      chunk = { ...source, templates: {} };
      chunks.set(key, chunk);
    }
    return chunk;
  };
  const assetOf = (source: ManifestAsset): CompiledAsset => ({
    documentId: source.documentId,
    slug: source.slug,
    locale: source.locale,
    version: source.version,
    extra: source.extra,
    segments,
    slots: source.slots.map((slot) => ({
      key: slot.key,
      mode: slot.mode,
      limit: slot.limit,
      holdout: slot.holdout,
      candidates: slot.candidates.map((c): CompiledCandidate => {
        if (c.kind === 'chunk') {
          return { kind: 'chunk', ref: c.ref, weight: c.weight, chunk: chunkOf(c.chunk) };
        }
        const asset = c.asset ? assetOf(c.asset) : null;
        return { kind: 'asset', ref: c.ref, weight: c.weight, asset, ...refusal(c.refused) };
      }),
    })),
  });
  const assets = new Map<string, Map<string, CompiledAsset>>();
  for (const [locale, bySlug] of Object.entries(manifest.assets)) {
    assets.set(locale, new Map(Object.entries(bySlug).map(([slug, a]) => [slug, assetOf(a)])));
  }
  return {
    version: manifest.version,
    settings: manifest.settings,
    personas: new Set(manifest.personas),
    assets,
    skippedSegments,
  };
}

// The wire's manifest (contracts/manifest.ts) is this one, field for field: the compiler says so
// both ways, so a change to either without the other fails the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type ManifestMatchesContract = Holds<Same<Manifest, WireManifest>>;
