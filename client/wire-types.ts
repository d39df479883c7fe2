/**
 * The wire's types as the client publishes them. The source of truth is contracts/ (zod schemas,
 * types inferred from them), but a zero-dependency package cannot ship declarations that import
 * zod: these are written out, and client/wire-types.check.ts has the compiler hold them equal to
 * the contracts' types, so that neither can change alone.
 */
import type { Consent, DeviceType, Format } from '../contracts/wire.js';

export type { Consent, Format };

/** A built-in format, or one the app registered (`registerFormat`), such as the playground's `mrkdwn`. */
export type AnyFormat = Format | (string & {});

/** The `error` of a refused request (Strapi's shape). */
export interface ApiError {
  status: number;
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface DeliveryQuery {
  format?: string;
  locale?: string;
  persona?: string;
  explain?: 'true' | 'false';
  tz?: string;
  ref?: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
}

export interface DeliveredChunk {
  documentId: string;
  slug: string;
  title: string;
  locale: string | null;
  /** Blocks JSON for `format=json`, a string for the other formats. */
  content: unknown;
  /** Fields an app adds to the chunk content type come through as they are. */
  [extra: string]: unknown;
}

/** A behaviour event as a profile keeps it: `ts` in epoch milliseconds. */
export interface StoredEvent {
  name: string;
  ts: number;
  asset?: string;
  slot?: string;
  chunk?: string;
  variantKey?: string;
  value?: number;
  props?: Record<string, unknown>;
  /** An event about a chunk: the chunk's personas and tags. */
  personas?: string[];
  tags?: string[];
}

/** What the request carried (PRODUCT.md, *Context*), as `meta.explain` shows it. */
export interface Context {
  persona?: string;
  locale?: string;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  referrer?: { host?: string; url?: string };
  device?: { type?: DeviceType };
  geo?: { country?: string; region?: string; city?: string };
  time?: { hour: number; weekday: number; date: string };
  visitor?: {
    known?: boolean;
    visits?: number;
    firstSeen?: string;
    lastSeen?: string;
    new?: boolean;
  };
  traits?: Record<string, unknown>;
  affinity?: { personas?: Record<string, number>; tags?: Record<string, number> };
  events?: StoredEvent[];
}

export type SkipReason =
  | 'unpublished'
  | 'outside-schedule'
  | 'persona-mismatch'
  | 'segment-mismatch'
  | 'empty-asset'
  | 'cycle'
  | 'too-deep'
  | 'not-chosen';

/** What an `experiment` slot served one visitor. */
export interface ExperimentAssignment {
  /** The experiment key: `<asset documentId>:<slot key>`. */
  key: string;
  asset: string;
  slot: string;
  /** documentId of the candidate served. */
  variant: string;
  /** In the holdout: served the first eligible candidate, outside the test. */
  holdout: boolean;
  /** False when the request carried no visitor id: the first eligible candidate, no bucket. */
  bucketed: boolean;
}

/** `meta.explain` (`explain: true`): why each candidate was or was not served. */
export interface Explain {
  persona: {
    requested: string | null;
    /** The query parameter, a trusted trait, or the visitor's affinity. */
    source: 'param' | 'trait' | 'affinity' | null;
    known: boolean | null;
  };
  /** Whether the visitor's stored profile was used. */
  profile: boolean;
  context: Context;
  segments: Array<{ slug: string; matched: boolean }>;
  slots: Array<{
    key: string;
    mode: 'first' | 'best' | 'all' | 'experiment';
    candidates: Array<{
      kind: 'chunk' | 'asset';
      documentId: string;
      slug: string | null;
      chosen: boolean;
      reason: SkipReason | 'eligible';
      score?: number;
    }>;
    experiment?: ExperimentAssignment;
  }>;
}

export declare namespace ResolveAsset {
  export interface Request {
    params: { slug: string };
    query: DeliveryQuery;
  }
  export interface Response {
    data: {
      slug: string;
      locale: string | null;
      format: string;
      slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
      /** Fields an app adds to the asset content type come through as they are. */
      [extra: string]: unknown;
    };
    meta: {
      persona: string | null;
      segments: string[];
      variantKey: string;
      warnings?: string[];
      /** Present when the asset has `experiment` slots; `counted`: the impression is measured. */
      experiments?: Array<ExperimentAssignment & { counted: boolean }>;
      /** The media type of an app format's content (absent for the built-in formats). */
      contentType?: string;
      explain?: Explain;
      /** Served from memory while the database was unreachable (`X-Mosaic-Stale: 1`). */
      stale?: true;
    };
  }
}

export declare namespace GetChunk {
  export interface Request {
    params: { slug: string };
    query: Omit<DeliveryQuery, 'explain'>;
  }
  export interface Response {
    data: DeliveredChunk & { format: string };
    meta: {
      persona: string | null;
      variantKey: string;
      warnings?: string[];
      contentType?: string;
      stale?: true;
    };
  }
}

type Scalar = string | number | boolean | null;

export interface BehaviourEvent {
  /** `view`, `click` and `conversion` are known; other names are custom. */
  name: string;
  /** A published asset's documentId or slug. */
  asset?: string;
  slot?: string;
  /** A published chunk's documentId or slug: views and clicks raise affinity to its topics. */
  chunk?: string;
  variantKey?: string;
  /** For `conversion`: the goal reached (signup, purchase…). */
  goal?: string;
  value?: number;
  props?: Record<string, Scalar>;
  /** Epoch milliseconds or an ISO date-time; now when absent; not in the future. */
  ts?: number | string;
}

export declare namespace TrackEvents {
  export interface Request {
    /** Visitor id from the `X-Mosaic-Visitor` header or the `mosaic_vid` cookie. */
    headers: { 'X-Mosaic-Visitor'?: string; 'X-Mosaic-Consent'?: Consent };
    body: { events: BehaviourEvent[] };
  }
  /** 202 Accepted; `attributed` when the batch held conversions. */
  export interface Response {
    data: { accepted: number; profile: boolean; attributed?: number };
    meta: Record<string, never>;
  }
}

export declare namespace Identify {
  export interface Request {
    body: { visitorId: string; traits: Record<string, Scalar> };
  }
  export interface Response {
    data: { traits: Record<string, Scalar> };
    meta: Record<string, never>;
  }
}

export declare namespace ExportProfile {
  export interface Request {
    /** The visitor id, kept out of the URL (request logs keep URLs). */
    headers: { 'X-Mosaic-Visitor': string };
  }
  export interface Response {
    data: {
      visits: number;
      eventCount: number;
      firstSeen: string | null;
      lastSeen: string | null;
      traits: Record<string, Scalar>;
      events: StoredEvent[];
    };
    meta: Record<string, never>;
  }
}

export declare namespace EraseProfile {
  export interface Request {
    headers: { 'X-Mosaic-Visitor': string };
  }
  /** 200 when anything was kept about the visitor (404 otherwise); all of it is gone. */
  export interface Response {
    data: { erased: true };
    meta: Record<string, never>;
  }
}
