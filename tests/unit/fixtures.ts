/**
 * Compiled chunks and assets as the loader hands them to the core: the fixtures the core's unit
 * tests share, so that a field added to the compiled shapes is added here once. Every fixture is
 * plain, published and always available unless a test says otherwise.
 */
import type {
  CompiledAsset,
  CompiledCandidate,
  CompiledChunk,
  CompiledSlot,
} from '../../server/src/core/assembly';
import { compileRule } from '../../server/src/core/rules';
import { CONTEXT_FIELDS, type BlocksContent } from '../../server/src/core/types';

/** The moment the tests resolve at: noon UTC on Monday 1 June 2026. */
export const NOW = Date.parse('2026-06-01T12:00:00Z');

/** One paragraph of text, merge fields (`{{traits.firstName|friend}}`) included. */
export const paragraph = (text: string): BlocksContent => [
  { type: 'paragraph', children: [{ type: 'text', text }] },
];

/** Chunk `slug` (documentId `doc-<slug>`), untagged, in English, saying its own slug. */
export function compiledChunk(slug: string, fields: Partial<CompiledChunk> = {}): CompiledChunk {
  return {
    documentId: `doc-${slug}`,
    slug,
    title: slug,
    locale: 'en',
    version: 'v1',
    personas: [],
    segments: [],
    tags: [],
    availableFrom: null,
    availableUntil: null,
    body: paragraph(slug),
    extra: {},
    templates: {},
    ...fields,
  };
}

/** A chunk offered to a slot; `weight` is its share in an `experiment` slot (null: equal). */
export const chunkCandidate = (
  chunk: CompiledChunk,
  weight: number | null = null
): CompiledCandidate => ({ kind: 'chunk', ref: chunk.documentId, weight, chunk });

/** A slot offering these chunks, in the editor's order. */
export const chunkSlot = (
  key: string,
  mode: CompiledSlot['mode'],
  chunks: CompiledChunk[],
  limit: number | null = null
): CompiledSlot => ({ key, mode, limit, candidates: chunks.map((c) => chunkCandidate(c)) });

export interface SegmentFixture {
  slug: string;
  /** Strapi-style filters over the request context, as an editor saves them. */
  rule: unknown;
  priority?: number;
}

/** Asset `home` (documentId `doc-home`) with these slots and the segments its chunks reference. */
export function compiledAsset(
  slots: CompiledSlot[],
  segments: SegmentFixture[] = []
): CompiledAsset {
  return {
    documentId: 'doc-home',
    slug: 'home',
    locale: 'en',
    version: 'v1',
    slots,
    segments: new Map(
      segments.map(({ slug, rule, priority = 0 }) => [
        slug,
        { slug, priority, rule: compileRule(rule, undefined, CONTEXT_FIELDS) },
      ])
    ),
  };
}
