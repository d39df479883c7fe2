/**
 * `GET /api/mosaic/profile/summary` (public, like delivery; the visitor id and consent in the
 * X-Mosaic-Visitor / X-Mosaic-Consent headers or their cookies): a consenting visitor's signed,
 * expiring profile summary for a resolver at the edge. `token` is what the resolver verifies;
 * `summary` is its payload, for reading. The core's `ProfileSummary` (server/src/core/summary.ts)
 * is held equal to this by the compiler.
 */
import { z } from 'zod';

const affinities = z.record(z.string(), z.number());

export const profileSummarySchema = z.strictObject({
  v: z.literal(1),
  kid: z.string(),
  sub: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  consent: z.enum(['required', 'implied']),
  persona: z.string().nullable(),
  affinity: z.strictObject({ personas: affinities, tags: affinities }),
  segments: z.array(z.string()),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;

export const getProfileSummaryResponse = z.strictObject({
  data: z.strictObject({
    token: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
    summary: profileSummarySchema,
    expiresAt: z.iso.datetime(),
  }),
});
export type GetProfileSummaryResponse = z.infer<typeof getProfileSummaryResponse>;
