/**
 * Request and response types of the tracking and profile routes (`/api/mosaic/events`,
 * `/identify`, `/profile` with the visitor id in `X-Mosaic-Visitor`, and the older
 * `/profiles/:visitorId`), shared by the server, the client and the tests.
 */

type Scalar = string | number | boolean | null;

export interface BehaviourEvent {
  /** `view`, `click` and `conversion` are known; other names are custom. */
  name: string;
  /** A published asset's documentId or slug (any other is refused, as an unknown chunk is). */
  asset?: string;
  slot?: string;
  /**
   * A published chunk's documentId or slug: views and clicks raise affinity to its personas and
   * tags. Any other is refused.
   */
  chunk?: string;
  variantKey?: string;
  /**
   * For `conversion`: the goal reached (signup, purchase…). A conversion counts for the experiment
   * variants the visitor saw within the attribution window — only `asset`'s when it is given —
   * once per variant, day seen and goal.
   */
  goal?: string;
  value?: number;
  props?: Record<string, Scalar>;
  /** Epoch milliseconds or an ISO date-time; now when absent; not in the future. */
  ts?: number | string;
}

export declare namespace TrackEvents {
  export interface Request {
    /** Visitor id from the `X-Mosaic-Visitor` header or the `mosaic_vid` cookie. */
    headers: { 'X-Mosaic-Visitor'?: string; 'X-Mosaic-Consent'?: 'granted' | 'denied' };
    body: { events: BehaviourEvent[] };
  }
  /**
   * 202 Accepted. `profile`: whether the events went into the visitor's profile; `attributed`
   * (when the batch held conversions): experiment variants credited with a conversion.
   */
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
      events: Array<BehaviourEvent & { ts: number; personas?: string[]; tags?: string[] }>;
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
