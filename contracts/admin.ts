/**
 * The admin API behind Mosaic's admin panel: served under `/mosaic` (Strapi's admin routes), each
 * route guarded by `admin::isAuthenticatedAdmin` and `admin::hasPermissions` with one of Mosaic's
 * actions. Shared by the server's admin controllers, the admin's API layer and the tests.
 *
 * Errors use Strapi's shape: `{ error: { status, name, message, details } }`; a validation error is
 * 400 with `details.errors: [{ path: string[], message: string }]`; a cycle of nested assets is 400
 * with `details.cycle: string[]` (the asset slugs, first repeated at the end).
 */
import type { Format } from './delivery';
import type { SlotMode } from './wire';

export { ADMIN_ACTIONS, SLOT_MODES, SLOT_KEY_PATTERN } from './wire';
export type { AdminAction, SlotMode } from './wire';

export type DocumentStatus = 'draft' | 'published' | 'modified';

export interface TagRef {
  slug: string;
  name: string;
}

/** A chunk or an asset as the builder shows it. */
export interface LibraryItem {
  type: 'chunk' | 'asset';
  documentId: string;
  slug: string;
  title: string;
  locale: string | null;
  status: DocumentStatus;
  personas: string[];
  segments: string[];
  tags: string[];
  /** The first words of a chunk's text (empty for assets). */
  excerpt: string;
}

export interface EditorCandidate {
  type: 'chunk' | 'asset';
  documentId: string;
  /** Filled by the server on read; ignored on save. */
  slug?: string;
  title?: string;
  personas?: string[];
  segments?: string[];
  tags?: string[];
  weight?: number | null;
}

export interface EditorSlot {
  key: string;
  mode: SlotMode;
  limit?: number | null;
  /** `experiment` slots: the whole percentage (0–100) of visitors kept out, on the control. */
  holdout?: number | null;
  candidates: EditorCandidate[];
}

export interface EditorAsset {
  documentId: string;
  title: string;
  slug: string;
  kind: string;
  locale: string | null;
  status: DocumentStatus;
  updatedAt: string;
  slots: EditorSlot[];
}

/** GET /mosaic/assets?q=&locale= → the asset list (read). */
export declare namespace ListAssets {
  export interface Request {
    query: { q?: string; locale?: string };
  }
  export interface Response {
    data: Array<Omit<EditorAsset, 'slots'> & { slotCount: number }>;
  }
}

/** GET /mosaic/assets/:documentId?locale= → the draft version of one asset (read); 404 if none. */
export declare namespace GetAsset {
  export interface Response {
    data: EditorAsset;
  }
}

/** POST /mosaic/assets → create a draft asset (edit). */
export declare namespace CreateAsset {
  export interface Request {
    body: { title: string; slug?: string; kind?: string; locale?: string };
  }
  export interface Response {
    data: EditorAsset;
  }
}

/**
 * PUT /mosaic/assets/:documentId?locale= → save the draft (edit). Slot keys unique and non-empty,
 * modes known, limits positive integers, candidates existing; a nested asset that would create a
 * cycle is refused with `details.cycle`. Nothing is written when anything is refused.
 */
export declare namespace SaveAsset {
  export interface Request {
    body: { title?: string; kind?: string; slots: EditorSlot[] };
  }
  export interface Response {
    data: EditorAsset;
  }
}

/** POST /mosaic/assets/:documentId/publish?locale= → publish the draft (edit). */
export declare namespace PublishAsset {
  export interface Response {
    data: EditorAsset;
  }
}

/** GET /mosaic/library?type=chunk|asset&q=&persona=&segment=&tag=&locale=&page=&pageSize= (read). */
export declare namespace SearchLibrary {
  export interface Request {
    query: {
      type?: 'chunk' | 'asset';
      q?: string;
      persona?: string;
      segment?: string;
      tag?: string;
      locale?: string;
      page?: number;
      pageSize?: number;
    };
  }
  export interface Response {
    data: LibraryItem[];
    meta: { pagination: { page: number; pageSize: number; total: number } };
  }
}

export interface ContextFieldInfo {
  field: string;
  type: 'string' | 'number' | 'boolean' | 'string[]';
}

/** GET /mosaic/taxonomy → what the filters, the preview and the rule builder offer (read). */
export declare namespace GetTaxonomy {
  export interface Response {
    data: {
      personas: TagRef[];
      segments: Array<TagRef & { documentId: string; priority: number; rule: unknown }>;
      tags: TagRef[];
      locales: Array<{ code: string; name: string; isDefault: boolean }>;
      contextFields: ContextFieldInfo[];
      operators: string[];
      formats: Format[];
    };
  }
}

/** The reader a preview simulates. `context` takes the delivery API's context fields. */
export interface PreviewReader {
  label?: string;
  persona?: string;
  /** Segments forced as matched, by slug (their rules are not evaluated). */
  segments?: string[];
  context?: {
    country?: string;
    region?: string;
    city?: string;
    referrer?: string;
    utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
    device?: 'mobile' | 'tablet' | 'desktop';
    language?: string;
    /** ISO 8601; the time the rules and schedules see. */
    now?: string;
    tz?: string;
    returning?: boolean;
  };
}

/**
 * POST /mosaic/preview (preview): resolve an asset, drafts included (`status: 'draft'`, the default),
 * as a reader. The response is the delivery API's response with `meta.explain` always present.
 */
export declare namespace Preview {
  export interface Request {
    body: {
      asset: string; // documentId or slug
      locale?: string;
      status?: 'draft' | 'published';
      format?: Format;
      reader: PreviewReader;
    };
  }
  export interface Response {
    data: unknown;
    meta: Record<string, unknown> & { explain: unknown };
  }
}

/** POST /mosaic/preview/compare (preview): the same asset for several readers at once. */
export declare namespace Compare {
  export interface Request {
    body: {
      asset: string;
      locale?: string;
      status?: 'draft' | 'published';
      format?: Format;
      readers: PreviewReader[];
    };
  }
  export interface Response {
    data: {
      readers: Array<{ label: string; data: unknown; meta: Record<string, unknown> }>;
      /** Slot keys whose chosen candidates are not the same for every reader. */
      differingSlots: string[];
    };
  }
}

/** GET /mosaic/coverage/:documentId?locale=&status= (read). */
export declare namespace Coverage {
  export interface Response {
    data: {
      personas: string[]; // persona slugs, plus null for "no persona"
      segments: string[]; // segment slugs, plus null for "no segment matched"
      cells: Array<{
        persona: string | null;
        segment: string | null;
        /** True when every slot serves only untagged (default) candidates for this reader. */
        defaultOnly: boolean;
        /** Slot key → the candidate slugs served. */
        slots: Record<string, string[]>;
      }>;
      unreachable: Array<{
        slot: string;
        candidate: string;
        reason: 'contradiction' | 'shadowed' | 'expired' | 'unpublished';
        message: string;
      }>;
    };
  }
}

/** POST /mosaic/rules/validate (read): `{ rule }` → `{ data: { valid, errors } }`. */
export declare namespace ValidateRule {
  export interface Request {
    body: { rule: unknown };
  }
  export interface Response {
    data: { valid: boolean; errors: Array<{ path: string[]; message: string }> };
  }
}

/** POST /mosaic/rules/test (read): a rule against a sample context. 400 on an invalid rule. */
export declare namespace TestRule {
  export interface Request {
    body: { rule: unknown; context: PreviewReader['context'] & Record<string, unknown> };
  }
  export interface Response {
    data: { matches: boolean };
  }
}

/** POST /mosaic/segments and PUT /mosaic/segments/:documentId (edit): save a segment's rule. */
export declare namespace SaveSegment {
  export interface Request {
    body: { name?: string; slug?: string; priority?: number; rule: unknown };
  }
  export interface Response {
    data: { documentId: string; slug: string; name: string; priority: number; rule: unknown };
  }
}

/** GET /mosaic/where-used/:documentId (read): a chunk's (or asset's) uses. */
export declare namespace WhereUsed {
  export interface AssetRef {
    documentId: string;
    slug: string;
    title: string;
  }
  export interface Response {
    data: {
      /** Assets whose slots list the document directly. */
      direct: Array<{ asset: AssetRef; slots: string[] }>;
      /** Assets that nest one of those, with the path of slugs from the outer asset down. */
      nested: Array<{ asset: AssetRef; path: string[] }>;
    };
  }
}

export interface MosaicSettings {
  allowPersonaParam: boolean;
  consent: 'required' | 'implied';
  geoHeaders: { country?: string; region?: string; city?: string };
  cacheMaxAge: number;
  retentionDays: number;
}

/** GET and PUT /mosaic/settings (settings): stored in the plugin store, over the config file. */
export declare namespace Settings {
  export interface Request {
    body: Partial<MosaicSettings>;
  }
  export interface Response {
    data: MosaicSettings;
  }
}
