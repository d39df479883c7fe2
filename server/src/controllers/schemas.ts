/** The admin API's inputs (contracts/admin.ts), as zod schemas: parsed once, at the edge. */
import { z } from 'zod';

import assetSchema from '../../../content-types/asset/schema.json';
import { SLOT_MODES } from '../core/assembly';
import { isValidTimeZone } from '../core/context';
import { FORMATS } from '../core/types';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const slug = text(255).regex(/^[A-Za-z0-9-_.~]+$/, 'must be letters, digits, -, _, . or ~');
const documentId = text(64).min(1, 'must not be empty');

export const paramsSchema = z.object({ documentId });
export const localeQuery = z.object({ locale: text(32).optional() });

export const listAssetsQuery = localeQuery.extend({ q: text(200).optional() });

export const createAssetBody = z
  .object({
    title: text(255).trim().min(1, 'must not be empty'),
    slug: slug.optional(),
    kind: z.enum(assetSchema.attributes.kind.enum as [string, ...string[]]).optional(),
    locale: text(32).optional(),
  })
  .strict();

const candidate = z.object({
  type: z.enum(['chunk', 'asset']),
  documentId,
  weight: z.number().min(0, 'must be 0 or more').nullable().optional(),
});

const slot = z.object({
  key: text(64)
    .min(1, 'must not be empty')
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _, e.g. hero'),
  mode: z.enum(SLOT_MODES, { error: `must be one of ${SLOT_MODES.join(', ')}` }),
  limit: z
    .number()
    .int('must be a whole number')
    .positive('must be a positive whole number')
    .nullable()
    .optional(),
  holdout: z
    .number()
    .int('must be a whole percentage')
    .min(0, 'must be 0 to 100')
    .max(100, 'must be 0 to 100')
    .nullable()
    .optional(),
  candidates: z.array(candidate).max(200, 'must hold at most 200 candidates'),
});

export const saveAssetBody = z
  .object({
    title: text(255).trim().min(1, 'must not be empty').optional(),
    kind: createAssetBody.shape.kind,
    slots: z.array(slot).max(100, 'must hold at most 100 slots'),
  })
  .strict();

export const libraryQuery = z.object({
  type: z.enum(['chunk', 'asset']).optional(),
  q: text(200).optional(),
  persona: text(255).optional(),
  segment: text(255).optional(),
  tag: text(255).optional(),
  locale: text(32).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const readerContext = z
  .object({
    country: text(64).optional(),
    region: text(200).optional(),
    city: text(200).optional(),
    referrer: text(2048).optional(),
    utm: z
      .object({
        source: text(200).optional(),
        medium: text(200).optional(),
        campaign: text(200).optional(),
        term: text(200).optional(),
        content: text(200).optional(),
      })
      .strict()
      .optional(),
    device: z.enum(['mobile', 'tablet', 'desktop']).optional(),
    language: text(64).optional(),
    now: text(64)
      .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date and time')
      .optional(),
    tz: text(64)
      .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin')
      .optional(),
    returning: z.boolean().optional(),
  })
  .strict();

export const READER_CONTEXT_FIELDS = Object.keys(readerContext.shape);

const reader = z
  .object({
    label: text(100).optional(),
    persona: text(255).optional(),
    segments: z.array(text(255)).max(50).optional(),
    context: readerContext.optional(),
  })
  .strict();

const target = {
  asset: text(255).min(1, 'must name an asset by documentId or slug'),
  locale: text(32).optional(),
  status: z.enum(['draft', 'published']).optional(),
  format: z.enum(FORMATS).optional(),
};

export const previewBody = z.object({ ...target, reader }).strict();
export const compareBody = z
  .object({
    ...target,
    readers: z.array(reader).min(1, 'must list at least one reader').max(8, 'at most 8 readers'),
  })
  .strict();

export const coverageQuery = localeQuery.extend({
  status: z.enum(['draft', 'published']).optional(),
});

export const ruleBody = z.object({ rule: z.unknown() });

/** A sample context: the preview's reader fields, and raw context fields (traits, events…). */
export const testRuleBody = z.object({
  rule: z.unknown(),
  context: readerContext
    .extend({
      referrer: z.union([text(2048), z.object({ host: text(255), url: text(2048) }).partial()]),
      device: z.union([
        z.enum(['mobile', 'tablet', 'desktop', 'bot']),
        z.object({ type: z.enum(['mobile', 'tablet', 'desktop', 'bot']) }).partial(),
      ]),
      persona: text(255),
      locale: text(32),
      geo: z.object({ country: text(64), region: text(200), city: text(200) }).partial(),
      time: z.object({
        hour: z.number().int().min(0).max(23),
        weekday: z.number().int().min(1).max(7),
        date: text(10),
      }),
      visitor: z
        .object({
          known: z.boolean(),
          visits: z.number().int().min(0),
          firstSeen: text(64),
          lastSeen: text(64),
          new: z.boolean(),
        })
        .partial(),
      traits: z.record(text(64), z.unknown()),
      affinity: z
        .object({
          personas: z.record(text(255), z.number()),
          tags: z.record(text(255), z.number()),
        })
        .partial(),
      events: z
        .array(
          z.object({
            name: text(100),
            ts: z.number(),
            value: z.number().optional(),
            props: z.record(z.string(), z.unknown()).optional(),
          })
        )
        .max(1000),
    })
    .partial()
    .strict()
    .default({}),
});

const segmentFields = {
  name: text(255).trim().min(1, 'must not be empty'),
  slug,
  priority: z.number().int('must be a whole number'),
  rule: z.unknown(),
};
export const createSegmentBody = z
  .object(segmentFields)
  .partial({ slug: true, priority: true })
  .strict();
export const updateSegmentBody = z.object(segmentFields).partial().strict();
