/**
 * The tracking and profile routes (`/api/mosaic/events`, `/identify`, `/profile` with the visitor
 * id in `X-Mosaic-Visitor`, and the older `/profiles/:visitorId`): the bodies they take and the
 * answers they give, as zod schemas with the types inferred from them. Shared by the server and
 * the tests; the client publishes the same types without zod (client/wire-types.ts).
 */
import { z } from 'zod';

import { contextEventSchema } from './context';
import { experimentAssignmentSchema } from './delivery';
import { CONSENT_HEADER, VISITOR_HEADER, type Consent } from './wire';

/** A property or trait value: text (bounded), a finite number, a boolean or null. */
export const scalarSchema = z.union([
  z.string().max(256),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);

/** An event name, goal, property or trait name. */
export const keySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ . -');

/** One behaviour event, as a frontend sends it. */
export const behaviourEventSchema = z.strictObject({
  /** `view`, `click` and `conversion` are known; other names are custom. */
  name: keySchema,
  /** A published asset's documentId or slug (any other is refused, as an unknown chunk is). */
  asset: z.string().min(1).max(200).optional(),
  slot: z.string().min(1).max(200).optional(),
  /**
   * A published chunk's documentId or slug: views and clicks raise affinity to its personas and
   * tags. Any other is refused.
   */
  chunk: z.string().min(1).max(200).optional(),
  variantKey: z.string().min(1).max(64).optional(),
  /**
   * For `conversion`: the goal reached (signup, purchase…). A conversion counts for the experiment
   * variants the visitor saw within the attribution window — only `asset`'s when it is given —
   * once per variant, day seen and goal.
   */
  goal: keySchema.optional(),
  value: z.number().finite().optional(),
  props: z
    .record(keySchema, scalarSchema)
    .refine((props) => Object.keys(props).length <= 20, 'may hold at most 20 properties')
    .optional(),
  /** Epoch milliseconds or an ISO date-time; now when absent; not in the future. */
  ts: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
});
export type BehaviourEvent = z.infer<typeof behaviourEventSchema>;

/** The batch's shape for a configured size, built once per size (building a schema is costly). */
const batchSchemas = new Map<number, z.ZodType<{ events: unknown[] }>>();

/**
 * `POST /events`'s body: 1 to `maxBatch` events. Each event is checked on its own afterwards
 * (`behaviourEventSchema`), so that an error names the event's index.
 */
export function eventBatchSchema(maxBatch: number): z.ZodType<{ events: unknown[] }> {
  let schema = batchSchemas.get(maxBatch);
  if (!schema) {
    schema = z.strictObject({
      events: z
        .array(z.unknown())
        .min(1, 'must hold at least one event')
        .max(maxBatch, `may hold at most ${maxBatch} events`),
    });
    batchSchemas.set(maxBatch, schema);
  }
  return schema;
}

/** Trusted traits: at most 50, by name. */
export const traitsSchema = z
  .record(keySchema, scalarSchema)
  .refine((traits) => Object.keys(traits).length <= 50, 'may hold at most 50 traits');

export const identifyBody = z.strictObject({ visitorId: z.string(), traits: traitsSchema });

/**
 * `POST /impressions` (API token): the experiment variants a resolver outside Strapi served to a
 * visitor (the visitor id and consent in headers), as its answer's `meta` says them. The server
 * checks each against the published asset and counts them as a delivery answer's impressions.
 */
export const recordImpressionsBody = z.strictObject({
  /** The slug the answer was resolved for. */
  asset: z.string().min(1).max(200),
  /** The answer's locale (`meta.locale`); the default locale when absent. */
  locale: z.string().min(1).max(50).nullable().optional(),
  /** The answer's `meta.persona`. */
  persona: z.string().max(200).nullable(),
  /** The answer's `meta.segments`. */
  segments: z.array(z.string().max(200)).max(200),
  /** The answer's `meta.experiments` (`counted` may be left in: it is the resolver's, ignored). */
  experiments: z
    .array(experimentAssignmentSchema.extend({ counted: z.boolean().optional() }))
    .min(1, 'must hold at least one experiment')
    .max(100),
});

/** 202 Accepted. `counted`: experiments counted (0 without consent or without a bucket). */
export const recordImpressionsResponse = z.strictObject({
  data: z.strictObject({ counted: z.number().int() }),
  meta: z.strictObject({}),
});

const noMeta = z.strictObject({});

/**
 * 202 Accepted. `profile`: whether the events went into the visitor's profile; `attributed`
 * (when the batch held conversions): experiment variants credited with a conversion.
 */
export const trackEventsResponse = z.strictObject({
  data: z.strictObject({
    accepted: z.number().int(),
    profile: z.boolean(),
    attributed: z.number().int().optional(),
  }),
  meta: noMeta,
});

export const identifyResponse = z.strictObject({
  data: z.strictObject({ traits: z.record(z.string(), scalarSchema) }),
  meta: noMeta,
});

export const exportProfileResponse = z.strictObject({
  data: z.strictObject({
    visits: z.number().int(),
    eventCount: z.number().int(),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
    traits: z.record(z.string(), scalarSchema),
    /** The events kept, oldest first, as `$event` rules read them. */
    events: z.array(contextEventSchema),
  }),
  meta: noMeta,
});

/** 200 when anything was kept about the visitor (404 otherwise); all of it is gone. */
export const eraseProfileResponse = z.strictObject({
  data: z.strictObject({ erased: z.literal(true) }),
  meta: noMeta,
});

/** The visitor's headers, as a server-side frontend sends them. */
interface VisitorHeaders {
  [VISITOR_HEADER]?: string;
  [CONSENT_HEADER]?: Consent;
}

export declare namespace TrackEvents {
  export interface Request {
    /** Visitor id from the `X-Mosaic-Visitor` header or the `mosaic_vid` cookie. */
    headers: VisitorHeaders;
    body: { events: BehaviourEvent[] };
  }
  export type Response = z.infer<typeof trackEventsResponse>;
}

export declare namespace Identify {
  export interface Request {
    body: z.infer<typeof identifyBody>;
  }
  export type Response = z.infer<typeof identifyResponse>;
}

export declare namespace RecordImpressions {
  export interface Request {
    /** The visitor the answer was for, and their consent. */
    headers: VisitorHeaders & Required<Pick<VisitorHeaders, typeof VISITOR_HEADER>>;
    body: z.infer<typeof recordImpressionsBody>;
  }
  export type Response = z.infer<typeof recordImpressionsResponse>;
}

export declare namespace ExportProfile {
  export interface Request {
    /** The visitor id, kept out of the URL (request logs keep URLs). */
    headers: Required<Pick<VisitorHeaders, typeof VISITOR_HEADER>>;
  }
  export type Response = z.infer<typeof exportProfileResponse>;
}

export declare namespace EraseProfile {
  export interface Request {
    headers: Required<Pick<VisitorHeaders, typeof VISITOR_HEADER>>;
  }
  export type Response = z.infer<typeof eraseProfileResponse>;
}
