/**
 * The admin API behind Mosaic's admin panel: served under `/mosaic` (Strapi's admin routes), each
 * route guarded by `admin::isAuthenticatedAdmin` and `admin::hasPermissions` with one of Mosaic's
 * actions. Inputs and answers as zod schemas, the types inferred from them; shared by the server's
 * admin controllers (which parse their inputs with these), the admin's API layer and the tests.
 *
 * Errors use Strapi's shape (`errorResponse`): a validation error is 400 with
 * `details.errors: [{ path: string[], message: string }]`; a cycle of nested assets is 400 with
 * `details.cycle: string[]` (the asset slugs, first repeated at the end).
 */
import { z } from 'zod';

import assetSchema from '../content-types/asset/schema.json';
import { isValidTimeZone, text } from './common';
import { assetDataSchema, explainSchema, formatSchema } from './delivery';
import { CONTEXT_FIELD_GROUPS, FORMATS, SLOT_KEY_PATTERN, SLOT_MODES } from './wire';

export { ADMIN_ACTIONS, SLOT_MODES, SLOT_KEY_PATTERN } from './wire';
export type { AdminAction, ContextFieldGroup, SlotMode } from './wire';

const slug = text(255).regex(/^[A-Za-z0-9-_.~]+$/, 'must be letters, digits, -, _, . or ~');
const documentId = text(64).min(1, 'must not be empty');

export const DOCUMENT_STATUSES = ['draft', 'published', 'modified'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const tagRefSchema = z.strictObject({ slug: z.string(), name: z.string() });
export type TagRef = z.infer<typeof tagRefSchema>;

// ---------------------------------------------------------------------------------------------
// Inputs: parsed once, at the edge (server/src/controllers/schemas.ts re-exports them).

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

/**
 * POST /mosaic/assets/:documentId/copy?locale=: a new draft asset with the slots of another one
 * (its version in `locale`). Without a title it is a duplicate ("<title> (copy)"); with one, the
 * other asset is the template of a new asset. The slug is made from the title when not given.
 */
export const copyAssetBody = z
  .object({
    title: text(255).trim().min(1, 'must not be empty').optional(),
    slug: slug.optional(),
  })
  .strict();

/** A candidate as the builder saves it: what the server fills in on read is ignored. */
const candidateInput = z.object({
  type: z.enum(['chunk', 'asset']),
  documentId,
  weight: z.number().min(0, 'must be 0 or more').nullable().optional(),
});

const slotInput = z.object({
  key: text(64)
    .min(1, 'must not be empty')
    .regex(SLOT_KEY_PATTERN, 'must be lower-case letters, digits, - or _, e.g. hero'),
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
  candidates: z.array(candidateInput).max(200, 'must hold at most 200 candidates'),
});

export const saveAssetBody = z
  .object({
    title: text(255).trim().min(1, 'must not be empty').optional(),
    kind: createAssetBody.shape.kind,
    slots: z.array(slotInput).max(100, 'must hold at most 100 slots'),
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
    /** ISO 8601; the time the rules and schedules see. */
    now: text(64)
      .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date and time')
      .optional(),
    tz: text(64)
      .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin')
      .optional(),
    returning: z.boolean().optional(),
  })
  .strict();

/** What an editor says about the reader to simulate (a preview's `context`). */
export type ReaderContext = z.infer<typeof readerContext>;

/** The fields a reader is described by: the rest of a rule test's sample is taken as it is. */
export const READER_CONTEXT_FIELDS = Object.keys(readerContext.shape) as (keyof ReaderContext)[];

/** The reader a preview simulates. `context` takes the delivery API's context fields. */
const reader = z
  .object({
    label: text(100).optional(),
    persona: text(255).optional(),
    /** Segments forced as matched, by slug (their rules are not evaluated). */
    segments: z.array(text(255)).max(50).optional(),
    context: readerContext.optional(),
  })
  .strict();
export type PreviewReader = z.infer<typeof reader>;

const target = {
  asset: text(255).min(1, 'must name an asset by documentId or slug'),
  locale: text(32).optional(),
  status: z.enum(['draft', 'published']).optional(),
  format: formatSchema.optional(),
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

/** A request header a CDN or proxy sets, by name (compared in lower case, as Node gives them). */
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
  .transform((name) => name.toLowerCase());

/** The settings an admin may change at runtime, over the config file's values. */
export const mosaicSettingsSchema = z.strictObject({
  /** Whether `?persona=` may choose the persona (turn off when personas must be earned). */
  allowPersonaParam: z.boolean(),
  /** `required`: profiles only for visitors who said yes; `implied`: unless they said no. */
  consent: z.enum(['required', 'implied']),
  /** Trusted headers a CDN or proxy sets with the visitor's location. */
  geoHeaders: z
    .strictObject({ country: headerName, region: headerName, city: headerName })
    .partial(),
  /** `Cache-Control: max-age` of public answers, in seconds. */
  cacheMaxAge: z.number().int().min(0),
  /** Profiles and events unseen, and anonymous counters older, than this are purged daily. */
  retentionDays: z.number().int().min(1),
});
export type MosaicSettings = z.infer<typeof mosaicSettingsSchema>;

/** PUT /mosaic/settings: any of the settings; an unset one follows the config file. */
export const settingsBody = mosaicSettingsSchema.partial();

// ---------------------------------------------------------------------------------------------
// Answers.

export const editorCandidateSchema = z.strictObject({
  type: z.enum(['chunk', 'asset']),
  documentId: z.string(),
  /** Filled by the server on read; ignored on save. */
  slug: z.string().optional(),
  title: z.string().optional(),
  personas: z.array(z.string()).optional(),
  segments: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  weight: z.number().nullable().optional(),
});
export type EditorCandidate = z.infer<typeof editorCandidateSchema>;

export const editorSlotSchema = z.strictObject({
  key: z.string(),
  mode: z.enum(SLOT_MODES),
  limit: z.number().int().nullable().optional(),
  /** `experiment` slots: the whole percentage (0–100) of visitors kept out, on the control. */
  holdout: z.number().int().nullable().optional(),
  candidates: z.array(editorCandidateSchema),
});
export type EditorSlot = z.infer<typeof editorSlotSchema>;

export const editorAssetSchema = z.strictObject({
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  kind: z.string(),
  locale: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  updatedAt: z.string(),
  slots: z.array(editorSlotSchema),
});
export type EditorAsset = z.infer<typeof editorAssetSchema>;

/** A chunk or an asset as the builder shows it. */
export const libraryItemSchema = z.strictObject({
  type: z.enum(['chunk', 'asset']),
  documentId: z.string(),
  slug: z.string(),
  title: z.string(),
  locale: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  personas: z.array(z.string()),
  segments: z.array(z.string()),
  tags: z.array(z.string()),
  /** The first words of a chunk's text (empty for assets). */
  excerpt: z.string(),
});
export type LibraryItem = z.infer<typeof libraryItemSchema>;

export const contextFieldInfoSchema = z.strictObject({
  field: z.string(),
  type: z.enum(['string', 'number', 'boolean', 'string[]', 'datetime']),
  /** Where the rule builder lists the field. */
  group: z.enum(CONTEXT_FIELD_GROUPS),
  /** A human name in English (the admin translates the fields it knows). */
  label: z.string(),
});
export type ContextFieldInfo = z.infer<typeof contextFieldInfoSchema>;

const assetAnswer = z.strictObject({ data: editorAssetSchema });

/** The delivery API's meta as the preview shows it: always explained, forced segments named. */
const previewMeta = z.strictObject({
  persona: z.string().nullable(),
  segments: z.array(z.string()),
  variantKey: z.string(),
  explain: explainSchema.extend({ forcedSegments: z.array(z.string()) }),
});

const assetRef = z.strictObject({ documentId: z.string(), slug: z.string(), title: z.string() });

const segmentAnswer = z.strictObject({
  documentId: z.string(),
  slug: z.string(),
  name: z.string(),
  priority: z.number(),
  rule: z.unknown(),
});

/** What targets a segment: the chunks tagged with it, and the assets whose slots offer them. */
const segmentUses = z.strictObject({
  chunks: z.array(assetRef),
  assets: z.array(z.strictObject({ asset: assetRef, slots: z.array(z.string()) })),
});

/** Every admin route's answer, by the name the namespaces below use. */
export const adminResponses = {
  /** GET /mosaic/assets?q=&locale= → the asset list (read). */
  listAssets: z.strictObject({
    data: z.array(editorAssetSchema.omit({ slots: true }).extend({ slotCount: z.number().int() })),
  }),
  /** GET /mosaic/assets/:documentId?locale= → the draft version of one asset (read); 404 if none. */
  getAsset: assetAnswer,
  /** POST /mosaic/assets → create a draft asset (edit). */
  createAsset: assetAnswer,
  /**
   * PUT /mosaic/assets/:documentId?locale= → save the draft (edit). Slot keys unique and
   * non-empty, modes known, limits positive integers, candidates existing; a nested asset that
   * would create a cycle is refused with `details.cycle`. Nothing is written when anything is
   * refused.
   */
  saveAsset: assetAnswer,
  /** POST /mosaic/assets/:documentId/publish?locale= → publish the draft (edit). */
  publishAsset: assetAnswer,
  /** GET /mosaic/library?type=chunk|asset&q=&persona=&segment=&tag=&locale=&page=&pageSize= (read). */
  searchLibrary: z.strictObject({
    data: z.array(libraryItemSchema),
    meta: z.strictObject({
      pagination: z.strictObject({
        page: z.number().int(),
        pageSize: z.number().int(),
        total: z.number().int(),
      }),
    }),
  }),
  /** GET /mosaic/taxonomy → what the filters, the preview and the rule builder offer (read). */
  taxonomy: z.strictObject({
    data: z.strictObject({
      personas: z.array(tagRefSchema),
      segments: z.array(
        tagRefSchema.extend({
          documentId: z.string(),
          priority: z.number(),
          rule: z.unknown(),
        })
      ),
      tags: z.array(tagRefSchema),
      locales: z.array(
        z.strictObject({ code: z.string(), name: z.string(), isDefault: z.boolean() })
      ),
      contextFields: z.array(contextFieldInfoSchema),
      /** Strapi's operators, `$event`, and the operators the app registered. */
      operators: z.array(z.string()),
      formats: z.array(z.enum(FORMATS)),
    }),
  }),
  /**
   * POST /mosaic/preview (preview): resolve an asset, drafts included (`status: 'draft'`, the
   * default), as a reader: the delivery API's answer with `meta.explain` always present.
   */
  preview: z.strictObject({ data: assetDataSchema, meta: previewMeta }),
  /** POST /mosaic/preview/compare (preview): the same asset for several readers at once. */
  compare: z.strictObject({
    data: z.strictObject({
      readers: z.array(
        z.strictObject({ label: z.string(), data: assetDataSchema, meta: previewMeta })
      ),
      /** Slot keys whose chosen candidates are not the same for every reader. */
      differingSlots: z.array(z.string()),
    }),
  }),
  /** GET /mosaic/coverage/:documentId?locale=&status= (read). */
  coverage: z.strictObject({
    data: z.strictObject({
      /** Persona slugs, plus null for "no persona". */
      personas: z.array(z.string().nullable()),
      /** Segment slugs, plus null for "no segment matched". */
      segments: z.array(z.string().nullable()),
      cells: z.array(
        z.strictObject({
          persona: z.string().nullable(),
          segment: z.string().nullable(),
          /** True when every slot serves only untagged (default) candidates for this reader. */
          defaultOnly: z.boolean(),
          /** Slot key → the candidate slugs served. */
          slots: z.record(z.string(), z.array(z.string())),
        })
      ),
      unreachable: z.array(
        z.strictObject({
          slot: z.string(),
          candidate: z.string(),
          reason: z.enum(['contradiction', 'shadowed', 'expired', 'unpublished']),
          message: z.string(),
        })
      ),
    }),
  }),
  /** POST /mosaic/rules/validate (read): `{ rule }` → whether it is valid, and why not. */
  validateRule: z.strictObject({
    data: z.strictObject({
      valid: z.boolean(),
      errors: z.array(z.strictObject({ path: z.array(z.string()), message: z.string() })),
    }),
  }),
  /** POST /mosaic/rules/test (read): a rule against a sample context. 400 on an invalid rule. */
  testRule: z.strictObject({ data: z.strictObject({ matches: z.boolean() }) }),
  /** POST /mosaic/segments and PUT /mosaic/segments/:documentId (edit): save a segment's rule. */
  saveSegment: z.strictObject({ data: segmentAnswer }),
  /** GET /mosaic/where-used/:documentId (read): a chunk's (or asset's) uses. */
  whereUsed: z.strictObject({
    data: z.strictObject({
      /** Assets whose slots list the document directly. */
      direct: z.array(z.strictObject({ asset: assetRef, slots: z.array(z.string()) })),
      /** Assets that nest one of those, with the path of slugs from the outer asset down. */
      nested: z.array(z.strictObject({ asset: assetRef, path: z.array(z.string()) })),
    }),
  }),
  /**
   * POST /mosaic/assets/:documentId/copy?locale= (edit): duplicate an asset, or start a new one
   * from it as a template (`copyAssetBody`): a new draft, 201.
   */
  copyAsset: assetAnswer,
  /**
   * DELETE /mosaic/assets/:documentId?locale= (edit): delete the asset's version in that locale,
   * draft and published. Refused with 409 while another asset nests it: `details.usedBy` holds the
   * where-used answer (`direct`, `nested`) so the admin can link to those assets.
   */
  deleteAsset: z.strictObject({
    data: z.strictObject({
      documentId: z.string(),
      slug: z.string(),
      locale: z.string().nullable(),
    }),
  }),
  /** GET and PUT /mosaic/settings (settings): stored in the plugin store, over the config file. */
  settings: z.strictObject({ data: mosaicSettingsSchema }),
  /** GET /mosaic/cache (settings): the compiled cache's counters. */
  cacheStats: z.strictObject({
    data: z.strictObject({
      entries: z.number().int(),
      bytes: z.number(),
      hits: z.number().int(),
      misses: z.number().int(),
      rendered: z.strictObject({ hits: z.number().int(), misses: z.number().int() }),
      evictions: z.number().int(),
      generation: z.number().int(),
    }),
  }),
  /** POST /mosaic/segments/:documentId/duplicate (edit): a copy named "… (copy)", free slug. */
  duplicateSegment: z.strictObject({ data: segmentAnswer }),
  /** GET /mosaic/segments/:documentId/where-used (read): chunks targeted at it, their assets. */
  segmentUses: z.strictObject({ data: segmentUses }),
  /**
   * DELETE /mosaic/segments/:documentId (edit): refused (400, `details.uses`) while a chunk is
   * targeted at the segment, so that no targeted variant silently becomes everyone's default.
   */
  deleteSegment: z.strictObject({ data: z.strictObject({ documentId: z.string() }) }),
  /** POST /mosaic/audience (read): how many known profiles a rule's trait conditions match. */
  audience: z.strictObject({
    data: z.strictObject({
      /** Profiles whose traits satisfy the rule (an upper bound unless `exact`). */
      matching: z.number().int(),
      /** Known profiles in all. */
      total: z.number().int(),
      /** False when the rule also depends on the request or behaviour, which no profile answers. */
      exact: z.boolean(),
    }),
  }),
};

type Answer<K extends keyof typeof adminResponses> = z.infer<(typeof adminResponses)[K]>;

export declare namespace ListAssets {
  export interface Request {
    query: z.infer<typeof listAssetsQuery>;
  }
  export type Response = Answer<'listAssets'>;
}

export declare namespace GetAsset {
  export type Response = Answer<'getAsset'>;
}

export declare namespace CreateAsset {
  export interface Request {
    body: z.input<typeof createAssetBody>;
  }
  export type Response = Answer<'createAsset'>;
}

export declare namespace SaveAsset {
  export interface Request {
    body: { title?: string; kind?: string; slots: EditorSlot[] };
  }
  export type Response = Answer<'saveAsset'>;
}

export declare namespace PublishAsset {
  export type Response = Answer<'publishAsset'>;
}

export declare namespace SearchLibrary {
  export interface Request {
    query: z.input<typeof libraryQuery>;
  }
  export type Response = Answer<'searchLibrary'>;
}

export declare namespace GetTaxonomy {
  export type Response = Answer<'taxonomy'>;
}

export declare namespace Preview {
  export interface Request {
    body: z.input<typeof previewBody>;
  }
  export type Response = Answer<'preview'>;
}

export declare namespace Compare {
  export interface Request {
    body: z.input<typeof compareBody>;
  }
  export type Response = Answer<'compare'>;
}

export declare namespace Coverage {
  export type Response = Answer<'coverage'>;
}

export declare namespace ValidateRule {
  export interface Request {
    body: z.input<typeof ruleBody>;
  }
  export type Response = Answer<'validateRule'>;
}

export declare namespace TestRule {
  export interface Request {
    body: z.input<typeof testRuleBody>;
  }
  export type Response = Answer<'testRule'>;
}

export declare namespace SaveSegment {
  export interface Request {
    body: z.input<typeof updateSegmentBody>;
  }
  export type Response = Answer<'saveSegment'>;
}

export declare namespace WhereUsed {
  export type AssetRef = z.infer<typeof assetRef>;
  export type Response = Answer<'whereUsed'>;
}

export declare namespace Settings {
  export interface Request {
    body: z.input<typeof settingsBody>;
  }
  export type Response = Answer<'settings'>;
}

export declare namespace CacheStats {
  export type Response = Answer<'cacheStats'>;
}

export declare namespace Audience {
  export interface Request {
    body: { rule: unknown };
  }
  export type Response = Answer<'audience'>;
}

export declare namespace DuplicateSegment {
  export type Response = Answer<'duplicateSegment'>;
}

export declare namespace SegmentUses {
  export type Response = Answer<'segmentUses'>;
}

export declare namespace DeleteSegment {
  export type Response = Answer<'deleteSegment'>;
}

export declare namespace CopyAsset {
  export interface Request {
    body: z.input<typeof copyAssetBody>;
  }
  export type Response = Answer<'copyAsset'>;
}

export declare namespace DeleteAsset {
  export type Response = Answer<'deleteAsset'>;
}
