/**
 * The plugin's configuration (`config/plugins` of the app, key `mosaic.config`), with defaults,
 * validated when Strapi loads it.
 */
import { z } from 'zod';

import { mosaicSettingsSchema } from '../../../contracts/admin';

/** The settings an admin may also change at runtime are checked as the settings route checks them. */
const settings = mosaicSettingsSchema.shape;

export const configSchema = z
  .object({
    /** Whether `?persona=` may choose the persona (turn off when personas must be earned). */
    allowPersonaParam: settings.allowPersonaParam,
    /** Trusted headers a CDN or proxy sets with the visitor's location. */
    geoHeaders: settings.geoHeaders,
    cache: z
      .object({
        /** `Cache-Control: max-age` of public answers, in seconds. */
        maxAge: settings.cacheMaxAge,
        /** Compiled assets and chunks kept in memory. */
        maxEntries: z.number().int().min(1),
        /** Approximate memory the compiled cache may hold, in bytes. */
        maxBytes: z.number().int().min(1024),
      })
      .strict(),
    /**
     * Consenting visitors' profiles kept in memory for their resolves, per instance, in step with
     * every write (and, with Redis, every other instance's): `maxEntries: 0` turns it off; an
     * entry is read again after `ttlMs` whatever happens.
     */
    profileCache: z
      .object({
        maxEntries: z.number().int().min(0),
        maxBytes: z.number().int().min(1024),
        ttlMs: z.number().int().min(0),
      })
      .partial()
      .strict()
      .optional(),
    /** How deep assets may nest inside assets. */
    maxDepth: z.number().int().min(1).max(20),
    /** `required`: profiles only for visitors who said yes; `implied`: unless they said no. */
    consent: settings.consent,
    /**
     * Secret for the HMAC that keys profiles. Leave unset to have one generated per install and
     * kept in Strapi's store; set it (e.g. from an env variable) when several instances share a
     * database.
     */
    visitorSecret: z.string().min(16).optional(),
    /** Profiles and events unseen, and anonymous counters older, than this are purged daily. */
    retentionDays: settings.retentionDays,
    eventLog: z
      .object({
        /** Events kept per visitor: what `$event` rules and affinity read. */
        maxEvents: z.number().int().min(1).max(10000),
        /** Events accepted per request. */
        maxBatch: z.number().int().min(1).max(1000),
        /** Largest request body accepted by the tracking routes, in bytes. */
        maxBodyBytes: z.number().int().min(1024),
        /**
         * How long the first batch waits for others before their shared transaction starts (ms):
         * on SQLite's single connection, without it each request commits alone.
         */
        groupWindowMs: z.number().int().min(0).max(1000),
      })
      .strict(),
    /**
     * Traits to keep in columns of their own, by name and type, so that audience estimates can
     * count the profiles a segment's trait conditions match. Other traits are kept all the same.
     */
    traits: z.record(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'must be a trait name such as plan or lifetimeValue'),
      z.enum(['string', 'integer', 'float', 'boolean', 'datetime'])
    ),
    /**
     * Redis for several instances behind a load balancer: a publish on one instance empties the
     * compiled cache on all of them, and the tracking rate limit is shared. Unset: one instance.
     */
    redis: z
      .object({ url: z.string().min(1) })
      .strict()
      .optional(),
    rateLimit: z
      .object({
        /** Tracking batches one visitor id may send per `duration` seconds. */
        points: z.number().int().min(1),
        duration: z.number().int().min(1),
        /**
         * Tracking batches one client address may send per `duration` seconds, whatever visitor
         * ids it sends (they are the client's to choose). Default: ten visitors' share, for
         * households and offices behind one address. The address is Strapi's `ctx.ip`: set
         * `server.proxy.koa` when Strapi runs behind a proxy; only then is X-Forwarded-For read.
         */
        perAddress: z.number().int().min(1).optional(),
      })
      .strict(),
    /**
     * Crawlers (a user agent Mosaic classifies as `device.type: bot`): by default served as an
     * anonymous reader (an experiment's control), with no profile, no stored events, no counts.
     * `track: true` treats them as anyone else.
     */
    bots: z.object({ track: z.boolean() }).strict(),
    experiments: z
      .object({
        /** Days after seeing a variant during which a visitor's conversion counts for it. */
        attributionDays: z.number().int().min(1).max(90),
        /** How often buffered impressions are written, in milliseconds. */
        flushIntervalMs: z.number().int().min(10).max(60000),
      })
      .strict(),
    /**
     * How the delivery API populates fields an app added to chunks and assets, in Strapi's
     * `populate` syntax, per field: e.g. `{ chunk: { populate: { author: { fields: ['name'] } } } }`.
     * Unlisted media, components and dynamic zones are populated in full, relations as documentId.
     */
    extraFields: z
      .object({
        chunk: z.object({ populate: z.record(z.string(), z.unknown()) }).strict(),
        asset: z.object({ populate: z.record(z.string(), z.unknown()) }).strict(),
      })
      .partial()
      .strict()
      .optional(),
    /**
     * Signed profile summaries for resolvers at the edge (GET /api/mosaic/profile/summary). `secret`
     * (32+ characters, from an env variable) is shared with the resolver (`summaryKey`); unset, one
     * is derived from the visitor secret, which only the server knows. `ttlSeconds`: default 900.
     */
    profileSummary: z
      .object({
        secret: z.string().min(32).optional(),
        ttlSeconds: z.number().int().min(30).max(3600).optional(),
      })
      .strict()
      .optional(),
    affinity: z
      .object({
        /** Days for an interaction's weight to halve. */
        halfLifeDays: z.number().positive(),
        /** Interactions (views; a click counts twice) at which affinity reaches 0.5. */
        saturation: z.number().positive(),
        /** Affinity the leading persona needs before it is inferred as the reader's persona. */
        personaThreshold: z.number().min(0).max(1),
      })
      .strict(),
  })
  .strict();

export type MosaicConfig = z.infer<typeof configSchema>;

export default {
  default: {
    allowPersonaParam: true,
    geoHeaders: { country: 'cf-ipcountry' },
    cache: { maxAge: 60, maxEntries: 1000, maxBytes: 64 * 1024 * 1024 },
    rateLimit: { points: 100, duration: 10 },
    bots: { track: false },
    maxDepth: 5,
    consent: 'required',
    traits: {},
    retentionDays: 180,
    eventLog: { maxEvents: 200, maxBatch: 100, maxBodyBytes: 64 * 1024, groupWindowMs: 5 },
    affinity: { halfLifeDays: 14, saturation: 2, personaThreshold: 0.5 },
    experiments: { attributionDays: 7, flushIntervalMs: 1000 },
  } satisfies z.input<typeof configSchema>,
  validator(config: unknown) {
    const result = configSchema.safeParse(config);
    if (!result.success) {
      const details = result.error.issues
        .map((issue) => `mosaic.${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      throw new Error(`Invalid Mosaic configuration: ${details}`);
    }
  },
};
