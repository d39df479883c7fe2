/**
 * Request and response types of the delivery API (`/api/mosaic`), shared by the server, the admin
 * and the tests. One namespace per endpoint, as Strapi's content-releases does.
 */

export type Format = 'json' | 'html' | 'markdown' | 'text';

/** A built-in format, or one the app registered (`registerFormat`), such as the playground's `mrkdwn`. */
export type AnyFormat = Format | (string & {});

export interface ApiError {
  status: number;
  name: string;
  message: string;
  details: Record<string, unknown>;
}

export interface DeliveryQuery {
  format?: AnyFormat;
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

export type SkipReason =
  | 'unpublished'
  | 'outside-schedule'
  | 'persona-mismatch'
  | 'segment-mismatch'
  | 'empty-asset'
  | 'cycle'
  | 'too-deep'
  | 'not-chosen';

/** What an `experiment` slot served one visitor (PRODUCT.md, *Selection*). */
export interface ExperimentAssignment {
  /** The experiment key: `<asset documentId>:<slot key>`. */
  key: string;
  /** documentId of the asset holding the slot (a nested asset's for a nested slot). */
  asset: string;
  slot: string;
  /** documentId of the candidate served. */
  variant: string;
  /** In the holdout: served the first eligible candidate, outside the test. */
  holdout: boolean;
  /** False when the request carried no visitor id: the first eligible candidate, no bucket. */
  bucketed: boolean;
}

export interface Explain {
  persona: { requested: string | null; source: 'param' | null; known: boolean | null };
  context: Record<string, unknown>;
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
      format: AnyFormat;
      slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
    };
    meta: {
      persona: string | null;
      segments: string[];
      variantKey: string;
      warnings?: string[];
      /**
       * Present when the asset has `experiment` slots. `counted`: the impression is measured (a
       * visitor id and consent: counting keeps the HMAC of the id, bucketing keeps nothing).
       */
      experiments?: Array<ExperimentAssignment & { counted: boolean }>;
      /** The media type of an app format's content (absent for the built-in formats). */
      contentType?: string;
      explain?: Explain;
      /**
       * Present when the database was unreachable and the answer was served from what Mosaic
       * held in memory (content as it was, or a consenting visitor resolved without their
       * profile); the `X-Mosaic-Stale: 1` header says the same.
       */
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
    data: DeliveredChunk & { format: AnyFormat };
    meta: {
      persona: string | null;
      variantKey: string;
      warnings?: string[];
      contentType?: string;
      /** As in ResolveAsset: served from memory while the database was unreachable. */
      stale?: true;
    };
  }
}
