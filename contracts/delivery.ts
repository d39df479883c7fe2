/**
 * The delivery API (`/api/mosaic`): its query parameters and its answers, as zod schemas with the
 * types inferred from them. Shared by the server, the admin and the tests; the client publishes
 * the same types without zod (client/wire-types.ts, held to these by the compiler). One namespace
 * of types per endpoint, as Strapi's content-releases does.
 */
import { z } from 'zod';

import { isValidTimeZone, text } from './common';
import { contextSchema } from './context';
import { FORMATS, SLOT_MODES, type Format } from './wire';

export { FORMATS };
export type { Format };
export type { ApiError } from './common';
export { apiErrorSchema, errorResponse } from './common';

/** A built-in format, or one the app registered (`registerFormat`), such as the playground's `mrkdwn`. */
export type AnyFormat = Format | (string & {});

/**
 * The query parameters of `GET /assets/:slug` and `/chunks/:slug`. The server checks them by hand
 * on its hot path (server/src/core/query.ts); a property test holds that parser to this schema.
 * Unknown parameters are ignored.
 */
export const deliveryQuerySchema = z.object({
  format: text(32).optional(),
  locale: text(32).optional(),
  persona: text(100).optional(),
  explain: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional(),
  // One message for an overlong zone: its length, not also that no zone is called that.
  tz: z
    .string()
    .max(64, { error: 'must be at most 64 characters', abort: true })
    .refine(isValidTimeZone, {
      error: (issue) =>
        `Unknown time zone '${issue.input}': use an IANA zone such as Europe/Berlin`,
    })
    .optional(),
  ref: text(2048).optional(),
  utm_source: text(200).optional(),
  utm_medium: text(200).optional(),
  utm_campaign: text(200).optional(),
  utm_term: text(200).optional(),
  utm_content: text(200).optional(),
});
export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

/** A chunk as delivered. Fields an app adds to the chunk content type come through as they are. */
export const deliveredChunkSchema = z
  .object({
    documentId: z.string(),
    slug: z.string(),
    title: z.string(),
    locale: z.string().nullable(),
    /** Blocks JSON for `format=json`, a string for the other formats. */
    content: z.unknown(),
  })
  .catchall(z.unknown());
export type DeliveredChunk = z.infer<typeof deliveredChunkSchema>;

export const SKIP_REASONS = [
  'unpublished',
  'outside-schedule',
  'persona-mismatch',
  'segment-mismatch',
  'empty-asset',
  'cycle',
  'too-deep',
  'not-chosen',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What an `experiment` slot served one visitor (PRODUCT.md, *Selection*). */
export const experimentAssignmentSchema = z.strictObject({
  /** The experiment key: `<asset documentId>:<slot key>`. */
  key: z.string(),
  /** documentId of the asset holding the slot (a nested asset's for a nested slot). */
  asset: z.string(),
  slot: z.string(),
  /** documentId of the candidate served. */
  variant: z.string(),
  /** In the holdout: served the first eligible candidate, outside the test. */
  holdout: z.boolean(),
  /** False when the request carried no visitor id: the first eligible candidate, no bucket. */
  bucketed: z.boolean(),
});
export type ExperimentAssignment = z.infer<typeof experimentAssignmentSchema>;

/** Where the persona came from: the query parameter, a trusted trait, or the visitor's affinity. */
export const PERSONA_SOURCES = ['param', 'trait', 'affinity'] as const;
export type PersonaSource = (typeof PERSONA_SOURCES)[number];

/** `meta.explain` (`?explain=true`): why each candidate was or was not served. */
export const explainSchema = z.strictObject({
  persona: z.strictObject({
    requested: z.string().nullable(),
    source: z.enum(PERSONA_SOURCES).nullable(),
    /** Whether the requested persona exists; null when none was requested. */
    known: z.boolean().nullable(),
  }),
  /** Whether the visitor's stored profile was used (consent given and a visitor id sent). */
  profile: z.boolean(),
  /** What the request carried; what a profile or an enricher added only for an API token. */
  context: contextSchema,
  segments: z.array(z.strictObject({ slug: z.string(), matched: z.boolean() })),
  slots: z.array(
    z.strictObject({
      key: z.string(),
      mode: z.enum(SLOT_MODES),
      candidates: z.array(
        z.strictObject({
          kind: z.enum(['chunk', 'asset']),
          documentId: z.string(),
          slug: z.string().nullable(),
          chosen: z.boolean(),
          reason: z.enum([...SKIP_REASONS, 'eligible']),
          score: z.number().optional(),
        })
      ),
      experiment: experimentAssignmentSchema.optional(),
    })
  ),
});
export type Explain = z.infer<typeof explainSchema>;

/** An asset's `data`. Fields an app adds to the asset content type come through as they are. */
export const assetDataSchema = z
  .object({
    slug: z.string(),
    locale: z.string().nullable(),
    format: z.string(),
    slots: z.array(z.strictObject({ key: z.string(), chunks: z.array(deliveredChunkSchema) })),
  })
  .catchall(z.unknown());

/** What every delivery answer's `meta` may say besides its own fields. */
const commonMeta = {
  persona: z.string().nullable(),
  variantKey: z.string(),
  warnings: z.array(z.string()).optional(),
  /** The media type of an app format's content (absent for the built-in formats). */
  contentType: z.string().optional(),
  /**
   * Present when the database was unreachable and the answer was served from what Mosaic held
   * in memory (content as it was, or a consenting visitor resolved without their profile); the
   * `X-Mosaic-Stale: 1` header says the same.
   */
  stale: z.literal(true).optional(),
};

/**
 * `GET /assets/:slug` and `POST /assets/:slug/resolve`. An app's `afterResolve` hook may add to
 * `meta`; what is here is what Mosaic itself sends.
 */
export const resolveAssetResponse = z.strictObject({
  data: assetDataSchema,
  meta: z.strictObject({
    ...commonMeta,
    segments: z.array(z.string()),
    /**
     * Present when the asset has `experiment` slots. `counted`: the impression is measured (a
     * visitor id and consent: counting keeps the HMAC of the id, bucketing keeps nothing).
     */
    experiments: z
      .array(experimentAssignmentSchema.extend({ counted: z.boolean() }).strict())
      .optional(),
    explain: explainSchema.optional(),
  }),
});

/** `GET /chunks/:slug`: one chunk rendered in a format. */
export const getChunkResponse = z.strictObject({
  data: deliveredChunkSchema.extend({ format: z.string() }),
  meta: z.strictObject(commonMeta),
});

export declare namespace ResolveAsset {
  export interface Request {
    params: { slug: string };
    query: DeliveryQuery;
  }
  export type Response = z.infer<typeof resolveAssetResponse>;
}

export declare namespace GetChunk {
  export interface Request {
    params: { slug: string };
    query: Omit<DeliveryQuery, 'explain'>;
  }
  export type Response = z.infer<typeof getChunkResponse>;
}

/** `FORMATS` as a zod enum, for the admin routes that take only built-in formats. */
export const formatSchema = z.enum(FORMATS);
