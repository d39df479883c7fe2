/**
 * `GET /api/mosaic/manifest` (permission `manifest.read`, API tokens): what a standalone resolver
 * needs, compiled and versioned. The answer's `ETag` is `"<version>"`; `If-None-Match` with it
 * gets a 304. The core's `Manifest` (server/src/core/manifest.ts) is held equal to this by the
 * compiler.
 */
import { z } from 'zod';

import { SLOT_MODES } from './wire';

export const FIELD_TYPES = ['string', 'integer', 'float', 'boolean', 'datetime'] as const;

const manifestChunk = z.strictObject({
  documentId: z.string(),
  slug: z.string(),
  title: z.string(),
  locale: z.string().nullable(),
  version: z.string(),
  personas: z.array(z.string()),
  segments: z.array(z.string()),
  tags: z.array(z.string()),
  availableFrom: z.number().nullable(),
  availableUntil: z.number().nullable(),
  body: z.array(z.record(z.string(), z.unknown())),
  extra: z.record(z.string(), z.unknown()),
});

// A slot's candidates may be nested assets, so the asset's type is written out (zod cannot infer
// a recursive type) and its schema is checked against it.
export interface ManifestAsset {
  documentId: string;
  slug: string;
  locale: string | null;
  version: string;
  extra: Record<string, unknown>;
  slots: ManifestSlot[];
}
export interface ManifestSlot {
  key: string;
  mode: (typeof SLOT_MODES)[number];
  limit: number | null;
  holdout: number;
  candidates: ManifestCandidate[];
}
export type ManifestCandidate = { weight: number | null } & (
  | { kind: 'chunk'; ref: string; chunk: string | null }
  | { kind: 'asset'; ref: string; asset: ManifestAsset | null; refused?: 'cycle' | 'depth' }
);

const manifestAsset: z.ZodType<ManifestAsset> = z.lazy(() =>
  z.strictObject({
    documentId: z.string(),
    slug: z.string(),
    locale: z.string().nullable(),
    version: z.string(),
    extra: z.record(z.string(), z.unknown()),
    slots: z.array(manifestSlot),
  })
);

const manifestSlot: z.ZodType<ManifestSlot> = z.strictObject({
  key: z.string(),
  mode: z.enum(SLOT_MODES),
  limit: z.number().nullable(),
  holdout: z.number(),
  candidates: z.array(
    z.union([
      z.strictObject({
        weight: z.number().nullable(),
        kind: z.literal('chunk'),
        ref: z.string(),
        chunk: z.string().nullable(),
      }),
      z.strictObject({
        weight: z.number().nullable(),
        kind: z.literal('asset'),
        ref: z.string(),
        asset: manifestAsset.nullable(),
        refused: z.enum(['cycle', 'depth']).optional(),
      }),
    ])
  ),
});

export const manifestSchema = z.strictObject({
  schema: z.literal(1),
  version: z.string(),
  settings: z.strictObject({
    defaultLocale: z.string().nullable(),
    locales: z.array(z.string()),
    allowPersonaParam: z.boolean(),
    personaThreshold: z.number(),
    geoHeaders: z.strictObject({
      country: z.string().optional(),
      region: z.string().optional(),
      city: z.string().optional(),
    }),
    botsTracked: z.boolean(),
    fieldTypes: z.record(z.string(), z.enum(FIELD_TYPES)),
    /** Profile summaries issued before this (seconds since the epoch) are refused: the last erasure. */
    summaryNotBefore: z.number().int().nullable(),
  }),
  personas: z.array(z.string()),
  segments: z.array(z.strictObject({ slug: z.string(), priority: z.number(), rule: z.unknown() })),
  chunks: z.record(z.string(), manifestChunk),
  assets: z.record(z.string(), z.record(z.string(), manifestAsset)),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const getManifestResponse = z.strictObject({
  data: manifestSchema,
  meta: z.strictObject({ version: z.string() }),
});
export type GetManifestResponse = z.infer<typeof getManifestResponse>;
