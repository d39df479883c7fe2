/**
 * The request context (PRODUCT.md, *Context*): what rules and selection see, and what an
 * explanation shows. The pure core works on this type; `server/src/core/types.ts` re-exports it.
 */
import { z } from 'zod';

import { DEVICE_TYPES } from './wire';

/**
 * A behaviour event as a profile keeps it and `$event` rules read it: `ts` is milliseconds since
 * the epoch; an event about a chunk carries the chunk's personas and tags (what affinity reads).
 */
export const contextEventSchema = z.strictObject({
  name: z.string(),
  ts: z.number(),
  asset: z.string().optional(),
  slot: z.string().optional(),
  chunk: z.string().optional(),
  variantKey: z.string().optional(),
  value: z.number().optional(),
  props: z.record(z.string(), z.unknown()).optional(),
  personas: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
});
export type ContextEvent = z.infer<typeof contextEventSchema>;

/** Everything known about one request. Every field may be absent. */
export const contextSchema = z.strictObject({
  persona: z.string().optional(),
  locale: z.string().optional(),
  utm: z
    .strictObject({
      source: z.string(),
      medium: z.string(),
      campaign: z.string(),
      term: z.string(),
      content: z.string(),
    })
    .partial()
    .optional(),
  referrer: z.strictObject({ host: z.string(), url: z.string() }).partial().optional(),
  device: z.strictObject({ type: z.enum(DEVICE_TYPES).optional() }).optional(),
  geo: z
    .strictObject({ country: z.string(), region: z.string(), city: z.string() })
    .partial()
    .optional(),
  time: z.strictObject({ hour: z.number(), weekday: z.number(), date: z.string() }).optional(),
  visitor: z
    .strictObject({
      known: z.boolean(),
      visits: z.number(),
      firstSeen: z.string(),
      lastSeen: z.string(),
      new: z.boolean(),
    })
    .partial()
    .optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
  affinity: z
    .strictObject({
      personas: z.record(z.string(), z.number()),
      tags: z.record(z.string(), z.number()),
    })
    .partial()
    .optional(),
  /** The visitor's behaviour log, newest last; what `$event` rules read. */
  events: z.array(contextEventSchema).optional(),
});
export type Context = z.infer<typeof contextSchema>;

/** Strapi blocks JSON (the `blocks` field type), kept loose: editors and the API can send anything. */
export type BlocksContent = Array<Record<string, unknown>>;
